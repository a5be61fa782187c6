import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IssueLog } from './parse-issues.ts';
import { parseVersionInfo } from './version-info.ts';
import { parsePeFile } from './parse-pe.ts';
import { PYTHON } from '../../test-support/tools.ts';


const ORACLE = `
import json, sys, pefile
pe = pefile.PE(sys.argv[1], fast_load=True)
pe.parse_data_directories(directories=[2])
f = pe.VS_FIXEDFILEINFO[0]
v = lambda hi, lo: "%d.%d.%d.%d" % (hi >> 16, hi & 0xffff, lo >> 16, lo & 0xffff)
tables = []
for info in pe.FileInfo:
    for entry in info:
        for table in getattr(entry, "StringTable", []):
            tables.append({"key": table.LangID.decode(), "strings": {k.decode("utf-8"): s.decode("utf-8") for k, s in table.entries.items()}})
print(json.dumps({"fileVersion": v(f.FileVersionMS, f.FileVersionLS), "productVersion": v(f.ProductVersionMS, f.ProductVersionLS),
  "flags": f.FileFlags & f.FileFlagsMask, "fileOs": f.FileOS, "fileType": f.FileType, "tables": tables}))
`;
const WINE = [
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/comctl32.dll',
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/shell32.dll',
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/msi.dll',
  '/usr/lib/i386-linux-gnu/wine/i386-windows/user32.dll',
  '/usr/lib/i386-linux-gnu/wine/i386-windows/shell32.dll',
].filter((path) => existsSync(path));
const RC = `#include <winver.h>
1 VERSIONINFO
FILEVERSION 1,2,3,4
PRODUCTVERSION 5,6,7,8
FILEFLAGSMASK 0x3f
FILEFLAGS 0x0a
FILEOS 0x40004
FILETYPE 2
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName", "Thunk Test"
      VALUE "FileDescription", "Resource fixture"
      VALUE "PrivateBuild", "private"
    END
    BLOCK "040704e4"
    BEGIN
      VALUE "FileDescription", "Ressourcen"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200, 0x407, 1252
  END
END
`;
const FLAG_NAMES = ['DEBUG', 'PRERELEASE', 'PATCHED', 'PRIVATEBUILD', 'INFOINFERRED', 'SPECIALBUILD']; // VS_FF_* bits 0..5
const built: string[] = [];

before(() => {
  const work = mkdtempSync(join(tmpdir(), 'thunk-version-'));
  writeFileSync(join(work, 'lib.c'), '__declspec(dllexport) int add(int a, int b) { return a + b; }\n');
  writeFileSync(join(work, 'version.rc'), RC);
  for (const [prefix, name] of [['x86_64-w64-mingw32', 'v64.dll'], ['i686-w64-mingw32', 'v32.dll']] as const) {
    const object = join(work, `${name}.res.o`);
    execFileSync(`${prefix}-windres`, [join(work, 'version.rc'), '-O', 'coff', '-o', object]);
    execFileSync(`${prefix}-gcc`, ['-shared', '-o', join(work, name), join(work, 'lib.c'), object]);
    built.push(join(work, name));
  }
});

function assertMatchesPefile(path: string): void {
  const expected = JSON.parse(execFileSync(PYTHON, ['-c', ORACLE, path], { encoding: 'utf8' }));
  const version = parsePeFile(path).resources!.version!;
  const flags = FLAG_NAMES.filter((_, bit) => (expected.flags >> bit) & 1);
  assert.deepEqual(
    { fileVersion: version.fileVersion, productVersion: version.productVersion, flags: version.fileFlags, fileOs: version.fileOs, fileType: version.fileType },
    { fileVersion: expected.fileVersion, productVersion: expected.productVersion, flags, fileOs: expected.fileOs, fileType: expected.fileType }, path);
  // pefile lists the first string table only; it must be ours too.
  for (const table of expected.tables) assert.deepEqual(version.stringTables.find((ours) => ours.key === table.key)?.strings, table.strings, path);
}

test('Wine DLLs (x64, x86): fixed info, flags and string tables equal pefile', (t) => {
  if (WINE.length === 0) return t.skip('Wine PE DLLs are not installed');
  for (const path of WINE) assertMatchesPefile(path);
});

test('MinGW .rc DLLs: versions, PRERELEASE|PRIVATEBUILD flags equal pefile; all tables and translations equal windres -O rc', () => {
  for (const path of built) {
    assertMatchesPefile(path);
    const decompiled = execFileSync('x86_64-w64-mingw32-windres', ['-i', path, '-O', 'rc'], { encoding: 'utf8' });
    const version = parsePeFile(path).resources!.version!;
    const blocks = [...decompiled.matchAll(/BLOCK "([0-9a-fA-F]{8})"/g)].map((match) => match[1]);
    assert.deepEqual(version.stringTables.map((table) => table.key), blocks);
    const values = decompiled.match(/VALUE "Translation", ([^\n]+)/)![1]!.split(',').map((item) => Number(item.trim()));
    assert.deepEqual(version.translations!.flatMap((pair) => [pair.language, pair.codePage]), values);
    assert.equal(version.stringTables[1]!.strings.FileDescription, 'Ressourcen');
  }
});

// A minimal VS_VERSIONINFO node: wLength, wValueLength, wType, key, padding, value, children.
function node(key: string, value: Buffer, isText: boolean, children: Buffer[] = []): Buffer {
  const keyBytes = Buffer.from(`${key}\0`, 'utf16le');
  const head = Buffer.alloc(6 + keyBytes.length + ((6 + keyBytes.length) % 4 ? 2 : 0));
  keyBytes.copy(head, 6);
  const padded = Buffer.concat([value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  const body = Buffer.concat([head, padded, ...children]);
  head.writeUInt16LE(body.length, 0);
  head.writeUInt16LE(isText ? value.length / 2 : value.length, 2);
  head.writeUInt16LE(isText ? 1 : 0, 4);
  return Buffer.concat([head, padded, ...children]);
}

test('hostile keys such as __proto__ stay own properties', () => {
  const text = (s: string) => Buffer.from(`${s}\0`, 'utf16le');
  const table = node('040904b0', Buffer.alloc(0), true, [node('__proto__', text('polluted'), true), node('constructor', text('x'), true)]);
  const root = node('VS_VERSION_INFO', Buffer.alloc(0), false, [node('StringFileInfo', Buffer.alloc(0), true, [table])]);
  const info = parseVersionInfo(root, new IssueLog())!;
  const strings = info.stringTables[0]!.strings;
  assert.equal(Object.getOwnPropertyDescriptor(strings, '__proto__')?.value, 'polluted');
  assert.equal(Object.getPrototypeOf(strings), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('malformed: truncated, wrong root key, zero-length and oversized nodes, bad fixed-info signature', () => {
  const issues = new IssueLog();
  assert.equal(parseVersionInfo(Buffer.from([1, 2]), issues), null);
  assert.equal(parseVersionInfo(node('NOT_VERSION', Buffer.alloc(0), false), issues), null);
  assert.equal(issues.issues.length, 2);

  const fixed = Buffer.alloc(52);
  fixed.writeUInt32LE(0x12345678, 0);
  const badFixed = new IssueLog();
  const bad = parseVersionInfo(node('VS_VERSION_INFO', fixed, false), badFixed)!;
  assert.equal(bad.fileVersion, null);
  assert.match(badFixed.issues[0]!.message, /FEEF04BD/);

  const oversized = node('VS_VERSION_INFO', Buffer.alloc(0), false, [node('StringFileInfo', Buffer.alloc(0), true)]);
  oversized.writeUInt16LE(0xfff0, 40); // the child's wLength (the root's header and key take 40 bytes)
  const overIssues = new IssueLog();
  assert.equal(parseVersionInfo(oversized, overIssues)!.stringTables.length, 0);
  assert.match(overIssues.issues[0]!.message, /runs past its parent/);

  const zeroChild = Buffer.concat([node('VS_VERSION_INFO', Buffer.alloc(0), false), Buffer.alloc(64)]);
  zeroChild.writeUInt16LE(zeroChild.length, 0);
  const zeroIssues = new IssueLog();
  const zero = parseVersionInfo(zeroChild, zeroIssues)!;
  assert.deepEqual(zero.stringTables, []);

  const cut = Buffer.from(node('VS_VERSION_INFO', Buffer.alloc(52), false));
  const cutIssues = new IssueLog();
  parseVersionInfo(cut.subarray(0, 50), cutIssues);
  assert.ok(cutIssues.issues.some((issue) => /runs past its parent/.test(issue.message)));
});
