import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, TlsInfo } from './pe-image.ts';
import { LIMITS } from './limits.ts';

const STRUCTURE = 'TLS directory';

type Slot = bigint | 'unreadable';

// One pointer of the callback array. Past a section's raw data but inside its virtual size the
// loader sees zeros, which end the array.
function readSlot(ctx: ParseContext, rva: number): Slot {
  const width = ctx.is64Bit ? 8 : 4;
  const offset = ctx.space.rvaToOffset(rva);
  if (offset !== null && ctx.reader.contains(offset, width)) {
    return ctx.is64Bit ? ctx.reader.u64(offset)! : BigInt(ctx.reader.u32(offset)!);
  }
  const section = ctx.space.sectionOf(rva);
  const inZeroFill = section !== null && offset === null && rva + width <= section.virtualAddress + section.virtualSize
    && rva - section.virtualAddress >= section.sizeOfRawData;
  return inZeroFill ? 0n : 'unreadable';
}

function readCallbacks(ctx: ParseContext, arrayVa: bigint): TlsInfo {
  const width = ctx.is64Bit ? 8 : 4;
  const start = ctx.space.vaToRva(arrayVa, ctx.imageBase);
  const callbacks: bigint[] = [];
  if (start === null) {
    ctx.issues.add(STRUCTURE, null, `AddressOfCallBacks 0x${arrayVa.toString(16)} lies outside the image`);
    return { callbacks, truncated: true };
  }
  for (let index = 0; index < LIMITS.tlsCallbacks; index++) {
    const slot = readSlot(ctx, start + index * width);
    if (slot === 0n) return { callbacks, truncated: false };
    if (slot === 'unreadable') {
      ctx.issues.add(STRUCTURE, ctx.space.rvaToOffset(start), `TLS callback array runs out of file data after ${index} entries`);
      return { callbacks, truncated: true };
    }
    callbacks.push(slot);
  }
  ctx.issues.add(STRUCTURE, ctx.space.rvaToOffset(start), `more than ${LIMITS.tlsCallbacks} TLS callbacks; the rest are not listed`);
  return { callbacks, truncated: true };
}

/** Reads IMAGE_TLS_DIRECTORY32/64 and the null-terminated array of TLS callbacks (run before DllMain). */
export function readTls(ctx: ParseContext, dir: DataDirectory): TlsInfo | null {
  const size = ctx.is64Bit ? 40 : 24;
  const offset = ctx.space.rvaToOffset(dir.rva);
  const raw = offset === null ? Buffer.alloc(0) : ctx.reader.bytes(offset, size);
  if (raw.length < size) {
    ctx.issues.add(STRUCTURE, offset, `TLS directory at RVA 0x${dir.rva.toString(16)} is not backed by ${size} bytes of file data`);
    return null;
  }
  const arrayVa = ctx.is64Bit ? raw.readBigUInt64LE(24) : BigInt(raw.readUInt32LE(12));
  if (arrayVa === 0n) return { callbacks: [], truncated: false };
  return readCallbacks(ctx, arrayVa);
}
