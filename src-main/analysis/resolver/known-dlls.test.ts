import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir } from './test-support/build-fixture.ts';
import { DEFAULT_KNOWN_DLLS, knownDllsFor, parseKnownDllsFromReg } from './known-dlls.ts';

/*
 * The subject is the parser, so these are text excerpts in the format Wine writes to
 * system.reg (escaped backslashes, "[key] stamp" then "#time=" lines, str(2): for
 * REG_EXPAND_SZ), not a prefix created with wineboot: that takes many seconds, and a fresh
 * prefix has no KnownDLLs key at all (wine.inf does not create one).
 */
const KEY = '[System\\\\CurrentControlSet\\\\Control\\\\Session Manager\\\\KnownDLLs] 1700000000\n#time=1da1b2c3d4e5f60\n';
const REG = `WINE REGISTRY Version 2
;; All keys relative to \\\\Machine

#arch=win64

[System\\\\CurrentControlSet\\\\Control\\\\Session Manager] 1700000000
#time=1da1b2c3d4e5f60
"GlobalFlag"=dword:00000000
"NotAKnownDll"="fake.dll"

${KEY}"_wow64cpu"="wow64cpu.dll"
"advapi32"="ADVAPI32.dll"
"DllDirectory"=str(2):"%SystemRoot%\\\\system32"
"kernel32"="kernel32.dll"
"Quoted\\"Name"="user32.dll"
"notadll"="something.exe"
"bin"=hex:01,02

[System\\\\CurrentControlSet\\\\Control\\\\Session Manager\\\\KnownDLLs\\\\Sub] 1700000000
"inner"="inner.dll"
`;

describe('parseKnownDllsFromReg (Wine system.reg text)', () => {
  test('reads the .dll values of the KnownDLLs key only, lowercased', () => {
    assert.deepEqual(parseKnownDllsFromReg(REG), ['wow64cpu.dll', 'advapi32.dll', 'kernel32.dll', 'user32.dll']);
  });

  test('Windows line endings and a differently cased key name are read the same', () => {
    const crlf = REG.replace('KnownDLLs]', 'KNOWNDLLS]').replace(/\n/g, '\r\n');
    assert.deepEqual(parseKnownDllsFromReg(crlf), ['wow64cpu.dll', 'advapi32.dll', 'kernel32.dll', 'user32.dll']);
  });

  test('no KnownDLLs key: null (a fresh Wine prefix); an empty key: an empty list', () => {
    assert.equal(parseKnownDllsFromReg('WINE REGISTRY Version 2\n\n[Software\\\\Wine] 1\n"a"="b.dll"\n'), null);
    assert.deepEqual(parseKnownDllsFromReg(`${KEY}\n[Next] 1\n"x"="y.dll"\n`), []);
    assert.equal(parseKnownDllsFromReg(''), null);
  });

  test('the key line alone at the end of the file gives an empty list, not an error', () => {
    assert.deepEqual(parseKnownDllsFromReg(KEY.trimEnd()), []);
  });
});

describe('knownDllsFor', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('known');
  });
  after(() => removeDir(dir));

  function prefix(name: string, reg: string | null): string {
    const windows = join(dir, name, 'drive_c', 'windows');
    mkdirSync(windows, { recursive: true });
    if (reg !== null) writeFileSync(join(dir, name, 'system.reg'), reg);
    return windows;
  }

  test('a Wine prefix with the key: its list plus ntdll.dll, with the file as source', () => {
    const known = knownDllsFor(prefix('withkey', REG));
    assert.deepEqual([...known.names].sort(), ['advapi32.dll', 'kernel32.dll', 'ntdll.dll', 'user32.dll', 'wow64cpu.dll']);
    assert.equal(known.source, join(dir, 'withkey', 'system.reg'));
  });

  test('a prefix without the key, a plain Windows folder or none: the built-in Windows 10 list', () => {
    for (const windowsDir of [prefix('nokey', 'WINE REGISTRY Version 2\n'), prefix('noreg', null), null]) {
      const known = knownDllsFor(windowsDir);
      assert.deepEqual([...known.names].sort(), [...DEFAULT_KNOWN_DLLS].sort());
      assert.match(known.source, /built-in/);
    }
  });

  test('an unreadable system.reg falls back to the built-in list', () => {
    const windows = prefix('dirreg', null);
    mkdirSync(join(dir, 'dirreg', 'system.reg'));
    assert.match(knownDllsFor(windows).source, /built-in/);
  });

  test('the built-in list holds the DLLs KnownDLLs has on every Windows 10/11, lowercase, and ntdll', () => {
    for (const name of ['kernel32.dll', 'user32.dll', 'gdi32.dll', 'ole32.dll', 'advapi32.dll', 'msvcrt.dll', 'ntdll.dll']) assert.ok(DEFAULT_KNOWN_DLLS.includes(name), name);
    assert.ok(DEFAULT_KNOWN_DLLS.every((n) => n === n.toLowerCase() && n.endsWith('.dll')));
    // Redistributables are never known DLLs: a private copy beside the application is used.
    for (const name of ['vcruntime140.dll', 'msvcp140.dll']) assert.ok(!DEFAULT_KNOWN_DLLS.includes(name), name);
  });
});
