import type { FileReader } from './file-reader.ts';
import type { ChecksumInfo } from './pe-image.ts';
import { LIMITS } from './limits.ts';

// Folds a running sum of 16-bit words into 16 bits with end-around carry.
function fold(sum: number): number {
  let value = sum;
  while (value > 0xffff) value = (value & 0xffff) + Math.floor(value / 0x10000);
  return value;
}

function sumChunk(chunk: Buffer, chunkOffset: number, skipFrom: number): number {
  const overlaps = skipFrom + 4 > chunkOffset && skipFrom < chunkOffset + chunk.length;
  const bytes = overlaps ? Buffer.from(chunk) : chunk;
  // The stored checksum field counts as zero, like CheckSumMappedFile.
  for (let at = skipFrom; at < skipFrom + 4; at++) {
    const index = at - chunkOffset;
    if (index >= 0 && index < bytes.length) bytes[index] = 0;
  }
  let sum = 0;
  const even = bytes.length & ~1;
  for (let index = 0; index < even; index += 2) sum += bytes[index]! | (bytes[index + 1]! << 8);
  if (even < bytes.length) sum += bytes[even]!;
  return sum;
}

/** Computes the PE image checksum by streaming the file through the reader, chunk by chunk. */
export function readChecksum(reader: FileReader, checksumFieldOffset: number, stored: number): ChecksumInfo | null {
  const chunkSize = LIMITS.checksumChunkBytes; // even, so 16-bit words never straddle chunks
  let sum = 0;
  for (let offset = 0; offset < reader.size; offset += chunkSize) {
    const chunk = reader.bytes(offset, chunkSize);
    if (chunk.length === 0) break;
    sum = fold(sum + sumChunk(chunk, offset, checksumFieldOffset));
  }
  const computed = (fold(sum) + reader.size) >>> 0;
  return { stored, computed, matches: stored !== 0 ? computed === stored : null };
}
