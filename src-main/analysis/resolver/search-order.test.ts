import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir, wineWindowsDir } from './test-support/build-fixture.ts';
import { libFor, simpleDll } from './test-support/scenarios.ts';
import { searchLocations } from './search-order.ts';
import { defaultLoadContext } from './default-load-context.ts';
import { buildDependencyTree } from './dependency-tree.ts';
import type { LoadContext } from './load-context.ts';
import type { WindowsDirs } from './windows-dirs.ts';

const dirs: WindowsDirs = { windowsDir: '/win', systemDir: '/win/system32', system16Dir: '/win/system' };
const root = '/plugins/vendor/root.dll';

function context(overrides: Partial<LoadContext>): LoadContext {
  return {
    hostArch: 'x64', applicationDir: '/app', hostExecutable: null, loadMethod: 'load-library', searchFlags: [], windowsDir: '/win',
    currentDir: '/cwd', pathDirs: ['/path1', '/path2'], extraDirs: [], ...overrides,
  };
}
const order = (c: LoadContext, d: WindowsDirs | null = dirs) => searchLocations(c, d, root).map((l) => `${l.strategy}:${l.dir}`);

// Microsoft, "Dynamic-link library search order" (desktop apps, SafeDllSearchMode enabled).
describe('searchLocations: the documented order', () => {
  test('LoadLibrary: application folder, System32, 16-bit system, Windows, current folder, PATH; not the DLL\'s own folder', () => {
    assert.deepEqual(order(context({})), [
      'application-dir:/app', 'system-dir:/win/system32', 'system-dir:/win/system', 'windows-dir:/win', 'current-dir:/cwd', 'path:/path1', 'path:/path2',
    ]);
  });

  test('SetDllDirectory: its folder right after the application folder, and the current folder drops out', () => {
    assert.deepEqual(order(context({ extraDirs: ['/set'] })), [
      'application-dir:/app', 'extra-dir:/set', 'system-dir:/win/system32', 'system-dir:/win/system', 'windows-dir:/win', 'path:/path1', 'path:/path2',
    ]);
  });

  test('LOAD_WITH_ALTERED_SEARCH_PATH: the DLL\'s folder replaces the application folder', () => {
    assert.deepEqual(order(context({ loadMethod: 'altered-search-path' })), [
      'dll-dir:/plugins/vendor', 'system-dir:/win/system32', 'system-dir:/win/system', 'windows-dir:/win', 'current-dir:/cwd', 'path:/path1', 'path:/path2',
    ]);
  });

  test('LOAD_LIBRARY_SEARCH_*: load folder, application folder, user folders, System32, and nothing else', () => {
    const all = context({ loadMethod: 'search-flags', searchFlags: ['system32', 'user-dirs', 'application-dir', 'dll-load-dir'], extraDirs: ['/u1', '/u2'] });
    assert.deepEqual(order(all), ['dll-dir:/plugins/vendor', 'application-dir:/app', 'extra-dir:/u1', 'extra-dir:/u2', 'system-dir:/win/system32']);
  });

  test('LOAD_LIBRARY_SEARCH_DEFAULT_DIRS = application folder + user folders + System32', () => {
    assert.deepEqual(order(context({ loadMethod: 'search-flags', searchFlags: ['default-dirs'], extraDirs: ['/u'] })), ['application-dir:/app', 'extra-dir:/u', 'system-dir:/win/system32']);
  });

  test('each flag alone adds only its folder', () => {
    const only = (flag: LoadContext['searchFlags'][number]) => order(context({ loadMethod: 'search-flags', searchFlags: [flag], extraDirs: ['/u'] }));
    assert.deepEqual(only('dll-load-dir'), ['dll-dir:/plugins/vendor']);
    assert.deepEqual(only('application-dir'), ['application-dir:/app']);
    assert.deepEqual(only('user-dirs'), ['extra-dir:/u']);
    assert.deepEqual(only('system32'), ['system-dir:/win/system32']);
  });

  test('a 32-bit host\'s system folder is whatever WindowsDirs says (SysWOW64)', () => {
    const wow: WindowsDirs = { ...dirs, systemDir: '/win/SysWOW64' };
    assert.equal(order(context({ hostArch: 'x86' }), wow)[1], 'system-dir:/win/SysWOW64');
  });

  test('without a Windows folder only the application, current and PATH folders remain', () => {
    assert.deepEqual(order(context({}), null), ['application-dir:/app', 'current-dir:/cwd', 'path:/path1', 'path:/path2']);
  });

  test('a folder listed twice is searched once, at its first place', () => {
    assert.deepEqual(order(context({ applicationDir: '/plugins/vendor', loadMethod: 'altered-search-path', pathDirs: ['/win/system32/', '/plugins/vendor'] })).filter((l) => l.startsWith('path:')), []);
    assert.deepEqual(order(context({ loadMethod: 'search-flags', searchFlags: ['dll-load-dir', 'application-dir'], applicationDir: '/plugins/vendor' })), ['dll-dir:/plugins/vendor']);
  });
});

describe('search order on real files: a dependency beside the DLL, the application elsewhere', () => {
  let dir: string;
  let windowsDir: string;
  let rootDll: string;
  let appDir: string;

  before(() => {
    dir = makeTempDir('order');
    windowsDir = wineWindowsDir(dir);
    const dllDir = join(dir, 'plugin');
    appDir = join(dir, 'app');
    mkdirSync(appDir, { recursive: true });
    simpleDll('x64', join(dllDir, 'sodep.dll'), ['SoDepFn']);
    rootDll = simpleDll('x64', join(dllDir, 'soroot.dll'), ['Api'], [{ lib: libFor('x64', join(dir, 'libs'), 'sodep.dll', ['SoDepFn']), names: ['SoDepFn'] }]);
  });
  after(() => removeDir(dir));

  const dep = (overrides: Partial<LoadContext>) => buildDependencyTree(rootDll, defaultLoadContext(rootDll, 'x64', { windowsDir, applicationDir: appDir, ...overrides }))
    .children.find((c) => c.name === 'sodep.dll')!;

  test('plain LoadLibrary(full path) does not find it: 126 in this context', () => {
    const node = dep({});
    assert.equal(node.strategy, 'not-found');
    assert.equal(node.path, null);
  });

  test('LOAD_WITH_ALTERED_SEARCH_PATH finds it beside the DLL', () => {
    const node = dep({ loadMethod: 'altered-search-path' });
    assert.equal(node.strategy, 'dll-dir');
    assert.equal(node.path, join(dir, 'plugin', 'sodep.dll'));
  });

  test('LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR finds it; DEFAULT_DIRS alone does not', () => {
    assert.equal(dep({ loadMethod: 'search-flags', searchFlags: ['dll-load-dir', 'default-dirs'] }).strategy, 'dll-dir');
    assert.equal(dep({ loadMethod: 'search-flags', searchFlags: ['default-dirs'] }).strategy, 'not-found');
  });

  test('plain LoadLibrary finds it when the application folder is the DLL\'s folder, or the folder is on PATH', () => {
    assert.equal(dep({ applicationDir: join(dir, 'plugin') }).strategy, 'application-dir');
    assert.equal(dep({ pathDirs: [join(dir, 'plugin')] }).strategy, 'path');
  });

  test('system DLLs still resolve in System32 when the dependency does not', () => {
    const tree = buildDependencyTree(rootDll, defaultLoadContext(rootDll, 'x64', { windowsDir, applicationDir: appDir }));
    const kernel32 = tree.children.find((c) => c.name.toLowerCase() === 'kernel32.dll')!;
    assert.ok(kernel32.path?.includes(join('windows', 'system32')));
  });
});
