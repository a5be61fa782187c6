import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { makeTempDir, removeDir, wineWindowsDir, WINE_DLLS } from './test-support/build-fixture.ts';
import { simpleDll } from './test-support/scenarios.ts';
import { ModuleLocator } from './module-locator.ts';
import { defaultLoadContext } from './default-load-context.ts';
import type { HostArch, LoadContext } from './load-context.ts';

let dir: string;
let app: string;
let extra: string;
let windowsDir: string;
let root: string;

before(() => {
  dir = makeTempDir('locator');
  app = join(dir, 'app');
  extra = join(dir, 'extra');
  windowsDir = wineWindowsDir(dir);
  simpleDll('x86', join(app, 'mixdep.dll'), ['MixFn']);
  simpleDll('x64', join(extra, 'mixdep.dll'), ['MixFn']);
  simpleDll('x86', join(extra, 'mixdep32.dll'), ['MixFn']);
  writeFileSync(join(app, 'textdep.dll'), 'not a PE file\n');
  copyFileSync(join(extra, 'mixdep.dll'), join(extra, 'textdep.dll'));
  copyFileSync(join(extra, 'mixdep.dll'), join(app, 'api-ms-win-contoso-widget-l1-1-0.dll'));
  root = join(app, 'root.dll');
  copyFileSync(join(extra, 'mixdep.dll'), root);
});
after(() => removeDir(dir));

const locator = (host: HostArch, overrides: Partial<LoadContext> = {}) => new ModuleLocator(defaultLoadContext(root, host, { windowsDir, ...overrides }), root);

describe('ModuleLocator: candidates passed over', () => {
  test('a wrong-machine copy is recorded with its path, machine and reason; the later good copy is taken', () => {
    const found = locator('x64', { extraDirs: [extra] }).locate('mixdep.dll', 'root.dll');
    assert.equal(found.path, join(extra, 'mixdep.dll'));
    assert.equal(found.strategy, 'extra-dir');
    assert.equal(found.image!.machine, 'x64');
    assert.deepEqual(found.skipped, [{ path: join(app, 'mixdep.dll'), machine: 'x86', reason: 'x86 image cannot load into an x64 process' }]);
  });

  test('the same copy is the right one for a 32-bit host: nothing skipped', () => {
    const found = locator('x86', { extraDirs: [extra] }).locate('mixdep.dll', 'root.dll');
    assert.equal(found.path, join(app, 'mixdep.dll'));
    assert.equal(found.strategy, 'application-dir');
    assert.deepEqual(found.skipped, []);
  });

  test('only wrong-machine copies: not found, every copy recorded in search order', () => {
    const found = locator('x64', { extraDirs: [extra] }).locate('mixdep32.dll', null);
    assert.equal(found.path, null);
    assert.equal(found.strategy, 'not-found');
    assert.deepEqual(found.skipped.map((s) => [s.path, s.machine]), [[join(extra, 'mixdep32.dll'), 'x86']]);
  });

  test('a file that is not a PE image is passed over with machine null and the reason', () => {
    const found = locator('x64', { extraDirs: [extra] }).locate('textdep.dll', null);
    assert.equal(found.path, join(extra, 'textdep.dll'));
    assert.equal(found.skipped.length, 1);
    assert.equal(found.skipped[0]!.path, join(app, 'textdep.dll'));
    assert.equal(found.skipped[0]!.machine, null);
    assert.match(found.skipped[0]!.reason, /^not a PE image: /);
  });
});

describe('ModuleLocator: names and strategies', () => {
  test('names match without regard to case, ".dll" is implied, and each name is resolved once', () => {
    const l = locator('x86');
    const a = l.locate('MIXDEP', null);
    assert.equal(a.path, join(app, 'mixdep.dll'));
    assert.equal(l.locate('mixdep.DLL', 'other.dll'), a);
  });

  test('KnownDLLs come from the host\'s system folder: System32 for x64, SysWOW64 for x86', () => {
    for (const [host, folder] of [['x64', 'system32'], ['x86', 'syswow64']] as const) {
      const found = locator(host).locate('KERNEL32.dll', 'root.dll');
      assert.equal(found.strategy, 'known-dll');
      assert.equal(found.path, join(windowsDir, folder, 'kernel32.dll'));
      assert.equal(found.image!.machine, host);
    }
  });

  test('a system DLL that is not a KnownDLL is found in the system folder', () => {
    const found = locator('x64').locate('winhttp.dll', 'root.dll');
    assert.equal(found.strategy, 'system-dir');
    assert.equal(found.path, join(windowsDir, 'system32', 'winhttp.dll'));
  });

  test('API sets resolve through the schema to the host\'s system folder, per importer', () => {
    const l = locator('x86');
    const found = l.locate('api-ms-win-core-synch-l1-2-0.dll', 'root.dll');
    assert.equal(found.strategy, 'api-set');
    assert.equal(found.apiSetTarget, 'kernelbase.dll');
    assert.equal(found.path, join(windowsDir, 'syswow64', 'kernelbase.dll'));
    assert.equal(found.name, 'api-ms-win-core-synch-l1-2-0.dll');
    assert.equal((l.apiSets as { path: string }).path, join(windowsDir, 'syswow64', 'apisetschema.dll'));
  });

  test('an api- name the schema does not know is searched for as a file', () => {
    const found = locator('x64').locate('api-ms-win-contoso-widget-l1-1-0.dll', 'root.dll');
    assert.equal(found.strategy, 'application-dir');
    assert.equal(found.apiSetTarget, null);
  });

  test('no Windows folder: system DLLs are unchecked, others not found, API sets unresolved with the reason', () => {
    const l = locator('x64', { windowsDir: null });
    assert.equal(l.dirs, null);
    const k32 = l.locate('kernel32.dll', null);
    assert.deepEqual([k32.strategy, k32.unchecked, k32.path], ['system-dir', true, null]);
    const vc = l.locate('vcruntime140.dll', null);
    assert.deepEqual([vc.strategy, vc.unchecked], ['not-found', false]);
    assert.equal(l.locate('api-ms-win-core-synch-l1-2-0.dll', null).strategy, 'api-set-unresolved');
    assert.match((l.apiSets as { reason: string }).reason, /--windows-dir/);
  });

  test('the root is taken by its path, parsed, with strategy root', () => {
    const r = locator('x64').root(root);
    assert.deepEqual([r.name, r.path, r.strategy, r.image!.machine], ['root.dll', root, 'root', 'x64']);
  });
});

describe('ModuleLocator: side-by-side redirection', () => {
  const dep = { name: 'Contoso.Runtime', version: '1.0.0.0', processorArchitecture: 'amd64', publicKeyToken: '0123456789abcdef', language: null, type: 'win32' };

  test('a file of a WinSxS assembly is taken from the assembly\'s folder before the search path', () => {
    const win = join(dir, 'sxswin', 'Windows');
    mkdirSync(win, { recursive: true });
    execFileSync('ln', ['-s', WINE_DLLS.x64, join(win, 'System32')]);
    const folder = join(win, 'WinSxS', 'amd64_contoso.runtime_0123456789abcdef_1.0.0.0_none_0000000000000000');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(extra, 'mixdep.dll'), join(folder, 'contosort.dll'));
    // Also a copy in the search path: the assembly's copy must win.
    copyFileSync(join(extra, 'mixdep.dll'), join(app, 'contosort.dll'));
    const l = locator('x64', { windowsDir: win });
    l.useManifest([dep]);
    const found = l.locate('ContosoRT.dll', 'root.dll');
    assert.equal(found.strategy, 'sxs');
    assert.equal(found.path, join(folder, 'contosort.dll'));
  });

  test('a DLL only an unresolved known assembly provides is not found, naming the assembly', () => {
    const l = locator('x64');
    l.useManifest([{ ...dep, name: 'Microsoft.VC90.MFC', publicKeyToken: '1fc8b3b9a1e18e3b', version: '9.0.21022.8' }]);
    const found = l.locate('mfc90u.dll', 'root.dll');
    assert.equal(found.path, null);
    assert.equal(found.sxsOnlyAssembly, 'Microsoft.VC90.MFC');
  });
});
