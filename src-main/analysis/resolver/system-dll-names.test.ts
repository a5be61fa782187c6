import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { isSystemDllName } from './system-dll-names.ts';
import { DEFAULT_KNOWN_DLLS } from './known-dlls.ts';
import { WINE_DLLS } from './test-support/build-fixture.ts';

describe('isSystemDllName', () => {
  test('Windows\' own DLLs, whatever the case, including every built-in KnownDLL', () => {
    for (const name of ['kernel32.dll', 'KERNEL32.DLL', 'KernelBase.dll', 'ucrtbase.dll', 'ws2_32.dll', 'winspool.drv', 'api-ms-win-crt-runtime-l1-1-0.dll']) assert.equal(isSystemDllName(name), true, name);
    for (const name of DEFAULT_KNOWN_DLLS) assert.equal(isSystemDllName(name), true, name);
  });

  test('redistributables an application must bring itself are not system DLLs', () => {
    for (const name of ['vcruntime140.dll', 'msvcp140.dll', 'vcruntime140_1.dll', 'msvcr120.dll', 'd3dx9_43.dll', 'libgcc_s_seh-1.dll', 'libstdc++-6.dll']) assert.equal(isSystemDllName(name), false, name);
  });

  test('names without the extension or with another one are not matched', () => {
    assert.equal(isSystemDllName('kernel32'), false);
    assert.equal(isSystemDllName('kernel32.exe'), false);
    assert.equal(isSystemDllName(''), false);
  });

  test('the names are real: Wine\'s 64-bit System32 ships most of them', (t) => {
    let files: Set<string>;
    try {
      files = new Set(readdirSync(WINE_DLLS.x64).map((f) => f.toLowerCase()));
    } catch (error) {
      t.skip(`Wine's DLL folder is not readable: ${(error as Error).message}`);
      return;
    }
    const sample = ['kernel32.dll', 'user32.dll', 'shell32.dll', 'comctl32.dll', 'winhttp.dll', 'crypt32.dll', 'dbghelp.dll', 'setupapi.dll', 'ucrtbase.dll'];
    for (const name of sample) {
      assert.ok(isSystemDllName(name), name);
      assert.ok(files.has(name), `${name} in Wine's system32`);
    }
  });
});
