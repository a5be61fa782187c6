import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCDecoration } from './c-decoration.ts';

test('32-bit decorations give the convention, bare name and argument bytes', () => {
  assert.deepEqual(parseCDecoration('_f', 'x86'), { callingConvention: 'cdecl', baseName: 'f', argumentBytes: null });
  assert.deepEqual(parseCDecoration('_Add@8', 'x86'), { callingConvention: 'stdcall', baseName: 'Add', argumentBytes: 8 });
  assert.deepEqual(parseCDecoration('Add@8', 'x86'), { callingConvention: 'stdcall', baseName: 'Add', argumentBytes: 8 });
  assert.deepEqual(parseCDecoration('_NoArgs@0', 'x86'), { callingConvention: 'stdcall', baseName: 'NoArgs', argumentBytes: 0 });
  assert.deepEqual(parseCDecoration('@Fast@12', 'x86'), { callingConvention: 'fastcall', baseName: 'Fast', argumentBytes: 12 });
  assert.deepEqual(parseCDecoration('Vec@@16', 'x86'), { callingConvention: 'vectorcall', baseName: 'Vec', argumentBytes: 16 });
  assert.deepEqual(parseCDecoration('__seh_longjmp_unwind@4', 'x86'), { callingConvention: 'stdcall', baseName: '_seh_longjmp_unwind', argumentBytes: 4 });
});

test('64-bit names carry only the vectorcall decoration', () => {
  assert.equal(parseCDecoration('_f', 'x64'), null);
  assert.equal(parseCDecoration('f@8', 'x64'), null);
  assert.equal(parseCDecoration('@f@8', 'x64'), null);
  assert.deepEqual(parseCDecoration('Vec@@32', 'x64'), { callingConvention: 'vectorcall', baseName: 'Vec', argumentBytes: 32 });
  assert.equal(parseCDecoration('_f@8', 'arm64'), null);
  assert.equal(parseCDecoration('Vec@@32', 'arm64'), null);
});

test('implausible decorations are left alone', () => {
  const plain = [
    'f', '_', '@', '@8', 'f@', 'f@x', 'f@08', 'f@6', 'f@99999', 'f@-4', 'f@8 ', 'a@b@8', '_1f', 'f@@', '@f@', '@f',
    'f.g@8', 'user@example.com', '_f@8@4',
  ];
  for (const raw of plain) assert.equal(parseCDecoration(raw, 'x86'), null, raw);
});
