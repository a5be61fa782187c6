import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fixturePath } from '../../test-support/fixtures.ts';
import { parsePeFile } from './parse-pe.ts';
import { headersView, sectionOfRva } from './headers-view.ts';

const WINE_KERNEL32 = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/kernel32.dll';
const NODE_EXE = new URL('../../../build/agents/win32-x64/node.exe', import.meta.url).pathname;

test('a fixture: file and optional header flags in words, version strings and manifest text, sections with entropy', () => {
  const view = headersView(parsePeFile(fixturePath('version-and-manifest', 'x64')));
  const setFlags = view.fileHeader.flags.filter((f) => f.set).map((f) => f.name);
  assert.ok(setFlags.includes('DLL') && setFlags.includes('EXECUTABLE_IMAGE'), setFlags.join());
  assert.equal(view.fileHeader.flags.find((f) => f.name === 'DLL')!.words, 'a DLL, not a program');
  assert.ok(view.fileHeader.flags.some((f) => !f.set), 'flags that are off are listed too');
  assert.ok(view.optionalHeader!.dllFlags.find((f) => f.name === 'NX_COMPAT')!.set);
  assert.equal(view.optionalHeader!.format, 'PE32+');
  assert.equal(view.sections.length, view.fileHeader.numberOfSections);
  const text = view.sections.find((s) => s.name === '.text')!;
  assert.ok(text.entropy! > 4 && text.entropy! < 7.2, `code entropy ${text.entropy}`);
  assert.deepEqual(text.flags.map((f) => f.name).filter((n) => n === 'CODE' || n === 'EXECUTE'), ['CODE', 'EXECUTE']);
  assert.equal(view.resources!.version!.fileVersion, '1.2.3.4');
  assert.ok(view.resources!.version!.strings.some((s) => s.name === 'CompanyName' && s.value === 'Thunk Fixtures'));
  assert.match(view.resources!.manifest!.xml, /requireAdministrator/);
  assert.equal(view.resources!.manifest!.resourceId, 2);
  assert.ok(view.resources!.manifest!.dependencies[0]!.startsWith('Microsoft.Windows.Common-Controls 6.0.0.0'));
  const exportDir = view.dataDirectories.find((d) => d.index === 0)!;
  assert.equal(exportDir.section, '.edata');
  assert.equal(view.richHeader, null, 'MinGW writes no Rich header');
  JSON.stringify(view); // plain JSON: no bigint left
});

test('a fixture with its own TLS callback: the callbacks as addresses', () => {
  const view = headersView(parsePeFile(fixturePath('tls-callback', 'x86')));
  assert.ok(view.tls!.callbacks.length >= 1);
  assert.ok(view.tls!.callbacks.every((va) => /^0x[0-9a-f]+$/.test(va)));
  assert.equal(view.optionalHeader!.format, 'PE32');
  assert.ok(view.fileHeader.flags.find((f) => f.name === '32BIT_MACHINE')!.set);
});

test("Wine's kernel32.dll: an overlay, data directories placed in sections, a version resource", { skip: !existsSync(WINE_KERNEL32) && `${WINE_KERNEL32} is absent (install wine64)` }, () => {
  const view = headersView(parsePeFile(WINE_KERNEL32));
  assert.ok(view.overlay && view.overlay.size > 0 && view.overlay.offset + view.overlay.size === view.fileSize);
  assert.ok(view.dataDirectories.filter((d) => d.size > 0).every((d) => d.index === 4 || d.section !== null));
  assert.equal(view.resources!.version!.strings.find((s) => s.name === 'OriginalFilename')!.value, 'kernel32.dll');
  assert.equal(view.debug, null);
});

test('node.exe (MSVC-built, signed): Rich header, PDB, load config, certificates, TLS callbacks', { skip: !existsSync(NODE_EXE) && `${NODE_EXE} is absent (run npm run stage:agents)` }, () => {
  const view = headersView(parsePeFile(NODE_EXE));
  assert.ok(view.richHeader!.checksumValid && view.richHeader!.entries.length > 0);
  assert.match(view.debug!.pdb!.path, /node\.pdb$/i);
  assert.match(view.debug!.pdb!.guid!, /^\{[0-9A-F-]{36}\}$/);
  assert.ok(view.loadConfig!.securityCookie!.startsWith('0x'));
  assert.ok(view.certificates!.authenticode && view.certificates!.entries[0]!.typeName === 'PKCS_SIGNED_DATA');
  assert.ok(view.tls!.callbacks.length > 0);
  assert.equal(view.fileHeader.flags.find((f) => f.name === 'DLL')!.set, false);
});

test('sectionOfRva: inside a section by virtual extent, outside gives null', () => {
  const sections = parsePeFile(fixturePath('data-exports', 'x64')).sections;
  const text = sections.find((s) => s.name === '.text')!;
  assert.equal(sectionOfRva(sections, text.virtualAddress), '.text');
  assert.equal(sectionOfRva(sections, 0x10), null);
});
