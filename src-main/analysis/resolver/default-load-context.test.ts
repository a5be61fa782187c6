import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { defaultLoadContext } from './default-load-context.ts';
import { hostWindowsDir } from './windows-dirs.ts';

const dll = join('/opt', 'vendor', 'bin', 'plugin.dll');

describe('defaultLoadContext', () => {
  test('with nothing said: the DLL\'s own folder as application folder, plain LoadLibrary, no extra folders', () => {
    const context = defaultLoadContext(dll, 'x64');
    assert.equal(context.applicationDir, resolve('/opt/vendor/bin'));
    assert.equal(context.loadMethod, 'load-library');
    assert.equal(context.hostExecutable, null);
    assert.deepEqual([context.searchFlags, context.pathDirs, context.extraDirs, context.currentDir], [[], [], [], null]);
    assert.equal(context.windowsDir, hostWindowsDir());
  });

  test('a relative DLL path gives an absolute application folder', () => {
    assert.equal(defaultLoadContext(join('rel', 'x.dll'), 'x86').applicationDir, resolve('rel'));
  });

  test('a host executable moves the application folder to the executable\'s', () => {
    const context = defaultLoadContext(dll, 'x86', { hostExecutable: '/apps/host/host.exe' });
    assert.equal(context.applicationDir, resolve('/apps/host'));
    assert.equal(context.hostExecutable, '/apps/host/host.exe');
  });

  test('an explicit application folder wins over the host executable\'s', () => {
    assert.equal(defaultLoadContext(dll, 'x86', { hostExecutable: '/apps/host/host.exe', applicationDir: '/elsewhere' }).applicationDir, '/elsewhere');
  });

  test('overrides given as undefined keep the defaults; windowsDir null is kept as "none known"', () => {
    const context = defaultLoadContext(dll, 'x64', { loadMethod: undefined, extraDirs: undefined, windowsDir: null, applicationDir: undefined });
    assert.equal(context.loadMethod, 'load-library');
    assert.deepEqual(context.extraDirs, []);
    assert.equal(context.windowsDir, null);
    assert.equal(context.applicationDir, resolve('/opt/vendor/bin'));
  });

  test('the host bitness argument cannot be overridden', () => {
    assert.equal(defaultLoadContext(dll, 'x86', { hostArch: 'x64' }).hostArch, 'x86');
  });

  test('other overrides are taken as given', () => {
    const context = defaultLoadContext(dll, 'x64', { loadMethod: 'search-flags', searchFlags: ['system32'], pathDirs: ['/p'], currentDir: '/cwd', windowsDir: '/win' });
    assert.deepEqual([context.loadMethod, context.searchFlags, context.pathDirs, context.currentDir, context.windowsDir], ['search-flags', ['system32'], ['/p'], '/cwd', '/win']);
  });
});
