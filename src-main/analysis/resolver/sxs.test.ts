import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir } from './test-support/build-fixture.ts';
import { DirectoryIndex } from './directory-index.ts';
import { knownAssemblyFiles, manifestFiles, resolveSxsAssembly, type SxsScope } from './sxs.ts';
import type { SxsDependency } from '../pe/pe-image.ts';
import type { HostArch } from './load-context.ts';

const VC90: SxsDependency = { name: 'Microsoft.VC90.CRT', version: '9.0.21022.8', processorArchitecture: 'amd64', publicKeyToken: '1fc8b3b9a1e18e3b', language: null, type: 'win32' };
const TOKEN = '1fc8b3b9a1e18e3b';

function assemblyManifest(name: string, files: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="${name}" version="9.0.21022.8" processorArchitecture="amd64" publicKeyToken="${TOKEN}"/>
${files.map((f) => `  <file name='${f}' hashalg="SHA1"/>`).join('\n')}
</assembly>`;
}

let dir: string;
before(() => {
  dir = makeTempDir('sxs');
});
after(() => removeDir(dir));

function folder(...parts: string[]): string {
  const path = join(dir, ...parts);
  mkdirSync(path, { recursive: true });
  return path;
}
const scope = (applicationDir: string, windowsDir: string | null, hostArch: HostArch = 'x64'): SxsScope => ({ index: new DirectoryIndex(), applicationDir, windowsDir, hostArch });

describe('private assemblies in the application folder', () => {
  test('<name>.manifest beside the application: its <file> entries are what it provides', () => {
    const app = folder('app-manifest');
    writeFileSync(join(app, 'microsoft.vc90.crt.manifest'), assemblyManifest('Microsoft.VC90.CRT', ['MSVCR90.dll', 'msvcp90.dll']));
    const found = resolveSxsAssembly(VC90, scope(app, null));
    assert.equal(found.where, 'application-dir');
    assert.equal(found.path, join(app, 'microsoft.vc90.crt.manifest'));
    assert.deepEqual(found.files, ['msvcr90.dll', 'msvcp90.dll']);
  });

  test('<name>/<name>.manifest in a subfolder', () => {
    const app = folder('app-sub');
    const sub = folder('app-sub', 'Microsoft.VC90.CRT');
    writeFileSync(join(sub, 'Microsoft.VC90.CRT.manifest'), assemblyManifest('Microsoft.VC90.CRT', ['msvcr90.dll']));
    const found = resolveSxsAssembly(VC90, scope(app, null));
    assert.equal(found.path, join(sub, 'Microsoft.VC90.CRT.manifest'));
    assert.deepEqual(found.files, ['msvcr90.dll']);
  });

  test('<name>.dll: a single-file assembly providing itself', () => {
    const app = folder('app-dll');
    writeFileSync(join(app, 'Contoso.Widgets.DLL'), '');
    const dep = { ...VC90, name: 'Contoso.Widgets' };
    const found = resolveSxsAssembly(dep, scope(app, null));
    assert.equal(found.path, join(app, 'Contoso.Widgets.DLL'));
    assert.deepEqual(found.files, ['contoso.widgets.dll']);
  });

  test('the application folder wins over WinSxS', () => {
    const win = folder('win-both', 'Windows');
    folder('win-both', 'Windows', 'WinSxS', `amd64_microsoft.vc90.crt_${TOKEN}_9.0.21022.8_none_bcb86ed6ac711f91`);
    const app = folder('app-both');
    writeFileSync(join(app, 'Microsoft.VC90.CRT.manifest'), assemblyManifest('Microsoft.VC90.CRT', ['msvcr90.dll']));
    assert.equal(resolveSxsAssembly(VC90, scope(app, win)).where, 'application-dir');
  });
});

describe('shared assemblies in WinSxS', () => {
  let win: string;
  let app: string;
  const sxsFolder = (arch: string, version: string, token = TOKEN) => `${arch}_microsoft.vc90.crt_${token}_${version}_none_0123456789abcdef`;

  before(() => {
    win = folder('win', 'Windows');
    app = folder('empty-app');
    // Windows' own capitalisation: WinSxS, WinSxS\Manifests.
    const winsxs = folder('win', 'Windows', 'WinSxS');
    const manifests = folder('win', 'Windows', 'WinSxS', 'Manifests');
    for (const [arch, version] of [['amd64', '9.0.21022.8'], ['amd64', '9.0.30729.6161'], ['amd64', '9.1.1.1'], ['x86', '9.0.21022.8']]) {
      const name = sxsFolder(arch!, version!);
      folder('win', 'Windows', 'WinSxS', name);
      writeFileSync(join(winsxs, name, 'msvcr90.dll'), '');
      writeFileSync(join(winsxs, name, 'msvcp90.dll'), '');
      writeFileSync(join(winsxs, name, 'readme.txt'), '');
      // The manifest also names msvcm90.dll, which this copy's folder lacks: files must come from it.
      writeFileSync(join(manifests, `${name}.manifest`), assemblyManifest('Microsoft.VC90.CRT', ['msvcr90.dll', 'msvcp90.dll', 'msvcm90.dll']));
    }
    folder('win', 'Windows', 'WinSxS', sxsFolder('amd64', '9.0.21022.8', 'deadbeefdeadbeef'));
  });

  test('the exact version for the host\'s architecture, with the files its manifest lists', () => {
    const found = resolveSxsAssembly(VC90, scope(app, win));
    assert.equal(found.where, 'winsxs');
    assert.equal(found.path, join(win, 'WinSxS', sxsFolder('amd64', '9.0.21022.8')));
    assert.deepEqual(found.files.sort(), ['msvcm90.dll', 'msvcp90.dll', 'msvcr90.dll']);
  });

  test('processorArchitecture "*" means the host\'s: x86 for a 32-bit host, amd64 for a 64-bit one', () => {
    const any = { ...VC90, processorArchitecture: '*' };
    assert.match(resolveSxsAssembly(any, scope(app, win, 'x86')).path!, /[\\/]x86_microsoft\.vc90\.crt_/);
    assert.match(resolveSxsAssembly(any, scope(app, win, 'x64')).path!, /[\\/]amd64_microsoft\.vc90\.crt_.*_9\.0\.21022\.8_/);
    assert.match(resolveSxsAssembly({ ...VC90, processorArchitecture: 'win32' }, scope(app, win)).path!, /[\\/]x86_/);
  });

  test('a missing exact version: the newest of the same major.minor (publisher policy), never another minor', () => {
    const found = resolveSxsAssembly({ ...VC90, version: '9.0.1.0' }, scope(app, win));
    assert.equal(found.path, join(win, 'WinSxS', sxsFolder('amd64', '9.0.30729.6161')));
    assert.equal(resolveSxsAssembly({ ...VC90, version: '9.2.0.0' }, scope(app, win)).path, null);
  });

  test('a different public key token is another assembly', () => {
    const found = resolveSxsAssembly({ ...VC90, publicKeyToken: 'deadbeefdeadbeef', version: '9.0.21022.8' }, scope(app, win));
    assert.equal(found.path, join(win, 'WinSxS', sxsFolder('amd64', '9.0.21022.8', 'deadbeefdeadbeef')));
    // No manifest for that one: its folder's DLLs (none) are what it provides.
    assert.deepEqual(found.files, []);
  });
});

describe('not found', () => {
  test('nowhere: no path, and a known assembly still says which DLLs only it provides', () => {
    const found = resolveSxsAssembly(VC90, scope(folder('nothing'), folder('nothing-win')));
    assert.deepEqual([found.path, found.where], [null, null]);
    assert.deepEqual(found.files, ['msvcr90.dll', 'msvcp90.dll', 'msvcm90.dll']);
  });

  test('an unknown assembly provides nothing known; no Windows folder is no error', () => {
    const found = resolveSxsAssembly({ ...VC90, name: 'Contoso.Unknown' }, scope(folder('nothing2'), null));
    assert.deepEqual(found.files, []);
    assert.equal(found.path, null);
  });
});

describe('manifestFiles / knownAssemblyFiles', () => {
  test('file names from <file> elements, either quote style, lowercase; other elements ignored', () => {
    const xml = '<assembly><file name="A.dll"/><file hashalg="SHA1" name=\'b.DLL\'></file><filex name="no.dll"/><dependency name="x.dll"/></assembly>';
    assert.deepEqual(manifestFiles(xml), ['a.dll', 'b.dll']);
    assert.deepEqual(manifestFiles(''), []);
  });

  test('known assemblies by case-insensitive name', () => {
    assert.deepEqual(knownAssemblyFiles('Microsoft.Windows.Common-Controls'), ['comctl32.dll']);
    assert.deepEqual(knownAssemblyFiles('microsoft.vc80.crt'), ['msvcr80.dll', 'msvcp80.dll', 'msvcm80.dll']);
    assert.deepEqual(knownAssemblyFiles('Contoso.Unknown'), []);
  });
});
