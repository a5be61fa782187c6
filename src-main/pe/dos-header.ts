import type { FileReader } from './file-reader.ts';
import type { DosHeader } from './pe-image.ts';

/** Reads the MZ header and returns where the PE header is, or throws a NotPeError-worthy reason. */
export function readDosHeader(reader: FileReader): DosHeader | string {
  if (reader.size < 0x40) return 'file too small for an MZ header';
  if (reader.u16(0) !== 0x5a4d) return 'no MZ signature';
  const peHeaderOffset = reader.u32(0x3c)!;
  if (peHeaderOffset + 24 > reader.size) return `e_lfanew 0x${peHeaderOffset.toString(16)} points past the end of the file`;
  if (reader.u32(peHeaderOffset) !== 0x00004550) return 'MZ executable without a PE signature (DOS, NE or LE program)';
  return { peHeaderOffset };
}
