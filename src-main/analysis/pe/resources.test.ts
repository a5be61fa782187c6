import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParseContext } from './parse-context.ts';
import type { DataDirectory } from './pe-image.ts';
import { readResources } from './resources.ts';
import { headerContextOf } from '../../test-support/header-context.ts';
import { PYTHON } from '../../test-support/tools.ts';


const ORACLE = `
import json, sys, pefile
pe = pefile.PE(sys.argv[1], fast_load=True)
pe.parse_data_directories(directories=[2])
types = []
for e in pe.DIRECTORY_ENTRY_RESOURCE.entries:
    name = str(e.name) if e.name is not None else pefile.RESOURCE_TYPE.get(e.id, "#%d" % e.id)
    types.append({"type": name, "count": len(e.directory.entries)})
print(json.dumps(types))
`;
const WINE = [
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/comctl32.dll',
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/notepad.exe',
  '/usr/lib/i386-linux-gnu/wine/i386-windows/comctl32.dll',
  '/usr/lib/i386-linux-gnu/wine/i386-windows/shell32.dll',
].filter((path) => existsSync(path));
const RC = `#include <winver.h>
1 VERSIONINFO
FILEVERSION 1,2,3,4
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "FileDescription", "Resource fixture"
    END
  END
END
2 24 "manifest.xml"
THUNKDATA RCDATA { 1, 2, 3 }
7 THUNKTYPE { "abc" }
8 THUNKTYPE { "def" }
300 300 { "x" }
`;
const MANIFEST = '<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0"><trustInfo><security><requestedPrivileges>'
  + '<requestedExecutionLevel level="asInvoker" uiAccess="false"/></requestedPrivileges></security></trustInfo></assembly>';
let fixture = '';

before(() => {
  const work = mkdtempSync(join(tmpdir(), 'thunk-resources-'));
  writeFileSync(join(work, 'lib.c'), '__declspec(dllexport) int add(int a, int b) { return a + b; }\n');
  writeFileSync(join(work, 'res.rc'), RC);
  writeFileSync(join(work, 'manifest.xml'), MANIFEST);
  execFileSync('x86_64-w64-mingw32-windres', ['res.rc', '-O', 'coff', '-o', 'res.o'], { cwd: work });
  fixture = join(work, 'res.dll');
  execFileSync('x86_64-w64-mingw32-gcc', ['-shared', '-o', fixture, 'lib.c', 'res.o'], { cwd: work });
});

function contextOf(bytes: Buffer): { ctx: ParseContext; dir: DataDirectory } {
  const { ctx, directories } = headerContextOf(bytes);
  return { ctx, dir: directories[2]! };
}

function assertTypesMatchPefile(path: string) {
  const expected = JSON.parse(execFileSync(PYTHON, ['-c', ORACLE, path], { encoding: 'utf8' }));
  const { ctx, dir } = contextOf(readFileSync(path));
  const summary = readResources(ctx, dir)!;
  assert.deepEqual(summary.types, expected, path);
  assert.deepEqual(ctx.issues.issues, [], path);
  return summary;
}

test('Wine DLLs and EXEs (x64, x86): resource types and per-type counts equal pefile', (t) => {
  if (WINE.length === 0) return t.skip('Wine PE DLLs are not installed');
  for (const path of WINE) {
    const summary = assertTypesMatchPefile(path);
    assert.ok(summary.version || summary.manifest, `${path} has a version or a manifest`);
  }
});

test('MinGW .rc DLL: named and numbered custom types, RCDATA, version and manifest found', () => {
  const summary = assertTypesMatchPefile(fixture);
  assert.deepEqual(summary.types.find((type) => type.type === 'THUNKTYPE'), { type: 'THUNKTYPE', count: 2 });
  assert.equal(summary.version?.fileVersion, '1.2.3.4');
  assert.equal(summary.manifest?.requestedExecutionLevel, 'asInvoker');
});

// Offsets inside the in-memory copy of the fixture's resource tree.
function treeOf(bytes: Buffer) {
  const { ctx, dir } = contextOf(bytes);
  const root = ctx.space.rvaToOffset(dir.rva)!;
  return { root, dir, firstEntry: root + 16 };
}

test('malformed: a subdirectory looping back to the root is reported once and not followed', () => {
  const bytes = readFileSync(fixture);
  const { root, firstEntry } = treeOf(bytes);
  const typeDir = root + (bytes.readUInt32LE(firstEntry + 4) & 0x7fffffff);
  bytes.writeUInt32LE(0x80000000, typeDir + 16 + 4); // the first name entry points at the root again
  const { ctx, dir } = contextOf(bytes);
  const summary = readResources(ctx, dir)!;
  assert.ok(summary.types.length >= 4);
  assert.ok(ctx.issues.issues.some((issue) => /loop/.test(issue.message)));
});

test('malformed: 65535 declared entries, a data entry outside the file, an unmapped root', () => {
  const bytes = readFileSync(fixture);
  const { root, dir } = treeOf(bytes);
  const many = Buffer.from(bytes);
  many.writeUInt16LE(0xffff, root + 14);
  many.writeUInt16LE(0xffff, root + 12);
  const m = contextOf(many);
  assert.doesNotThrow(() => readResources(m.ctx, m.dir));
  assert.ok(m.ctx.issues.issues.length > 0);
  assert.ok(m.ctx.issues.issues.length <= 200);

  const data = Buffer.from(bytes);
  const { ctx: base } = contextOf(bytes);
  const leaf = findVersionDataEntry(bytes, root, dir.rva, base);
  data.writeUInt32LE(0x7ff00000, leaf);
  const d = contextOf(data);
  const summary = readResources(d.ctx, d.dir)!;
  assert.equal(summary.version, null);
  assert.ok(d.ctx.issues.issues.some((issue) => /declares \d+ bytes; 0 read/.test(issue.message)));

  const u = contextOf(bytes);
  assert.equal(readResources(u.ctx, { ...u.dir, rva: 0x7ff00000 }), null);
  assert.equal(u.ctx.issues.issues.length, 1);
});

// Follows type 16 -> first name -> first language to the IMAGE_RESOURCE_DATA_ENTRY.
function findVersionDataEntry(bytes: Buffer, root: number, baseRva: number, ctx: ParseContext): number {
  const count = bytes.readUInt16LE(root + 12) + bytes.readUInt16LE(root + 14);
  for (let index = 0; index < count; index++) {
    const at = root + 16 + index * 8;
    if (bytes.readUInt32LE(at) !== 16) continue;
    const names = ctx.space.rvaToOffset(baseRva + (bytes.readUInt32LE(at + 4) & 0x7fffffff))!;
    const languages = ctx.space.rvaToOffset(baseRva + (bytes.readUInt32LE(names + 20) & 0x7fffffff))!;
    return ctx.space.rvaToOffset(baseRva + bytes.readUInt32LE(languages + 20))!;
  }
  throw new Error('no RT_VERSION in the fixture');
}
