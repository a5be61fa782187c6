// No .NET assembly ships with Debian: tests make one by patching an IMAGE_COR20_HEADER and a "BSJB"
// metadata root into a MinGW-built DLL. Only the CLR header is fake; the rest of the PE is real.
import type { DataDirectory } from '../analysis/pe/pe-image.ts';
import { headerContextOf } from './header-context.ts';

export interface ClrPatch {
  flags: number;
  version?: string;
  signature?: number;
  versionLength?: number;
}

const COR20_HEADER_SIZE = 72;
const CLR_DIRECTORY = 14;

/** Writes the CLR header at the start of the largest section and the metadata root 0x100 further. */
export function withClrHeader(source: Buffer, patch: ClrPatch): { bytes: Buffer; dir: DataDirectory } {
  const bytes = Buffer.from(source);
  const { sections, directoriesAt } = headerContextOf(bytes);
  const section = sections.reduce((a, b) => (b.sizeOfRawData > a.sizeOfRawData ? b : a));
  const at = section.pointerToRawData;
  const rva = section.virtualAddress;
  bytes.fill(0, at, at + 0x200);
  bytes.writeUInt32LE(COR20_HEADER_SIZE, at);
  bytes.writeUInt16LE(2, at + 4);
  bytes.writeUInt16LE(5, at + 6);
  bytes.writeUInt32LE(rva + 0x100, at + 8);
  bytes.writeUInt32LE(0x100, at + 12);
  bytes.writeUInt32LE(patch.flags, at + 16);
  const version = Buffer.from(`${patch.version ?? 'v4.0.30319'}\0\0`);
  bytes.writeUInt32LE(patch.signature ?? 0x424a5342, at + 0x100);
  bytes.writeUInt16LE(1, at + 0x104);
  bytes.writeUInt16LE(1, at + 0x106);
  bytes.writeUInt32LE(patch.versionLength ?? version.length, at + 0x10c);
  version.copy(bytes, at + 0x110);
  bytes.writeUInt32LE(rva, directoriesAt + CLR_DIRECTORY * 8);
  bytes.writeUInt32LE(COR20_HEADER_SIZE, directoriesAt + CLR_DIRECTORY * 8 + 4);
  return { bytes, dir: { index: CLR_DIRECTORY, name: 'CLR runtime header', rva, size: COR20_HEADER_SIZE } };
}
