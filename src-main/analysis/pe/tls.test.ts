import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParseContext } from './parse-context.ts';
import type { DataDirectory, Section } from './pe-image.ts';
import { readTls } from './tls.ts';
import { headerContextOf } from '../../test-support/header-context.ts';
import { PYTHON } from '../../test-support/tools.ts';


// pefile reads the directory; the callback array is walked with its RVA accessors.
const ORACLE = `
import json, sys, pefile
pe = pefile.PE(sys.argv[1])
tls = pe.DIRECTORY_ENTRY_TLS.struct
is64 = pe.OPTIONAL_HEADER.Magic == 0x20b
rva = tls.AddressOfCallBacks - pe.OPTIONAL_HEADER.ImageBase
out = []
while len(out) < 1024:
    v = pe.get_qword_at_rva(rva) if is64 else pe.get_dword_at_rva(rva)
    if not v: break
    out.append(hex(v)); rva += 8 if is64 else 4
print(json.dumps({"array": hex(tls.AddressOfCallBacks), "callbacks": out}))
`;
const SOURCE = `#include <windows.h>
void NTAPI thunk_tls_cb(PVOID h, DWORD r, PVOID p) { (void)h; (void)r; (void)p; }
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK thunk_tls_ptr = thunk_tls_cb;
__declspec(dllexport) int add(int a, int b) { return a + b; }
`;
const TOOLCHAINS = [
  { gcc: 'x86_64-w64-mingw32-gcc', nm: 'x86_64-w64-mingw32-nm', symbol: 'thunk_tls_cb', name: 'tls64.dll' },
  { gcc: 'i686-w64-mingw32-gcc', nm: 'i686-w64-mingw32-nm', symbol: '_thunk_tls_cb@12', name: 'tls32.dll' },
];
const built: { path: string; callbackVa: bigint }[] = [];

before(() => {
  const work = mkdtempSync(join(tmpdir(), 'thunk-tls-'));
  writeFileSync(join(work, 'tls.c'), SOURCE);
  for (const chain of TOOLCHAINS) {
    const path = join(work, chain.name);
    execFileSync(chain.gcc, ['-shared', '-o', path, join(work, 'tls.c')]);
    const line = execFileSync(chain.nm, [path], { encoding: 'utf8' }).split('\n').find((l) => l.endsWith(` ${chain.symbol}`))!;
    built.push({ path, callbackVa: BigInt(`0x${line.split(' ')[0]}`) });
  }
});

function contextOf(bytes: Buffer): { ctx: ParseContext; tlsDir: DataDirectory; sections: Section[] } {
  const { ctx, directories, sections } = headerContextOf(bytes);
  return { ctx, tlsDir: directories[9]!, sections };
}

// Points AddressOfCallBacks somewhere else in an in-memory copy.
function withArrayAt(path: string, arrayVa: bigint, edit?: (bytes: Buffer, arrayOffset: number) => Buffer) {
  return withArrayAtBytes(readFileSync(path), arrayVa, edit);
}

function withArrayAtBytes(source: Buffer, arrayVa: bigint, edit?: (bytes: Buffer, arrayOffset: number) => Buffer) {
  let bytes: Buffer = Buffer.from(source);
  const { ctx, tlsDir } = contextOf(bytes);
  const dirOffset = ctx.space.rvaToOffset(tlsDir.rva)!;
  if (ctx.is64Bit) bytes.writeBigUInt64LE(arrayVa, dirOffset + 24);
  else bytes.writeUInt32LE(Number(arrayVa), dirOffset + 12);
  const rva = ctx.space.vaToRva(arrayVa, ctx.imageBase);
  const arrayOffset = rva === null ? null : ctx.space.rvaToOffset(rva);
  if (edit && arrayOffset !== null) bytes = edit(bytes, arrayOffset);
  return contextOf(bytes);
}

test('MinGW DLLs (x64, x86): TLS callbacks equal the array pefile reads, and include our callback (nm)', () => {
  assert.equal(built.length, 2);
  for (const { path, callbackVa } of built) {
    const expected = JSON.parse(execFileSync(PYTHON, ['-c', ORACLE, path], { encoding: 'utf8' }));
    const { ctx, tlsDir } = contextOf(readFileSync(path));
    const tls = readTls(ctx, tlsDir)!;
    assert.deepEqual(tls.callbacks.map((va) => `0x${va.toString(16)}`), expected.callbacks, path);
    assert.ok(tls.callbacks.includes(callbackVa), `${path} lists thunk_tls_cb at 0x${callbackVa.toString(16)}`);
    assert.equal(tls.truncated, false);
    assert.deepEqual(ctx.issues.issues, []);
  }
});

test('AddressOfCallBacks 0 means no callbacks', () => {
  const { ctx, tlsDir } = withArrayAt(built[0]!.path, 0n);
  assert.deepEqual(readTls(ctx, tlsDir), { callbacks: [], truncated: false });
});

test('malformed: array outside the image, array cut by the end of the file, endless array, directory unmapped', () => {
  const { path } = built[0]!;
  const base = contextOf(readFileSync(path));
  const outside = withArrayAt(path, 0x10n);
  assert.equal(readTls(outside.ctx, outside.tlsDir)!.truncated, true);
  assert.match(outside.ctx.issues.issues[0]!.message, /outside the image/);

  const last = base.sections.filter((s) => s.sizeOfRawData >= 64).at(-1)!;
  const lastVa = base.ctx.imageBase + BigInt(last.virtualAddress);
  const cut = withArrayAt(path, lastVa, (bytes, at) => {
    bytes.fill(0x41, at, at + 16);
    return bytes.subarray(0, at + 16);
  });
  const cutTls = readTls(cut.ctx, cut.tlsDir)!;
  assert.equal(cutTls.truncated, true);
  assert.equal(cutTls.callbacks.length, 2);
  assert.ok(cut.ctx.issues.issues.some((issue) => /runs out of file data after 2/.test(issue.message)));

  const big = base.sections.reduce((a, b) => (b.sizeOfRawData > a.sizeOfRawData ? b : a));
  assert.ok(big.sizeOfRawData > 1025 * 8, 'a section large enough to hold more than the cap');
  const endless = withArrayAt(path, base.ctx.imageBase + BigInt(big.virtualAddress), (bytes, at) => bytes.fill(0x41, at, at + 1025 * 8));
  const endlessTls = readTls(endless.ctx, endless.tlsDir)!;
  assert.equal(endlessTls.callbacks.length, 1024);
  assert.equal(endlessTls.truncated, true);
  assert.match(endless.ctx.issues.issues[0]!.message, /more than 1024/);

  const unmapped = contextOf(readFileSync(path));
  assert.equal(readTls(unmapped.ctx, { ...unmapped.tlsDir, rva: 0x7ff00000 }), null);
  assert.equal(unmapped.ctx.issues.issues.length, 1);
});

test('a callback array running into a section\'s zero-filled tail (virtual size past raw size) ends cleanly', () => {
  const { path } = built[0]!;
  const bytes = readFileSync(path);
  const base = contextOf(bytes);
  const section = base.sections.reduce((a, b) => (b.sizeOfRawData > a.sizeOfRawData ? b : a));
  const index = base.sections.indexOf(section);
  assert.ok(section.virtualSize > 16 && section.virtualAddress !== base.ctx.space.sectionOf(base.tlsDir.rva)!.virtualAddress);
  const sectionHeader = bytes.readUInt32LE(0x3c) + 24 + bytes.readUInt16LE(bytes.readUInt32LE(0x3c) + 20) + index * 40;
  bytes.writeUInt32LE(16, sectionHeader + 16); // SizeOfRawData: 16 bytes, VirtualSize unchanged
  const va = base.ctx.imageBase + BigInt(section.virtualAddress);
  const zeroTail = withArrayAtBytes(bytes, va, (patched, at) => patched.fill(0x41, at, at + 16));
  const tls = readTls(zeroTail.ctx, zeroTail.tlsDir)!;
  assert.deepEqual({ count: tls.callbacks.length, truncated: tls.truncated }, { count: 2, truncated: false });
  assert.deepEqual(zeroTail.ctx.issues.issues, []);
});
