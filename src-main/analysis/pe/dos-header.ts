import type { FileReader } from './file-reader.ts';
import type { DosHeader } from './pe-image.ts';

/**
 * Reads the MZ header and returns where the PE header is, or why not, worded to follow "an MZ
 * file ..." (the caller names the file kind).
 */
export function readDosHeader(reader: FileReader): DosHeader | string {
  if (reader.size < 0x40) return 'too small for its header';
  if (reader.u16(0) !== 0x5a4d) return 'without the MZ signature';
  const peHeaderOffset = reader.u32(0x3c)!;
  if (peHeaderOffset + 24 > reader.size) return `whose PE header offset (e_lfanew 0x${peHeaderOffset.toString(16)}) points past the end of the file`;
  if (reader.u32(peHeaderOffset) !== 0x00004550) return 'without a PE signature (a DOS, NE or LE program)';
  return { peHeaderOffset };
}
