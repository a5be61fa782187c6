import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { demangleItanium } from './itanium-demangler.ts';
import { findTool } from '../../test-support/tools.ts';

/** Expectations checked by hand against GNU c++filt 2.40. */
const CASES: [string, string][] = [
  ['_Z3addii', 'add(int, int)'],
  ['_ZN2ns5Klass6methodEv', 'ns::Klass::method()'],
  ['_ZNK2ns5Klass3getEv', 'ns::Klass::get() const'],
  ['_ZN9__gnu_cxx6__poolILb1EE13_M_initializeEPFvPvE', '__gnu_cxx::__pool<true>::_M_initialize(void (*)(void*))'],
  ['_ZNKSs12find_last_ofEPKcj', 'std::basic_string<char, std::char_traits<char>, std::allocator<char> >::find_last_of(char const*, unsigned int) const'],
  ['_ZGVNSt10moneypunctIcLb0EE2idE', 'guard variable for std::moneypunct<char, false>::id'],
  ['_ZTVSt9exception', 'vtable for std::exception'],
  ['_ZTISt9exception', 'typeinfo for std::exception'],
  ['_ZTSSt9exception', 'typeinfo name for std::exception'],
  ['_ZThn8_N1C1fEv', 'non-virtual thunk to C::f()'],
  ['_ZTv0_n24_N1C1fEv', 'virtual thunk to C::f()'],
  ['_ZGTtNKSt13bad_exceptionD1Ev', 'transaction clone for std::bad_exception::~bad_exception() const'],
  ['_ZN1AC2ERKS_', 'A::A(A const&)'],
  ['_ZN1AD0Ev', 'A::~A()'],
  ['_ZN1AaSEOS_', 'A::operator=(A&&)'],
  ['_ZN1AcviEv', 'A::operator int()'],
  ['_Znwm', 'operator new(unsigned long)'],
  ['_ZdlPvj', 'operator delete(void*, unsigned int)'],
  ['_Z1fIiEvT_', 'void f<int>(int)'],
  ['_Z1fPA10_i', 'f(int (*) [10])'],
  ['_Z1fM1AFivE', 'f(int (A::*)())'],
  ['_Z1fPFPFivEvE', 'f(int (*(*)())())'],
  ['_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_createERyy', 'std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_create(unsigned long long&, unsigned long long)'],
  ['_Z3fooB5cxx11v', 'foo[abi:cxx11]()'],
  ['_ZN12_GLOBAL__N_13fooEv', '(anonymous namespace)::foo()'],
  ['_ZZ4mainENKUlvE_clEv', 'main::{lambda()#1}::operator()() const'],
  ['_Z3fooIJidEEvDpT_', 'void foo<int, double>(int, double)'],
  ['_Z1fv.constprop.0', 'f() [clone .constprop.0]'],
  ['_ZSt4moveIRiEONSt16remove_referenceIT_E4typeEOS2_', 'std::remove_reference<int&>::type&& std::move<int&>(int&)'],
];

test('Itanium names print as c++filt prints them', () => {
  for (const [raw, text] of CASES) assert.equal(demangleItanium(raw)?.text, text, raw);
});

test('the entity name is reported without parameters', () => {
  assert.equal(demangleItanium('_ZNK2ns5Klass3getEv')?.qualifiedName, 'ns::Klass::get');
  assert.equal(demangleItanium('_Z1fIiEvT_')?.qualifiedName, 'f<int>');
  assert.equal(demangleItanium('_ZTVSt9exception')?.qualifiedName, 'vtable for std::exception');
  assert.equal(demangleItanium('_Z3addii')?.isFunction, true);
  assert.equal(demangleItanium('_ZN1A1xE')?.isFunction, false);
});

test('malformed and hostile names give null without throwing', () => {
  const hostile = [
    '', '_Z', '_Z1', '_Z3ab', '_ZN', '_ZN1AE1', '_Z1fIT_EvT_', '_ZN1AIT_EE', 'foo', '_Z1fS9_',
    `_Z1f${'P'.repeat(20_000)}i`,
    `_Z1fI${'St6vectorI'.repeat(2000)}i${'E'.repeat(2000)}Ev`,
    `_Z1f${'A1_'.repeat(5000)}i`,
    `_Z${'Z1fv'.repeat(3000)}E1x`,
  ];
  for (const raw of hostile) assert.equal(demangleItanium(raw), null, raw.slice(0, 40));
});


/** MinGW's libstdc++-6.dll builds (32- and 64-bit, posix and win32 threads). */
function libstdcxxDlls(): string[] {
  const root = '/usr/lib/gcc';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((target) => target.endsWith('-w64-mingw32'))
    .flatMap((target) => readdirSync(join(root, target)).map((version) => join(root, target, version, 'libstdc++-6.dll')))
    .filter(existsSync);
}

/** Export names from `objdump -p`'s "[Ordinal/Name Pointer] Table" section. */
function exportNames(objdump: string, dll: string): string[] {
  const out = spawnSync(objdump, ['-p', dll], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const lines = out.stdout.split('\n');
  const start = lines.findIndex((l) => l.includes('[Ordinal/Name Pointer] Table'));
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^\s*\[\s*\d+\]\s+(\S+)$/.exec(line);
    if (!match) break;
    names.push(match[1]);
  }
  return names;
}

test('agrees with c++filt on MinGW libstdc++ exports', (t) => {
  const cxxfilt = findTool(['c++filt']);
  const objdump = findTool(['x86_64-w64-mingw32-objdump', 'objdump']);
  if (!cxxfilt || !objdump) return t.skip('c++filt (Debian binutils) or x86_64-w64-mingw32-objdump (binutils-mingw-w64) not installed');
  const dlls = libstdcxxDlls();
  if (dlls.length === 0) return t.skip('no MinGW libstdc++-6.dll found (Debian packages gcc-mingw-w64-*)');
  const names = [...new Set(dlls.flatMap((dll) => exportNames(objdump, dll)).filter((n) => n.startsWith('_Z')))].sort();
  const out = spawnSync(cxxfilt, [], { input: `${names.join('\n')}\n`, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const expected = out.stdout.split('\n');
  const disagreements: string[] = [];
  names.forEach((raw, i) => {
    const ours = demangleItanium(raw)?.text ?? raw;
    if (ours !== expected[i]) disagreements.push(`${raw}\n    ours:   ${ours}\n    oracle: ${expected[i]}`);
  });
  t.diagnostic(`${dlls.length} DLLs, ${names.length} Itanium names, ${names.length - disagreements.length} agree with c++filt`);
  for (const line of disagreements.slice(0, 20)) t.diagnostic(line);
  assert.ok(names.length > 1000, 'corpus unexpectedly small');
  assert.deepEqual(disagreements, []);
});
