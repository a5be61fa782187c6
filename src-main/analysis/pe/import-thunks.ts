import type { ParseContext } from './parse-context.ts';
import type { ImportedFunction } from './pe-image.ts';
import { LIMITS } from './limits.ts';

/** Shared state for one import table walk, so the total across descriptors stays bounded. */
export interface ImportBudget {
  remaining: number;
}

export function newImportBudget(): ImportBudget {
  return { remaining: LIMITS.totalImports };
}

/**
 * Reads a thunk array (import lookup or name table) of 32- or 64-bit entries up to the zero
 * terminator. `toRva` turns a by-name thunk value into an RVA (VA-based delay tables need it).
 */
export function readThunks(
  ctx: ParseContext,
  structure: string,
  thunksRva: number,
  budget: ImportBudget,
  toRva: (value: bigint) => number | null = (value) => Number(value & 0x7fffffffn),
): ImportedFunction[] {
  const { reader, space, is64Bit, issues } = ctx;
  const width = is64Bit ? 8 : 4;
  const ordinalFlag = is64Bit ? 1n << 63n : 1n << 31n;
  const start = space.rvaToOffset(thunksRva);
  if (start === null) {
    issues.add(structure, null, `thunk table RVA 0x${thunksRva.toString(16)} is not backed by file data`);
    return [];
  }
  const functions: ImportedFunction[] = [];
  const limit = Math.min(LIMITS.importsPerDescriptor, budget.remaining);
  const thunkAt = thunkReader(ctx, start, width);
  for (let index = 0; ; index++) {
    const value = thunkAt(index);
    if (value === 0n) {
      budget.remaining -= functions.length;
      return functions;
    }
    if (value === null || index === limit) {
      budget.remaining -= functions.length;
      issues.add(structure, start, value === null ? 'thunk table runs past the end of the file without a terminator' : `more than ${limit} imports; the rest were not read`);
      return functions;
    }
    if ((value & ordinalFlag) !== 0n) {
      functions.push({ name: null, hint: null, ordinal: Number(value & 0xffffn) });
      continue;
    }
    const rva = toRva(value);
    const at = rva === null ? null : space.rvaToOffset(rva);
    const hint = at === null ? null : reader.u16(at);
    const name = at === null ? null : reader.cString(at + 2, LIMITS.nameLength);
    if (name === null) {
      issues.add(structure, start + index * width, `import #${index} has no readable hint/name entry`);
      continue;
    }
    functions.push({ name, hint, ordinal: null });
  }
}

const THUNK_CHUNK = 256;

// Reads the table a chunk at a time: tables are short, and reading the cap's worth (16k entries)
// per module copied ~130 KB for each DLL imported.
function thunkReader(ctx: ParseContext, start: number, width: number): (index: number) => bigint | null {
  let chunk: Buffer = Buffer.alloc(0);
  let first = 0;
  return (index) => {
    let at = (index - first) * width;
    if (at + width > chunk.length) {
      first = index;
      at = 0;
      chunk = ctx.reader.bytes(start + index * width, THUNK_CHUNK * width);
      if (chunk.length < width) return null;
    }
    return width === 8 ? chunk.readBigUInt64LE(at) : BigInt(chunk.readUInt32LE(at));
  };
}
