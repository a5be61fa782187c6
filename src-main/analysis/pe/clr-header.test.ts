import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReader } from './file-reader.ts';
import { type ParseContext } from './parse-context.ts';
import type { MachineName, Section } from './pe-image.ts';
import { clrFlavor, readClrHeader } from './clr-header.ts';
import { parsePe } from './parse-pe.ts';
import { headerContextOf } from '../../test-support/header-context.ts';
import { type ClrPatch, withClrHeader } from '../../test-support/clr-patch.ts';

// No .NET assembly ships with Debian: these tests build MinGW DLLs and patch an IMAGE_COR20_HEADER
// and a "BSJB" metadata root into them in memory (clr-patch.ts). Expected flavors follow the CorFlags documentation.
const built: Record<'x86' | 'x64', Buffer> = { x86: Buffer.alloc(0), x64: Buffer.alloc(0) };

before(() => {
  const work = mkdtempSync(join(tmpdir(), 'thunk-clr-'));
  writeFileSync(join(work, 'lib.c'), '__declspec(dllexport) int add(int a, int b) { return a + b; }\n');
  execFileSync('x86_64-w64-mingw32-gcc', ['-shared', '-o', join(work, 'x64.dll'), join(work, 'lib.c')]);
  execFileSync('i686-w64-mingw32-gcc', ['-shared', '-o', join(work, 'x86.dll'), join(work, 'lib.c')]);
  built.x64 = readFileSync(join(work, 'x64.dll'));
  built.x86 = readFileSync(join(work, 'x86.dll'));
});

function contextOf(bytes: Buffer): { ctx: ParseContext; machine: MachineName; sections: Section[]; directoriesAt: number } {
  const { ctx, fileHeader, sections, directoriesAt } = headerContextOf(bytes);
  return { ctx, machine: fileHeader.machine, sections, directoriesAt };
}

function clrOf(source: Buffer, patch: ClrPatch) {
  const { bytes, dir } = withClrHeader(source, patch);
  const { ctx, machine } = contextOf(bytes);
  return { info: readClrHeader(ctx, dir, machine), issues: ctx.issues.issues };
}

test('patched MinGW x86 DLL: COR20 fields, metadata version and PE32 flavors', () => {
  const cases: [number, string, { x86: boolean; x64: boolean }][] = [
    [0x1, 'anycpu', { x86: true, x64: true }],
    [0x3, 'x86-only', { x86: true, x64: false }],
    [0x20003, 'anycpu-prefer32', { x86: true, x64: true }],
    [0x0, 'mixed-mode', { x86: true, x64: false }],
    [0x2, 'mixed-mode', { x86: true, x64: false }],
  ];
  for (const [flags, flavor, loadsIn] of cases) {
    const { info, issues } = clrOf(built.x86, { flags });
    assert.deepEqual([info!.flavor, info!.loadsIn], [flavor, loadsIn], `flags 0x${flags.toString(16)}`);
    assert.deepEqual(issues, []);
  }
  const { info } = clrOf(built.x86, { flags: 0x9 });
  assert.deepEqual(
    { runtime: info!.runtimeVersion, metadata: info!.metadataVersion, ilOnly: info!.ilOnly, strong: info!.strongNameSigned, req: info!.requires32Bit },
    { runtime: '2.5', metadata: 'v4.0.30319', ilOnly: true, strong: true, req: false },
  );
});

test('patched MinGW x64 DLL: PE32+ IL-only is x64-only, without ILONLY mixed-mode; arm64 machine is arm64-only', () => {
  assert.deepEqual(clrOf(built.x64, { flags: 0x1 }).info!.loadsIn, { x86: false, x64: true });
  assert.equal(clrOf(built.x64, { flags: 0x1 }).info!.flavor, 'x64-only');
  assert.deepEqual([clrOf(built.x64, { flags: 0x0 }).info!.flavor, clrOf(built.x64, { flags: 0x0 }).info!.loadsIn], ['mixed-mode', { x86: false, x64: true }]);
  const arm = clrFlavor({ ilOnly: true, requires32Bit: false, prefers32Bit: false, is64Bit: true, machine: 'arm64' });
  assert.deepEqual(arm, { flavor: 'arm64-only', loadsIn: { x86: false, x64: false } });
});

test('through the parser: the patched DLL reports its CLR header', () => {
  const { bytes } = withClrHeader(built.x86, { flags: 0x1 });
  const image = parsePe(FileReader.fromBuffer(bytes), 'patched.dll');
  assert.equal(image.clr?.flavor, 'anycpu');
  assert.equal(parsePe(FileReader.fromBuffer(built.x86), 'plain.dll').clr, null);
});

test('malformed: no BSJB signature, a huge version length, a header cut by the end of the file', () => {
  const noBsjb = clrOf(built.x86, { flags: 0x1, signature: 0x11223344 });
  assert.equal(noBsjb.info!.metadataVersion, null);
  assert.match(noBsjb.issues[0]!.message, /BSJB/);

  const huge = clrOf(built.x86, { flags: 0x1, versionLength: 0xffffffff });
  assert.equal(huge.info!.metadataVersion, 'v4.0.30319');
  assert.match(huge.issues[0]!.message, /too long/);

  const { bytes, dir } = withClrHeader(built.x86, { flags: 0x1 });
  const offset = contextOf(bytes).ctx.space.rvaToOffset(dir.rva)!;
  const cut = contextOf(bytes.subarray(0, offset + 12));
  assert.equal(readClrHeader(cut.ctx, dir, cut.machine), null);
  assert.ok(cut.ctx.issues.issues.some((issue) => /CLR header/.test(issue.structure)));
});
