import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParseContext } from './parse-context.ts';
import type { DataDirectory } from './pe-image.ts';
import { debugTypeName, readDebugDirectory } from './debug-directory.ts';
import { headerContextOf } from '../../test-support/header-context.ts';
import { PYTHON } from '../../test-support/tools.ts';


const ORACLE = `
import json, sys, uuid, pefile
pe = pefile.PE(sys.argv[1])
out = {"entries": [], "codeView": None, "dirOffset": pe.get_offset_from_rva(pe.OPTIONAL_HEADER.DATA_DIRECTORY[6].VirtualAddress)}
for d in getattr(pe, "DIRECTORY_ENTRY_DEBUG", []):
    s = d.struct
    out["entries"].append({"type": s.Type, "typeName": pefile.DEBUG_TYPE.get(s.Type, ""), "timeDateStamp": s.TimeDateStamp,
        "sizeOfData": s.SizeOfData, "pointerToRawData": s.PointerToRawData})
    e = d.entry
    if s.Type == 2 and e is not None and out["codeView"] is None and getattr(e, "CvSignature", b"") == b"RSDS":
        guid = uuid.UUID(fields=(e.Signature_Data1, e.Signature_Data2, e.Signature_Data3, e.Signature_Data4,
            e.Signature_Data5, e.Signature_Data6_value))
        out["codeView"] = {"signature": "RSDS", "guid": "{" + str(guid).upper() + "}", "age": e.Age,
            "pdbPath": getattr(e, "PdbFileName", b"").split(b"\\0")[0].decode("utf-8")}
print(json.dumps(out))
`;
const MSVC = [
  '/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/t32.exe',
  '/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/t64-arm.exe',
  '/root/.pyenv/versions/3.7.16/lib/python3.7/distutils/command/wininst-14.0-amd64.exe',
].filter((path) => existsSync(path));

let work = '';
const built: string[] = [];

before(() => {
  work = mkdtempSync(join(tmpdir(), 'thunk-debug-'));
  writeFileSync(join(work, 'lib.c'), '__declspec(dllexport) int add(int a, int b) { return a + b; }\n');
  for (const [compiler, name] of [['x86_64-w64-mingw32-gcc', 'dbg64.dll'], ['i686-w64-mingw32-gcc', 'dbg32.dll']] as const) {
    const out = join(work, name);
    execFileSync(compiler, ['-shared', '-o', out, join(work, 'lib.c'), '-Wl,--build-id', `-Wl,--pdb=${join(work, name.replace('.dll', '.pdb'))}`]);
    built.push(out);
  }
});

function contextOf(bytes: Buffer): { ctx: ParseContext; debugDir: DataDirectory } {
  const { ctx, directories } = headerContextOf(bytes);
  return { ctx, debugDir: directories[6]! };
}

const pefileDebug = (path: string) => JSON.parse(execFileSync(PYTHON, ['-c', ORACLE, path], { encoding: 'utf8' }));

function assertMatchesPefile(path: string): void {
  const expected = pefileDebug(path);
  const { ctx, debugDir } = contextOf(readFileSync(path));
  const info = readDebugDirectory(ctx, debugDir)!;
  assert.deepEqual(info.entries.map((entry) => ({ ...entry, typeName: `IMAGE_DEBUG_TYPE_${entry.typeName}` })), expected.entries, path);
  assert.deepEqual(info.codeView, expected.codeView, path);
  assert.deepEqual(ctx.issues.issues, [], path);
}

test('MinGW --build-id/--pdb DLLs (x64, x86): entries and RSDS GUID/age/PDB path equal pefile', () => {
  for (const path of built) {
    assertMatchesPefile(path);
    const { ctx, debugDir } = contextOf(readFileSync(path));
    assert.ok(readDebugDirectory(ctx, debugDir)!.codeView!.pdbPath.endsWith('.pdb'), path);
  }
});

test('MSVC-linked files (CODEVIEW, VC_FEATURE, POGO): entries and CodeView equal pefile', (t) => {
  if (MSVC.length === 0) return t.skip('no MSVC-linked executables found on this machine (pyenv distlib launchers)');
  for (const path of MSVC) assertMatchesPefile(path);
});

test('type names follow IMAGE_DEBUG_TYPE_* (pefile table where it has them, PE format doc for 17-19)', () => {
  const pefileNames: Record<string, string> = JSON.parse(execFileSync(PYTHON, ['-c',
    'import json, pefile; print(json.dumps({str(v): k for k, v in pefile.debug_types}))'], { encoding: 'utf8' }));
  for (const [type, name] of Object.entries(pefileNames)) assert.equal(`IMAGE_DEBUG_TYPE_${debugTypeName(Number(type))}`, name);
  assert.deepEqual([17, 18, 19].map(debugTypeName), ['EMBEDDED_PORTABLE_PDB', 'SPGO', 'PDBCHECKSUM']);
  assert.equal(debugTypeName(99), 'TYPE_99');
});

test('a REPRO entry marks the build reproducible (entry type patched in memory)', () => {
  const bytes = readFileSync(built[0]!);
  const { ctx, debugDir } = contextOf(bytes);
  const table = ctx.space.rvaToOffset(debugDir.rva)!;
  assert.equal(readDebugDirectory(ctx, debugDir)!.reproducible, false);
  bytes.writeUInt32LE(16, table + 12);
  const patched = contextOf(bytes);
  const info = readDebugDirectory(patched.ctx, patched.debugDir)!;
  assert.equal(info.reproducible, true);
  assert.equal(info.entries[0]!.typeName, 'REPRO');
  assert.equal(info.codeView, null);
});

test('malformed: odd size, oversized count, CodeView past EOF, a too-short CodeView record', () => {
  const bytes = readFileSync(built[0]!);
  const { ctx, debugDir } = contextOf(bytes);
  const table = ctx.space.rvaToOffset(debugDir.rva)!;

  const odd = readDebugDirectory(ctx, { ...debugDir, size: 30 })!;
  assert.equal(odd.entries.length, 1);
  assert.match(ctx.issues.issues[0]!.message, /not a multiple of 28/);

  const huge = contextOf(bytes);
  const many = readDebugDirectory(huge.ctx, { ...debugDir, size: 28 * 1_000_000 })!;
  assert.ok(many.entries.length <= 64);
  assert.ok(huge.ctx.issues.issues.some((issue) => /capped at 64/.test(issue.message)));

  const pastEnd = Buffer.from(bytes);
  pastEnd.writeUInt32LE(bytes.length + 100, table + 24);
  const cut = contextOf(pastEnd);
  assert.equal(readDebugDirectory(cut.ctx, cut.debugDir)!.codeView, null);
  assert.ok(cut.ctx.issues.issues.some((issue) => /past the end/.test(issue.message)));

  const short = Buffer.from(bytes);
  short.writeUInt32LE(6, table + 16);
  const tiny = contextOf(short);
  assert.equal(readDebugDirectory(tiny.ctx, tiny.debugDir)!.codeView, null);
  assert.ok(tiny.ctx.issues.issues.some((issue) => /no complete RSDS/.test(issue.message)));

  const unmapped = contextOf(bytes);
  assert.equal(readDebugDirectory(unmapped.ctx, { ...debugDir, rva: 0x7fff0000 }), null);
  assert.equal(unmapped.ctx.issues.issues.length, 1);
});
