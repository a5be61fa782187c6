// Builds small PE images in memory, so tests can place each structure exactly where they want.
import { FileReader } from '../analysis/pe/file-reader.ts';
import { IssueLog } from '../analysis/pe/parse-issues.ts';
import { AddressSpace, type ParseContext } from '../analysis/pe/parse-context.ts';
import type { Section } from '../analysis/pe/pe-image.ts';

export interface SyntheticSection {
  name: string;
  rva: number;
  data: Buffer;
  /** Defaults to data.length. */
  virtualSize?: number;
  /** Defaults to INITIALIZED_DATA | READ. */
  characteristics?: number;
}

export interface SyntheticPe {
  is64?: boolean;
  machine?: number;
  characteristics?: number;
  dllCharacteristics?: number;
  imageBase?: bigint;
  sections: SyntheticSection[];
  /** Data directory index -> [rva, size]. */
  directories?: Record<number, [number, number]>;
  /** Bytes to place in the headers at a given file offset (e.g. bound imports). */
  headerPatches?: { offset: number; bytes: Buffer }[];
}

export const CODE = 0x60000020;
export const RDATA = 0x40000040;
export const DATA = 0xc0000040;
export const FILE_ALIGNMENT = 0x200;
export const PE_OFFSET = 0x40;

const align = (value: number, to: number): number => Math.ceil(value / to) * to;

/** Offset of the optional header in images from buildPe. */
export const OPTIONAL_OFFSET = PE_OFFSET + 24;

/** File layout of buildPe's output: where each section's raw data starts. */
export function layout(spec: SyntheticPe): { sizeOfHeaders: number; rawPointers: number[]; sectionTable: number } {
  const optionalSize = spec.is64 ? 0xf0 : 0xe0;
  const sectionTable = OPTIONAL_OFFSET + optionalSize;
  const sizeOfHeaders = align(sectionTable + spec.sections.length * 40, FILE_ALIGNMENT);
  const rawPointers: number[] = [];
  let at = sizeOfHeaders;
  for (const section of spec.sections) {
    rawPointers.push(at);
    at += align(section.data.length, FILE_ALIGNMENT);
  }
  return { sizeOfHeaders, rawPointers, sectionTable };
}

/** A complete PE file: MZ, PE signature, COFF and optional headers, sections. */
export function buildPe(spec: SyntheticPe): Buffer {
  const is64 = spec.is64 ?? false;
  const { sizeOfHeaders, rawPointers, sectionTable } = layout(spec);
  const end = spec.sections.reduce((n, s, i) => Math.max(n, rawPointers[i]! + align(s.data.length, FILE_ALIGNMENT)), sizeOfHeaders);
  const image = Buffer.alloc(end);
  image.write('MZ', 0, 'latin1');
  image.writeUInt32LE(PE_OFFSET, 0x3c);
  image.write('PE\0\0', PE_OFFSET, 'latin1');
  const fh = PE_OFFSET + 4;
  image.writeUInt16LE(spec.machine ?? (is64 ? 0x8664 : 0x14c), fh);
  image.writeUInt16LE(spec.sections.length, fh + 2);
  image.writeUInt16LE(is64 ? 0xf0 : 0xe0, fh + 16);
  image.writeUInt16LE(spec.characteristics ?? 0x2102, fh + 18);
  const oh = OPTIONAL_OFFSET;
  image.writeUInt16LE(is64 ? 0x20b : 0x10b, oh);
  const imageBase = spec.imageBase ?? (is64 ? 0x180000000n : 0x10000000n);
  if (is64) image.writeBigUInt64LE(imageBase, oh + 24);
  else image.writeUInt32LE(Number(imageBase), oh + 28);
  image.writeUInt32LE(0x1000, oh + 32);
  image.writeUInt32LE(FILE_ALIGNMENT, oh + 36);
  const lastSection = spec.sections.reduce((n, s) => Math.max(n, s.rva + (s.virtualSize ?? s.data.length)), 0x1000);
  image.writeUInt32LE(align(lastSection, 0x1000), oh + 56);
  image.writeUInt32LE(sizeOfHeaders, oh + 60);
  image.writeUInt16LE(3, oh + 68);
  image.writeUInt16LE(spec.dllCharacteristics ?? 0, oh + 70);
  const directoriesAt = oh + (is64 ? 0x70 : 0x60);
  image.writeUInt32LE(16, directoriesAt - 4);
  for (const [index, [rva, size]] of Object.entries(spec.directories ?? {})) {
    image.writeUInt32LE(rva, directoriesAt + Number(index) * 8);
    image.writeUInt32LE(size, directoriesAt + Number(index) * 8 + 4);
  }
  spec.sections.forEach((section, index) => {
    const at = sectionTable + index * 40;
    image.write(section.name.slice(0, 8), at, 'latin1');
    image.writeUInt32LE(section.virtualSize ?? section.data.length, at + 8);
    image.writeUInt32LE(section.rva, at + 12);
    image.writeUInt32LE(align(section.data.length, FILE_ALIGNMENT), at + 16);
    image.writeUInt32LE(section.data.length === 0 ? 0 : rawPointers[index]!, at + 20);
    image.writeUInt32LE(section.characteristics ?? RDATA, at + 36);
    section.data.copy(image, rawPointers[index]!);
  });
  for (const patch of spec.headerPatches ?? []) patch.bytes.copy(image, patch.offset);
  return image;
}

/** A ParseContext over a built image, for calling one structure reader directly. */
export function contextFor(spec: SyntheticPe, image = buildPe(spec)): ParseContext {
  const { sizeOfHeaders, rawPointers } = layout(spec);
  const sections: Section[] = spec.sections.map((s, index) => ({
    name: s.name,
    virtualAddress: s.rva,
    virtualSize: s.virtualSize ?? s.data.length,
    pointerToRawData: s.data.length === 0 ? 0 : rawPointers[index]!,
    sizeOfRawData: align(s.data.length, FILE_ALIGNMENT),
    characteristics: s.characteristics ?? RDATA,
    flags: [],
    isCode: ((s.characteristics ?? RDATA) & 0x20) !== 0,
    isExecutable: ((s.characteristics ?? RDATA) & 0x20000000) !== 0,
    isWritable: ((s.characteristics ?? RDATA) & 0x80000000) !== 0,
    entropy: null,
  }));
  const reader = FileReader.fromBuffer(image);
  const is64Bit = spec.is64 ?? false;
  return {
    reader,
    is64Bit,
    imageBase: spec.imageBase ?? (is64Bit ? 0x180000000n : 0x10000000n),
    issues: new IssueLog(),
    space: new AddressSpace(sections, sizeOfHeaders, FILE_ALIGNMENT, image.length),
  };
}

/** Writes NUL-terminated strings and little-endian words into a section buffer by offset. */
export class SectionWriter {
  readonly data: Buffer;

  constructor(readonly rva: number, size: number) {
    this.data = Buffer.alloc(size);
  }

  u16(offset: number, value: number): this {
    this.data.writeUInt16LE(value, offset);
    return this;
  }

  u32(offset: number, value: number): this {
    this.data.writeUInt32LE(value >>> 0, offset);
    return this;
  }

  u64(offset: number, value: bigint): this {
    this.data.writeBigUInt64LE(value, offset);
    return this;
  }

  /** Writes a C string and returns its RVA. */
  str(offset: number, text: string): number {
    this.data.write(`${text}\0`, offset, 'latin1');
    return this.rva + offset;
  }

  /** Writes a hint/name entry (u16 hint + C string) and returns its RVA. */
  hintName(offset: number, hint: number, name: string): number {
    this.data.writeUInt16LE(hint, offset);
    this.data.write(`${name}\0`, offset + 2, 'latin1');
    return this.rva + offset;
  }

  at(offset: number): number {
    return this.rva + offset;
  }
}
