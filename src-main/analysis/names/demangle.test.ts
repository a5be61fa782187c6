import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demangleName } from './demangle.ts';
import type { DemangledName } from './demangle.ts';

function expect(raw: string, machine: string, fields: Partial<DemangledName>): void {
  const result = demangleName(raw, machine);
  for (const [key, value] of Object.entries(fields)) {
    assert.deepEqual(result[key as keyof DemangledName], value, `${raw} on ${machine}: ${key}`);
  }
  assert.equal(result.raw, raw);
}

test('MSVC C++ names', () => {
  expect('?name@@YAHH@Z', 'x64', {
    decoration: 'msvc-cpp', demangled: 'int __cdecl name(int)', baseName: 'name', argumentBytes: null, callingConvention: 'cdecl',
  });
  expect('?f@A@@QAEXXZ', 'x86', {
    decoration: 'msvc-cpp', demangled: 'public: void __thiscall A::f(void)', baseName: 'A::f', callingConvention: 'thiscall',
  });
  expect('?x@@3HA', 'x64', { decoration: 'msvc-cpp', demangled: 'int x', baseName: 'x', callingConvention: null });
  expect('?broken@@YAH', 'x64', { decoration: 'unknown', demangled: '?broken@@YAH', baseName: '?broken@@YAH', callingConvention: null });
});

test('Itanium names, with MinGW 32-bit underscore and stdcall suffix', () => {
  expect('_ZN2ns5Klass6methodEv', 'x64', {
    decoration: 'itanium', demangled: 'ns::Klass::method()', baseName: 'ns::Klass::method', argumentBytes: null, callingConvention: null,
  });
  expect('__ZN2ns5Klass6methodEv', 'x86', { decoration: 'itanium', demangled: 'ns::Klass::method()' });
  expect('_ZN3Foo3BarEi@8', 'x86', {
    decoration: 'itanium', demangled: 'Foo::Bar(int)', baseName: 'Foo::Bar', argumentBytes: 8, callingConvention: 'stdcall',
  });
  expect('__ZN2ns5Klass6methodEv', 'x64', { decoration: 'plain' });
  expect('_ZN3broken', 'x64', { decoration: 'unknown', demangled: '_ZN3broken' });
});

test('32-bit C decorations keep the convention and argument bytes', () => {
  expect('_Add@8', 'x86', { decoration: 'c-stdcall', demangled: 'Add', baseName: 'Add', argumentBytes: 8, callingConvention: 'stdcall' });
  expect('Add@8', 'x86', { decoration: 'c-stdcall', baseName: 'Add', argumentBytes: 8, callingConvention: 'stdcall' });
  expect('@Fast@12', 'x86', { decoration: 'c-fastcall', baseName: 'Fast', argumentBytes: 12, callingConvention: 'fastcall' });
  expect('Vec@@16', 'x86', { decoration: 'c-vectorcall', baseName: 'Vec', argumentBytes: 16, callingConvention: 'vectorcall' });
  expect('_f', 'x86', { decoration: 'c-cdecl', demangled: '_f', baseName: 'f', argumentBytes: null, callingConvention: 'cdecl' });
  expect('_ZwClose@4', 'x86', { decoration: 'c-stdcall', baseName: 'ZwClose', argumentBytes: 4 });
});

test('64-bit and undecorated names stay as they are', () => {
  expect('_f', 'x64', { decoration: 'plain', demangled: '_f', baseName: '_f', argumentBytes: null, callingConvention: null });
  expect('f@8', 'x64', { decoration: 'plain', demangled: 'f@8' });
  expect('Vec@@32', 'x64', { decoration: 'c-vectorcall', baseName: 'Vec', argumentBytes: 32 });
  expect('CreateFileW', 'x86', { decoration: 'plain', baseName: 'CreateFileW' });
  expect('f@x', 'x86', { decoration: 'plain' });
  expect('_f@8', 'arm64', { decoration: 'plain' });
  expect('', 'x64', { decoration: 'plain', demangled: '' });
});

test('never throws on random input', () => {
  let seed = 42;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = '?@$_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.';
  for (let i = 0; i < 20_000; i++) {
    const prefix = ['?', '??', '_Z', '__Z', '_', '@', ''][random(7)];
    let raw = prefix;
    const length = random(60);
    for (let j = 0; j < length; j++) raw += alphabet[random(alphabet.length)];
    const result = demangleName(raw, ['x86', 'x64', 'arm64'][random(3)]);
    assert.equal(result.raw, raw);
    assert.equal(typeof result.demangled, 'string');
  }
});
