import type { FileReader } from './file-reader.ts';
import type { IssueLog } from './parse-issues.ts';
import type { RichEntry, RichHeader } from './pe-image.ts';
import { LIMITS } from './limits.ts';

const STUB_START = 0x80;
const DANS = 0x536e6144; // "DanS"
const STRUCTURE = 'Rich header';

const rotl = (value: number, count: number): number => {
  const shift = count & 31;
  return shift === 0 ? value >>> 0 : ((value << shift) | (value >>> (32 - shift))) >>> 0;
};

// "Rich" is dword-aligned in the stub that lies between the DOS header and the PE header.
function findRich(stub: Buffer): number | null {
  for (let at = stub.indexOf('Rich', STUB_START); at >= 0; at = stub.indexOf('Rich', at + 1)) {
    if (at % 4 === 0) return at;
  }
  return null;
}

// Walks back from "Rich" over XOR-ed dwords to the "DanS" marker.
function findDans(stub: Buffer, rich: number, key: number): number | null {
  const maxSteps = LIMITS.richEntries * 2 + 4;
  for (let at = rich - 4, steps = 0; at >= 0 && steps < maxSteps; at -= 4, steps++) {
    if ((stub.readUInt32LE(at) ^ key) >>> 0 === DANS) return at;
  }
  return null;
}

function decodeEntries(stub: Buffer, from: number, to: number, key: number): RichEntry[] {
  const entries: RichEntry[] = [];
  for (let at = from; at + 8 <= to; at += 8) {
    const compId = (stub.readUInt32LE(at) ^ key) >>> 0;
    const count = (stub.readUInt32LE(at + 4) ^ key) >>> 0;
    entries.push({ productId: compId >>> 16, build: compId & 0xffff, count });
  }
  return entries;
}

// The linker's checksum: the DOS header and stub up to DanS (without e_lfanew), rotated by
// position, plus each comp id rotated by its count, seeded with the DanS offset.
function richChecksum(head: Buffer, entries: readonly RichEntry[]): number {
  let sum = head.length;
  for (let index = 0; index < head.length; index++) {
    if (index >= 0x3c && index < 0x40) continue;
    sum = (sum + rotl(head[index]!, index)) >>> 0;
  }
  for (const entry of entries) {
    const compId = ((entry.productId << 16) | entry.build) >>> 0;
    sum = (sum + rotl(compId, entry.count)) >>> 0;
  }
  return sum;
}

/** Reads the linker's undocumented Rich header: tool ids, builds and object counts. */
export function readRichHeader(reader: FileReader, peHeaderOffset: number, issues: IssueLog): RichHeader | null {
  const end = Math.min(peHeaderOffset, reader.size, STUB_START + LIMITS.richSearchBytes);
  if (end <= STUB_START) return null;
  const stub = reader.bytes(0, end);
  const rich = findRich(stub);
  if (rich === null) return null;
  if (rich + 8 > stub.length) {
    issues.add(STRUCTURE, rich, 'the "Rich" marker is not followed by its 4-byte key before the PE header or the end of the file');
    return null;
  }
  const key = stub.readUInt32LE(rich + 4);
  const dans = findDans(stub, rich, key);
  if (dans === null) {
    issues.add(STRUCTURE, rich, 'a "Rich" marker without its "DanS" start (or with too many entries)');
    return null;
  }
  const entriesStart = dans + 16;
  if (entriesStart > rich || (rich - entriesStart) % 8 !== 0) {
    issues.add(STRUCTURE, dans, 'the entries between "DanS" and "Rich" are not whole 8-byte pairs');
  }
  const entries = decodeEntries(stub, entriesStart, rich, key);
  const checksumValid = richChecksum(stub.subarray(0, dans), entries) === key;
  return { key, entries, checksumValid };
}
