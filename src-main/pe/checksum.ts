import type { FileReader } from './file-reader.ts';
import type { ChecksumInfo } from './pe-image.ts';

// Placeholder until implemented.
export function readChecksum(_reader: FileReader, _checksumFieldOffset: number, stored: number): ChecksumInfo | null {
  return { stored, computed: null, matches: null };
}
