import { createHash, type Hash } from 'node:crypto';
import type { FileReader } from '../pe/file-reader.ts';
import { LIMITS } from '../pe/limits.ts';
import type { PeImage } from '../pe/pe-image.ts';
import { DIRECTORY } from '../pe/optional-header.ts';

/** Where the parts Authenticode leaves out of the image hash lie in one file. */
export interface AuthenticodeLayout {
  /** File offset of the optional header's CheckSum field (4 bytes). */
  checksumOffset: number;
  /** File offset of the certificate table's data directory entry (8 bytes); null when the header has none. */
  certificateDirectoryOffset: number | null;
  /** File offset where the certificate table starts (hashing stops there); null when unsigned. */
  certificateTableOffset: number | null;
  fileSize: number;
}

const OPTIONAL_HEADER_FROM_PE = 24;
const CHECKSUM_IN_OPTIONAL = 64;
const DIRECTORIES_IN_OPTIONAL = { PE32: 96, 'PE32+': 112 } as const;

/** The layout of a parsed image; null when it has no optional header (nothing to hash). */
export function authenticodeLayout(image: PeImage): AuthenticodeLayout | null {
  const header = image.optionalHeader;
  if (!header) return null;
  const optionalOffset = image.dos.peHeaderOffset + OPTIONAL_HEADER_FROM_PE;
  const directory = header.dataDirectories.find((d) => d.index === DIRECTORY.certificate);
  const tableInsideFile = directory !== undefined && directory.size > 0 && directory.rva > 0 && directory.rva < image.fileSize;
  return {
    checksumOffset: optionalOffset + CHECKSUM_IN_OPTIONAL,
    certificateDirectoryOffset: directory ? optionalOffset + DIRECTORIES_IN_OPTIONAL[header.format] + DIRECTORY.certificate * 8 : null,
    certificateTableOffset: tableInsideFile ? directory.rva : null,
    fileSize: image.fileSize,
  };
}

/** The byte ranges [start, end) the Authenticode image hash covers, in file order. */
export function hashedRanges(layout: AuthenticodeLayout): [number, number][] {
  const end = layout.certificateTableOffset ?? layout.fileSize;
  const skipped: [number, number][] = [[layout.checksumOffset, layout.checksumOffset + 4]];
  if (layout.certificateDirectoryOffset !== null) skipped.push([layout.certificateDirectoryOffset, layout.certificateDirectoryOffset + 8]);
  skipped.sort((a, b) => a[0] - b[0]);
  const ranges: [number, number][] = [];
  let at = 0;
  for (const [from, to] of skipped) {
    if (from >= end) break;
    if (from > at) ranges.push([at, from]);
    at = Math.max(at, to);
  }
  if (at < end) ranges.push([at, end]);
  return ranges;
}

function update(hashes: Hash[], reader: FileReader, start: number, end: number): void {
  for (let offset = start; offset < end; offset += LIMITS.checksumChunkBytes) {
    const chunk = reader.bytes(offset, Math.min(LIMITS.checksumChunkBytes, end - offset));
    if (chunk.length === 0) return;
    for (const hash of hashes) hash.update(chunk);
  }
}

/**
 * The Authenticode image hash for each algorithm (Node digest names), streamed through the
 * reader: the whole file up to its certificate table, without the CheckSum field and the
 * certificate directory entry. An unsigned file is hashed as if zero-padded to 8 bytes, as
 * signers pad it before appending the table.
 */
export function authenticodeDigests(reader: FileReader, layout: AuthenticodeLayout, algorithms: readonly string[]): Map<string, Buffer> {
  const names = [...new Set(algorithms)];
  const hashes = names.map((name) => createHash(name));
  for (const [start, end] of hashedRanges(layout)) update(hashes, reader, start, end);
  if (layout.certificateTableOffset === null && layout.fileSize % 8 !== 0) {
    const padding = Buffer.alloc(8 - (layout.fileSize % 8));
    for (const hash of hashes) hash.update(padding);
  }
  return new Map(names.map((name, index) => [name, hashes[index]!.digest()]));
}
