import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, LoadConfigInfo } from './pe-image.ts';
import { flagNames } from './file-header.ts';
import { GUARD_FLAG_WORDS } from './flag-words.ts';

const STRUCTURE = 'load config';
// Far beyond every field Thunk reads; the struct grows with each Windows release.
const READ_BYTES = 0x400;

/** Field offsets in IMAGE_LOAD_CONFIG_DIRECTORY32 / 64, and their widths. */
const LAYOUT = {
  pe32: { securityCookie: 60, seHandlerCount: 68, guardCfFunctionCount: 84, guardFlags: 88, chpe: 124, word: 4 },
  pe64: { securityCookie: 88, seHandlerCount: null, guardCfFunctionCount: 136, guardFlags: 144, chpe: 200, word: 8 },
} as const;

// Names from the one table of these flags, which also holds their words (flag-words.ts).
const GUARD_FLAGS = GUARD_FLAG_WORDS.map(([bit, name]) => [bit, name] as const);

/** IMAGE_GUARD_* names of the set GuardFlags bits (the top nibble is the CF table stride, not a flag). */
export function guardFlagNames(flags: number): string[] {
  return flagNames(flags, GUARD_FLAGS);
}

/** Reads IMAGE_LOAD_CONFIG_DIRECTORY32/64 as far as its own Size field says. */
export function readLoadConfig(ctx: ParseContext, dir: DataDirectory): LoadConfigInfo | null {
  const { reader, space, issues } = ctx;
  const offset = space.rvaToOffset(dir.rva);
  const size = offset === null ? null : reader.u32(offset);
  if (offset === null || size === null) {
    issues.add(STRUCTURE, offset, `load config RVA 0x${dir.rva.toString(16)} is not backed by file data`);
    return null;
  }
  // The Size field rules, not the directory size: linkers wrote 64 there for Windows XP's sake.
  const raw = reader.bytes(offset, Math.min(size, READ_BYTES));
  if (raw.length < Math.min(size, READ_BYTES)) issues.add(STRUCTURE, offset, `Size ${size} runs past the end of the file; the fields beyond are absent`);
  if (size < 8) issues.add(STRUCTURE, offset, `Size ${size} is too small for a load config directory`);
  const layout = ctx.is64Bit ? LAYOUT.pe64 : LAYOUT.pe32;
  const has = (at: number, width: number): boolean => at + width <= raw.length;
  const word = (at: number | null): bigint | null => {
    if (at === null || !has(at, layout.word)) return null;
    return layout.word === 8 ? raw.readBigUInt64LE(at) : BigInt(raw.readUInt32LE(at));
  };
  const guardFlags = has(layout.guardFlags, 4) ? raw.readUInt32LE(layout.guardFlags) : null;
  const seHandlerCount = word(layout.seHandlerCount);
  return {
    size,
    securityCookie: word(layout.securityCookie),
    safeSehHandlerCount: seHandlerCount === null ? null : Number(seHandlerCount),
    guardFlags,
    guardFlagNames: guardFlags === null ? [] : guardFlagNames(guardFlags),
    guardCfFunctionCount: word(layout.guardCfFunctionCount),
    chpeMetadataPointer: word(layout.chpe),
  };
}
