import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeManifest, parseManifest } from './manifest.ts';
import { parsePeFile } from './parse-pe.ts';
import { PYTHON } from '../../test-support/tools.ts';


// pefile extracts the RT_MANIFEST bytes; ElementTree (a real XML parser) reads them.
const ORACLE = `
import json, sys, pefile, xml.etree.ElementTree as ET
pe = pefile.PE(sys.argv[1], fast_load=True)
pe.parse_data_directories(directories=[2])
entry = [e for e in pe.DIRECTORY_ENTRY_RESOURCE.entries if e.id == 24][0]
leaf = entry.directory.entries[0].directory.entries[0].data.struct
root = ET.fromstring(pe.get_data(leaf.OffsetToData, leaf.Size))
local = lambda tag: tag.split("}")[-1]
level = [el for el in root.iter() if local(el.tag) == "requestedExecutionLevel"]
deps = []
for da in [el for el in root.iter() if local(el.tag) == "dependentAssembly"]:
    for ai in [el for el in da.iter() if local(el.tag) == "assemblyIdentity"]:
        deps.append({k: ai.get(k) for k in ["name", "version", "processorArchitecture", "publicKeyToken", "language", "type"]})
print(json.dumps({"level": level[0].get("level") if level else None,
  "uiAccess": (level[0].get("uiAccess").strip().lower() == "true") if level and level[0].get("uiAccess") is not None else None,
  "dependencies": deps}))
`;
const WINE = [
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/notepad.exe',
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/uxtheme.dll',
  '/usr/lib/i386-linux-gnu/wine/i386-windows/comctl32.dll',
].filter((path) => existsSync(path));
const BODY = `<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
<!-- <dependency><dependentAssembly><assemblyIdentity name="Commented.Out" version="9.9.9.9"/></dependentAssembly></dependency> -->
<trustInfo xmlns="urn:schemas-microsoft-com:asm.v3"><security><requestedPrivileges>
<requestedExecutionLevel level="requireAdministrator" uiAccess='true'/></requestedPrivileges></security></trustInfo>
<assemblyIdentity name="Thunk.Fixture" version="1.0.0.0" type="win32"/>
<dependency><dependentAssembly><assemblyIdentity type="win32" name="Microsoft.Windows.Common-Controls" version="6.0.0.0"
  processorArchitecture="amd64" publicKeyToken="6595b64144ccf1df" language="*"/></dependentAssembly></dependency>
<dependency><dependentAssembly><assemblyIdentity type="win32" name="Vendor.A&amp;B" version="9.0.21022.8" processorArchitecture="x86"
  publicKeyToken="1fc8b3b9a1e18e3b"></assemblyIdentity></dependentAssembly></dependency>
</assembly>
`;
const built: string[] = [];

before(() => {
  const work = mkdtempSync(join(tmpdir(), 'thunk-manifest-'));
  writeFileSync(join(work, 'lib.c'), '__declspec(dllexport) int add(int a, int b) { return a + b; }\n');
  const encodings = {
    utf8bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${BODY}`)]),
    utf16: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>\n${BODY}`, 'utf16le')]),
  };
  for (const [name, bytes] of Object.entries(encodings)) {
    writeFileSync(join(work, `${name}.xml`), bytes);
    writeFileSync(join(work, `${name}.rc`), `2 24 "${name}.xml"\n`);
    execFileSync('x86_64-w64-mingw32-windres', [`${name}.rc`, '-O', 'coff', '-o', `${name}.o`], { cwd: work });
    execFileSync('x86_64-w64-mingw32-gcc', ['-shared', '-o', `${name}.dll`, 'lib.c', `${name}.o`], { cwd: work });
    built.push(join(work, `${name}.dll`));
  }
});

function assertMatchesElementTree(path: string): void {
  const expected = JSON.parse(execFileSync(PYTHON, ['-c', ORACLE, path], { encoding: 'utf8' }));
  const manifest = parsePeFile(path).resources!.manifest!;
  assert.deepEqual({ level: manifest.requestedExecutionLevel, uiAccess: manifest.uiAccess, dependencies: manifest.dependencies }, expected, path);
}

test('Wine manifests: execution level and SxS dependencies equal ElementTree on the bytes pefile extracts', (t) => {
  if (WINE.length === 0) return t.skip('Wine PE files are not installed');
  for (const path of WINE) assertMatchesElementTree(path);
});

test('MinGW DLLs with a UTF-8 BOM and a UTF-16 manifest: equal ElementTree (comments ignored, entities decoded)', () => {
  for (const path of built) assertMatchesElementTree(path);
  const manifest = parsePeFile(built[1]!).resources!.manifest!;
  assert.deepEqual(manifest.dependencies.map((dep) => dep.name), ['Microsoft.Windows.Common-Controls', 'Vendor.A&B']);
  assert.equal(manifest.uiAccess, true);
});

test('decodeManifest: BOM-less UTF-16 (LE and BE) and plain UTF-8', () => {
  const xml = '<assembly><x/></assembly>';
  assert.equal(decodeManifest(Buffer.from(xml, 'utf16le')), xml);
  assert.equal(decodeManifest(Buffer.from(xml, 'utf16le').swap16()), xml);
  assert.equal(decodeManifest(Buffer.from([0xfe, 0xff, ...Buffer.from(xml, 'utf16le').swap16()])), xml);
  assert.equal(decodeManifest(Buffer.from(xml)), xml);
});

test('hostile manifests: unclosed comments, tags and huge input stay linear and capped; nothing throws', () => {
  const started = Date.now();
  const hostile = '<!--'.repeat(50_000) + '<a '.repeat(50_000) + '<requestedExecutionLevel level="x"';
  const info = parseManifest(hostile);
  assert.ok(Date.now() - started < 2000, 'linear time');
  assert.equal(info.requestedExecutionLevel, null);
  assert.ok(info.xml.length <= 64 * 1024);
  const unbalanced = parseManifest('</dependentAssembly></dependentAssembly><assemblyIdentity name="outside"/><dependentAssembly><assemblyIdentity name="inside"/>');
  assert.deepEqual(unbalanced.dependencies.map((dep) => dep.name), ['inside']);
  assert.equal(parseManifest('<requestedExecutionLevel level="asInvoker"/>').uiAccess, null);
});
