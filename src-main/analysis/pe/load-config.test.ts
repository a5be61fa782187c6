import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { type ParseContext } from './parse-context.ts';
import type { DataDirectory } from './pe-image.ts';
import { guardFlagNames, readLoadConfig } from './load-config.ts';
import { headerContextOf } from '../../test-support/header-context.ts';
import { PYTHON } from '../../test-support/tools.ts';


const ORACLE = `
import json, sys, pefile
pe = pefile.PE(sys.argv[1])
s = pe.DIRECTORY_ENTRY_LOAD_CONFIG.struct
get = lambda name: str(getattr(s, name)) if hasattr(s, name) else None
print(json.dumps({"size": s.Size, "securityCookie": get("SecurityCookie"), "seHandlerCount": get("SEHandlerCount"),
  "guardFlags": get("GuardFlags"), "guardCfFunctionCount": get("GuardCFFunctionCount"), "chpe": get("CHPEMetadataPointer"),
  "is64": pe.OPTIONAL_HEADER.Magic == 0x20b}))
`;
// MSVC-linked executables shipped by pyenv: 32-bit ones with SafeSEH, ARM64 and x64 ones with CFG flags.
const MSVC = [
  '/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/t32.exe',
  '/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/t64-arm.exe',
  '/root/.pyenv/versions/3.7.16/lib/python3.7/distutils/command/wininst-14.0.exe',
  '/root/.pyenv/versions/3.7.16/lib/python3.7/distutils/command/wininst-14.0-amd64.exe',
].filter((path) => existsSync(path));

function contextOf(bytes: Buffer): { ctx: ParseContext; dir: DataDirectory } {
  const { ctx, directories } = headerContextOf(bytes);
  return { ctx, dir: directories[10]! };
}

const text = (value: bigint | number | null): string | null => (value === null ? null : String(value));

test('load config fields equal pefile on MSVC-linked x86, x64 and ARM64 files (Size field honoured over the directory size)', (t) => {
  if (MSVC.length === 0) return t.skip('no MSVC-linked executables with a load config found (pyenv distlib launchers)');
  for (const path of MSVC) {
    const expected = JSON.parse(execFileSync(PYTHON, ['-c', ORACLE, path], { encoding: 'utf8' }));
    const { ctx, dir } = contextOf(readFileSync(path));
    const info = readLoadConfig(ctx, dir)!;
    assert.deepEqual({
      size: info.size,
      securityCookie: text(info.securityCookie),
      seHandlerCount: expected.is64 ? expected.seHandlerCount : text(info.safeSehHandlerCount),
      guardFlags: text(info.guardFlags),
      guardCfFunctionCount: text(info.guardCfFunctionCount),
      chpe: text(info.chpeMetadataPointer),
      is64: ctx.is64Bit,
    }, expected, path);
    if (expected.is64) assert.equal(info.safeSehHandlerCount, null, 'SafeSEH is 32-bit only');
    assert.deepEqual(ctx.issues.issues, [], path);
  }
});

test('guard flag names follow winnt.h IMAGE_GUARD_* values; the stride nibble is not a flag', () => {
  assert.deepEqual(guardFlagNames(0x100), ['CF_INSTRUMENTED']);
  assert.deepEqual(guardFlagNames(0x10417500), [
    'CF_INSTRUMENTED', 'CF_FUNCTION_TABLE_PRESENT', 'PROTECT_DELAYLOAD_IAT', 'DELAYLOAD_IAT_IN_ITS_OWN_SECTION',
    'CF_EXPORT_SUPPRESSION_INFO_PRESENT', 'CF_LONGJUMP_TABLE_PRESENT', 'EH_CONTINUATION_TABLE_PRESENT',
  ]);
  assert.deepEqual(guardFlagNames(0x00800000 | 0x20000 | 0x40000 | 0x80000 | 0x200 | 0x800 | 0x8000), [
    'CFW_INSTRUMENTED', 'SECURITY_COOKIE_UNUSED', 'CF_ENABLE_EXPORT_SUPPRESSION', 'RF_INSTRUMENTED', 'RF_ENABLE', 'RF_STRICT', 'XFG_ENABLED',
  ]);
});

test('malformed: Size 0, Size beyond the file, a Size that stops before GuardFlags, an unmapped directory', (t) => {
  const path = MSVC.find((candidate) => candidate.includes('amd64')) ?? MSVC[0];
  if (!path) return t.skip('no MSVC-linked executables with a load config found');
  const bytes = readFileSync(path);
  const base = contextOf(bytes);
  const at = base.ctx.space.rvaToOffset(base.dir.rva)!;

  const zero = Buffer.from(bytes);
  zero.writeUInt32LE(0, at);
  const z = contextOf(zero);
  const zeroInfo = readLoadConfig(z.ctx, z.dir)!;
  assert.deepEqual([zeroInfo.securityCookie, zeroInfo.guardFlags, zeroInfo.chpeMetadataPointer], [null, null, null]);
  assert.match(z.ctx.issues.issues[0]!.message, /too small/);

  const huge = Buffer.from(bytes);
  huge.writeUInt32LE(0xffffffff, at);
  const cut = huge.subarray(0, at + 100); // the file ends inside the structure
  const c = contextOf(cut);
  const cutInfo = readLoadConfig(c.ctx, c.dir)!;
  assert.equal(cutInfo.securityCookie, c.ctx.is64Bit ? bytes.readBigUInt64LE(at + 88) : BigInt(bytes.readUInt32LE(at + 60)));
  assert.equal(cutInfo.guardFlags, null);
  assert.ok(c.ctx.issues.issues.some((issue) => /past the end of the file/.test(issue.message)));

  const old = Buffer.from(bytes);
  old.writeUInt32LE(0x70, at); // a Windows 8-era size: cookie and SafeSEH fields, no CFG
  const o = contextOf(old);
  const oldInfo = readLoadConfig(o.ctx, o.dir)!;
  assert.notEqual(oldInfo.securityCookie, null);
  assert.deepEqual([oldInfo.guardFlags, oldInfo.guardFlagNames, oldInfo.guardCfFunctionCount], [null, [], null]);

  const u = contextOf(bytes);
  assert.equal(readLoadConfig(u.ctx, { ...u.dir, rva: 0x7ff00000 }), null);
  assert.equal(u.ctx.issues.issues.length, 1);
});
