import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownRuntime, sxsRuntime } from './known-runtimes.ts';

test('Visual C++ runtimes map to their redistributable; debug runtimes are called a debug build', () => {
  const cases: [string, string, boolean][] = [
    ['VCRUNTIME140.dll', 'Microsoft Visual C++ 2015-2022 Redistributable', false],
    ['vcruntime140_1.dll', 'Microsoft Visual C++ 2015-2022 Redistributable', false],
    ['msvcp140_atomic_wait.dll', 'Microsoft Visual C++ 2015-2022 Redistributable', false],
    ['mfc140u.dll', 'Microsoft Visual C++ 2015-2022 Redistributable', false],
    ['concrt140.dll', 'Microsoft Visual C++ 2015-2022 Redistributable', false],
    ['msvcr120.dll', 'Microsoft Visual C++ 2013 Redistributable', false],
    ['MSVCP100.dll', 'Microsoft Visual C++ 2010 SP1 Redistributable', false],
    ['vcruntime140d.dll', 'Visual C++ debug runtime', true],
    ['msvcp140d.dll', 'Visual C++ debug runtime', true],
    ['mfc140ud.dll', 'Visual C++ debug runtime', true],
    ['msvcr90d.dll', 'Visual C++ debug runtime', true],
    ['ucrtbased.dll', 'Visual C++ debug runtime', true],
  ];
  for (const [name, runtime, debug] of cases) {
    const found = knownRuntime(name);
    assert.equal(found?.runtime, runtime, name);
    assert.equal(found?.debug ?? false, debug, name);
  }
  assert.match(knownRuntime('vcruntime140.dll')!.fix('x86'), /vc_redist\.x86\.exe/);
});

test('other runtimes, and names that are Windows\' own or unknown', () => {
  assert.equal(knownRuntime('api-ms-win-crt-runtime-l1-1-0.dll')?.runtime, 'Universal C Runtime (UCRT)');
  assert.equal(knownRuntime('d3dx9_43.dll')?.runtime, 'DirectX End-User Runtime (June 2010)');
  assert.equal(knownRuntime('XINPUT1_3.dll')?.runtime, 'DirectX End-User Runtime (June 2010)');
  assert.equal(knownRuntime('mscoree.dll')?.runtime, '.NET Framework');
  assert.equal(knownRuntime('NODE.EXE')?.hostProvided, true);
  for (const name of ['xinput1_4.dll', 'kernel32.dll', 'vendor.dll', 'msvcrt.dll']) assert.equal(knownRuntime(name), null, name);
});

test('legacy side-by-side assemblies', () => {
  assert.equal(sxsRuntime('Microsoft.VC90.CRT')?.runtime, 'Microsoft Visual C++ 2008 SP1 Redistributable');
  assert.equal(sxsRuntime('microsoft.vc80.mfc')?.runtime, 'Microsoft Visual C++ 2005 SP1 Redistributable');
  assert.equal(sxsRuntime('Microsoft.VC90.DebugCRT')?.debug, true);
  assert.equal(sxsRuntime('Microsoft.Windows.Common-Controls'), null);
});
