import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir, wineWindowsDir } from './test-support/build-fixture.ts';
import { parsePeFile } from '../pe/parse-pe.ts';
import { DirectoryIndex } from './directory-index.ts';
import { hostWindowsDir, normalizeWindowsDir, winePrefixOf, windowsDirsFor } from './windows-dirs.ts';

let dir: string;
let wow64: string;

before(() => {
  dir = makeTempDir('windirs');
  // 64-bit layout from Wine's DLL folders: system32 -> x86_64-windows, syswow64 -> i386-windows.
  wow64 = wineWindowsDir(join(dir, 'win64'));
});
after(() => removeDir(dir));

describe('windowsDirsFor', () => {
  test('a 64-bit host gets System32, a 32-bit host SysWOW64 (WOW64 redirection)', () => {
    const index = new DirectoryIndex();
    assert.equal(windowsDirsFor(index, wow64, 'x64').systemDir, join(wow64, 'system32'));
    assert.equal(windowsDirsFor(index, wow64, 'x86').systemDir, join(wow64, 'syswow64'));
  });

  test('the folder chosen holds system DLLs of the host\'s machine', () => {
    const index = new DirectoryIndex();
    for (const host of ['x64', 'x86'] as const) {
      const kernel32 = index.find(windowsDirsFor(index, wow64, host).systemDir!, 'KERNEL32.DLL')!;
      assert.equal(parsePeFile(kernel32, { details: false, entropy: false }).machine, host);
    }
  });

  test('32-bit Windows (no SysWOW64): a 32-bit host uses System32', () => {
    const win32 = join(dir, 'win32', 'Windows');
    mkdirSync(join(win32, 'System32'), { recursive: true });
    assert.equal(windowsDirsFor(new DirectoryIndex(), win32, 'x86').systemDir, join(win32, 'System32'));
  });

  test('folder names are matched without regard to case, and the 16-bit system folder is found', () => {
    const win = join(dir, 'mixed', 'WINDOWS');
    mkdirSync(join(win, 'SysWOW64'), { recursive: true });
    mkdirSync(join(win, 'System32'));
    mkdirSync(join(win, 'SYSTEM'));
    const dirs = windowsDirsFor(new DirectoryIndex(), win, 'x86');
    assert.deepEqual(dirs, { windowsDir: win, systemDir: join(win, 'SysWOW64'), system16Dir: join(win, 'SYSTEM') });
  });

  test('a Windows folder without system folders gives nulls, not an error', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    assert.deepEqual(windowsDirsFor(new DirectoryIndex(), empty, 'x64'), { windowsDir: empty, systemDir: null, system16Dir: null });
  });

  test('a file named system32 is not taken for the folder', () => {
    const win = join(dir, 'filey');
    mkdirSync(win);
    writeFileSync(join(win, 'system32'), '');
    assert.equal(windowsDirsFor(new DirectoryIndex(), win, 'x64').systemDir, null);
  });
});

describe('Wine prefixes', () => {
  test('a Wine prefix root is accepted for its drive_c/windows', () => {
    const prefix = join(dir, 'prefix');
    const windows = wineWindowsDir(join(prefix, 'drive_c'));
    writeFileSync(join(prefix, 'system.reg'), 'WINE REGISTRY Version 2\n');
    const index = new DirectoryIndex();
    assert.equal(normalizeWindowsDir(index, prefix), windows);
    assert.equal(windowsDirsFor(index, prefix, 'x86').systemDir, join(windows, 'syswow64'));
    assert.equal(winePrefixOf(windows), prefix);
  });

  test('a plain Windows folder is kept as given and is no Wine prefix', () => {
    assert.equal(normalizeWindowsDir(new DirectoryIndex(), wow64), wow64);
    assert.equal(winePrefixOf(wow64), null);
  });
});

describe('hostWindowsDir', () => {
  test('is null off Windows, %SystemRoot% on Windows', () => {
    if (process.platform === 'win32') assert.equal(hostWindowsDir(), process.env.SystemRoot ?? process.env.windir ?? 'C:\\Windows');
    else assert.equal(hostWindowsDir(), null);
  });
});
