/** A seeded PRNG (mulberry32): the same seed always yields the same mutations. */
export interface Rng {
  /** Next unsigned 32-bit value. */
  next(): number;
  /** Uniform integer in [0, n); 0 when n <= 1. */
  below(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (n: number): number => (n <= 1 ? 0 : Math.floor((next() / 0x100000000) * n));
  return { next, below, chance: (p) => next() / 0x100000000 < p, pick: (items) => items[below(items.length)]! };
}

/** Mixes a run seed and an iteration number into an independent per-input seed. */
export function deriveSeed(runSeed: number, iteration: number): number {
  let h = (runSeed ^ Math.imul(iteration + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface SectionLayout {
  entry: number;
  virtualAddress: number;
  virtualSize: number;
  pointerToRawData: number;
  sizeOfRawData: number;
}

/** Where the PE structures of a buffer sit, found independently of the parser under test. */
export interface PeLayout {
  peOffset: number;
  fileHeader: number;
  optionalHeader: number;
  is64: boolean;
  rvaCountOffset: number;
  directories: number;
  directoryCount: number;
  sectionTable: number;
  sections: SectionLayout[];
}

export interface DirectoryLayout {
  entry: number;
  rva: number;
  size: number;
  offset: number | null;
}

const u16 = (buf: Buffer, at: number): number | null => (at >= 0 && at + 2 <= buf.length ? buf.readUInt16LE(at) : null);
const u32 = (buf: Buffer, at: number): number | null => (at >= 0 && at + 4 <= buf.length ? buf.readUInt32LE(at) : null);

function readSections(buf: Buffer, table: number, count: number): SectionLayout[] {
  const sections: SectionLayout[] = [];
  for (let index = 0; index < Math.min(count, 96) && table + (index + 1) * 40 <= buf.length; index++) {
    const entry = table + index * 40;
    sections.push({
      entry,
      virtualSize: buf.readUInt32LE(entry + 8),
      virtualAddress: buf.readUInt32LE(entry + 12),
      sizeOfRawData: buf.readUInt32LE(entry + 16),
      pointerToRawData: buf.readUInt32LE(entry + 20),
    });
  }
  return sections;
}

export function locatePe(buf: Buffer): PeLayout | null {
  if (buf.length < 0x40 || u16(buf, 0) !== 0x5a4d) return null;
  const peOffset = u32(buf, 0x3c)!;
  if (peOffset + 24 + 2 > buf.length || u32(buf, peOffset) !== 0x4550) return null;
  const fileHeader = peOffset + 4;
  const optionalHeader = peOffset + 24;
  const is64 = u16(buf, optionalHeader) === 0x20b;
  const rvaCountOffset = optionalHeader + (is64 ? 0x6c : 0x5c);
  const sectionTable = optionalHeader + buf.readUInt16LE(fileHeader + 16);
  return {
    peOffset, fileHeader, optionalHeader, is64, rvaCountOffset,
    directories: rvaCountOffset + 4,
    directoryCount: Math.min(u32(buf, rvaCountOffset) ?? 0, 16),
    sectionTable,
    sections: readSections(buf, sectionTable, buf.readUInt16LE(fileHeader + 2)),
  };
}

export function rvaToOffset(layout: PeLayout, rva: number): number | null {
  for (const s of layout.sections) {
    if (rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData)) {
      const delta = rva - s.virtualAddress;
      return delta < s.sizeOfRawData ? s.pointerToRawData + delta : null;
    }
  }
  return rva < 0x1000 ? rva : null;
}

export function directoryOf(buf: Buffer, layout: PeLayout, index: number): DirectoryLayout | null {
  const entry = layout.directories + index * 8;
  const rva = u32(buf, entry);
  const size = u32(buf, entry + 4);
  if (rva === null || size === null || index >= layout.directoryCount) return null;
  const offset = rva === 0 ? null : rvaToOffset(layout, rva);
  return { entry, rva, size, offset: offset !== null && offset < buf.length ? offset : null };
}

/** Writes one of `values` that differs from what is there, so every mutation changes the bytes. */
function put32(buf: Buffer, at: number, values: readonly number[], rng: Rng): boolean {
  const current = u32(buf, at);
  if (current === null) return false;
  const fresh = values.map((v) => v >>> 0).filter((v) => v !== current);
  buf.writeUInt32LE(fresh.length > 0 ? rng.pick(fresh) : (current ^ 1) >>> 0, at);
  return true;
}

function put16(buf: Buffer, at: number, values: readonly number[], rng: Rng): boolean {
  const current = u16(buf, at);
  if (current === null) return false;
  const fresh = values.map((v) => v & 0xffff).filter((v) => v !== current);
  buf.writeUInt16LE(fresh.length > 0 ? rng.pick(fresh) : current ^ 1, at);
  return true;
}

const INTERESTING_32 = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** A buffer position, biased towards the first 4 KB where the headers live. */
function position(buf: Buffer, rng: Rng, width = 1): number {
  const span = Math.max(1, buf.length - width + 1);
  return rng.chance(0.5) ? rng.below(Math.min(span, 4096)) : rng.below(span);
}

/** Mutates `buf` (a private copy) and returns the result, or null when the target structure is absent. */
export type Mutator = (buf: Buffer, rng: Rng, layout: PeLayout | null) => Buffer | null;

const bitFlip: Mutator = (buf, rng) => {
  if (buf.length === 0) return null;
  const positions = new Set<number>();
  const count = 1 + rng.below(8);
  while (positions.size < Math.min(count, buf.length)) positions.add(position(buf, rng));
  for (const at of positions) buf[at] = buf[at]! ^ (1 << rng.below(8));
  return buf;
};

const interestingByte: Mutator = (buf, rng) => {
  if (buf.length === 0) return null;
  const at = position(buf, rng);
  const fresh = [0, 1, 0x7f, 0x80, 0xff].filter((v) => v !== buf[at]);
  buf[at] = rng.pick(fresh);
  return buf;
};

const interestingWord32: Mutator = (buf, rng) => {
  if (buf.length < 4) return null;
  const at = position(buf, rng, 4) & ~3;
  return put32(buf, at, [...INTERESTING_32, buf.length, buf.length - 1], rng) ? buf : null;
};

const interestingWord16: Mutator = (buf, rng) => {
  if (buf.length < 2) return null;
  return put16(buf, position(buf, rng, 2) & ~1, [0, 1, 0x7fff, 0x8000, 0xffff], rng) ? buf : null;
};

const truncate: Mutator = (buf, rng) => {
  if (buf.length === 0) return null;
  const limit = rng.chance(0.5) ? Math.min(buf.length, 4096) : buf.length;
  return buf.subarray(0, rng.below(limit));
};

function distinctChunk(buf: Buffer, rng: Rng): { from: number; to: number; length: number } | null {
  for (let attempt = 0; attempt < 16; attempt++) {
    const length = 1 + rng.below(Math.min(4096, buf.length));
    const from = position(buf, rng, length);
    const to = position(buf, rng, length);
    if (from !== to && !buf.subarray(from, from + length).equals(buf.subarray(to, to + length))) return { from, to, length };
  }
  return null;
}

const duplicateChunk: Mutator = (buf, rng) => {
  const chunk = distinctChunk(buf, rng);
  if (!chunk) return null;
  buf.copy(buf, chunk.to, chunk.from, chunk.from + chunk.length);
  return buf;
};

const insertChunk: Mutator = (buf, rng) => {
  if (buf.length === 0) return null;
  const length = 1 + rng.below(Math.min(4096, buf.length));
  const from = position(buf, rng, length);
  const at = position(buf, rng);
  return Buffer.concat([buf.subarray(0, at), buf.subarray(from, from + length), buf.subarray(at)]);
};

const sectionCount: Mutator = (buf, rng, pe) => {
  if (!pe) return null;
  const current = buf.readUInt16LE(pe.fileHeader + 2);
  return put16(buf, pe.fileHeader + 2, [0, 1, 0xffff, 0x7fff, 96, 97, current + 1, current * 16], rng) ? buf : null;
};

const optionalHeaderSize: Mutator = (buf, rng, pe) => {
  if (!pe) return null;
  return put16(buf, pe.fileHeader + 16, [0, 1, 0x60, 0xe0, 0xf0, 0x7fff, 0xffff], rng) ? buf : null;
};

const lfanew: Mutator = (buf, rng) => {
  if (buf.length < 0x40) return null;
  const n = buf.length;
  return put32(buf, 0x3c, [0, 0x40, n, n - 1, n - 4, n - 24, n - 23, n + 0x1000, 0x80000000, 0xffffffff], rng) ? buf : null;
};

const optionalMagic: Mutator = (buf, rng, pe) => {
  if (!pe) return null;
  return put16(buf, pe.optionalHeader, [0x10b, 0x20b, 0x107, 0], rng) ? buf : null;
};

const rvaCount: Mutator = (buf, rng, pe) => {
  if (!pe) return null;
  return put32(buf, pe.rvaCountOffset, [0, 1, 2, 6, 15, 17, 0x7fffffff, 0xffffffff], rng) ? buf : null;
};

// SizeOfHeaders, FileAlignment, SectionAlignment, SizeOfImage, low word of ImageBase.
const HEADER_FIELDS = [60, 36, 32, 56, 28];

const headerField: Mutator = (buf, rng, pe) => {
  if (!pe) return null;
  return put32(buf, pe.optionalHeader + rng.pick(HEADER_FIELDS), [0, 1, 0x200, 0x1000, buf.length, 0x7fffffff, 0xffffffff], rng) ? buf : null;
};

/** RVAs that make the reader loop, overlap or run off the end. */
function hostileRvas(buf: Buffer, pe: PeLayout, self: number): number[] {
  const sectionRvas = pe.sections.flatMap((s) => [s.virtualAddress, s.virtualAddress + Math.max(s.virtualSize, 4) - 4]);
  return [0, 1, self, self + 4, pe.directories, buf.length, 0x7fffffff, 0xffffffff, ...sectionRvas];
}

const directoryEntry: Mutator = (buf, rng, pe) => {
  if (!pe || pe.directoryCount === 0) return null;
  const dir = directoryOf(buf, pe, rng.below(pe.directoryCount));
  if (!dir) return null;
  if (rng.chance(0.6)) return put32(buf, dir.entry, hostileRvas(buf, pe, dir.entry), rng) ? buf : null;
  return put32(buf, dir.entry + 4, [0, 1, 8, 0x28, 0xffff, 0x7fffffff, 0xffffffff], rng) ? buf : null;
};

// Makes one directory alias another (the delay table read over the import table, ...): Wine DLLs lack some directories.
const ALIAS_TARGETS = [0, 1, 2, 6, 9, 10, 11, 13, 14];

const directoryAlias: Mutator = (buf, rng, pe) => {
  if (!pe || pe.directories + 16 * 8 > buf.length) return null;
  const from = directoryOf(buf, pe, rng.below(pe.directoryCount));
  const target = pe.directories + rng.pick(ALIAS_TARGETS) * 8;
  if (!from || from.rva === 0 || buf.subarray(from.entry, from.entry + 8).equals(buf.subarray(target, target + 8))) return null;
  buf.copy(buf, target, from.entry, from.entry + 8);
  if (pe.directoryCount < 16) buf.writeUInt32LE(16, pe.rvaCountOffset);
  return buf;
};

function presentDirectory(buf: Buffer, pe: PeLayout, rng: Rng, index?: number): (DirectoryLayout & { offset: number }) | null {
  const candidates: (DirectoryLayout & { offset: number })[] = [];
  for (let i = 0; i < pe.directoryCount; i++) {
    const dir = directoryOf(buf, pe, i);
    if (dir && dir.offset !== null && (index === undefined || index === i)) candidates.push({ ...dir, offset: dir.offset });
  }
  return candidates.length > 0 ? rng.pick(candidates) : null;
}

// Values are RVAs (most directories) or offsets from the directory start (resources): both loop back.
const directoryHavoc: Mutator = (buf, rng, pe) => {
  const dir = pe && presentDirectory(buf, pe, rng);
  if (!pe || !dir) return null;
  const span = Math.max(4, Math.min(dir.size, 4096, buf.length - dir.offset)) >>> 2;
  const words = 1 + rng.below(4);
  for (let n = 0; n < words; n++) {
    const word = rng.below(span) * 4;
    const self = [dir.rva, dir.rva + word, word, (word | 0x80000000) >>> 0, 0x80000000];
    put32(buf, dir.offset + word, [...INTERESTING_32, ...self, ...hostileRvas(buf, pe, dir.rva)], rng);
  }
  return buf;
};

const SECTION_FIELDS = [8, 12, 16, 20, 36];

const sectionField: Mutator = (buf, rng, pe) => {
  if (!pe || pe.sections.length === 0) return null;
  const section = rng.pick(pe.sections);
  const field = rng.pick(SECTION_FIELDS);
  const others = pe.sections.map((s) => buf.readUInt32LE(s.entry + field));
  return put32(buf, section.entry + field, [0, 1, 0x200, buf.length, buf.length + 0x200, 0x80000000, 0xffffffff, ...others], rng) ? buf : null;
};

const sectionOverlap: Mutator = (buf, _rng, pe) => {
  if (!pe || pe.sections.length < 2) return null;
  const [first, second] = [pe.sections[0]!, pe.sections[pe.sections.length - 1]!];
  if (buf.subarray(first.entry + 8, first.entry + 24).equals(buf.subarray(second.entry + 8, second.entry + 24))) return null;
  buf.copy(buf, second.entry + 8, first.entry + 8, first.entry + 24);
  return buf;
};

// Export directory: Name 12, Base 16, NumberOfFunctions 20, NumberOfNames 24, tables at 28, 32, 36.
const exportCounts: Mutator = (buf, rng, pe) => {
  const dir = pe && presentDirectory(buf, pe, rng, 0);
  if (!dir) return null;
  const field = dir.offset + rng.pick([16, 20, 24]);
  const current = u32(buf, field) ?? 0;
  return put32(buf, field, [0, 1, 0x10000, 0x10001, 0x7fffffff, 0xffffffff, Math.min(current * 1000, 0xffffffff)], rng) ? buf : null;
};

const exportPointers: Mutator = (buf, rng, pe) => {
  const dir = pe && presentDirectory(buf, pe, rng, 0);
  if (!pe || !dir) return null;
  const field = dir.offset + rng.pick([12, 28, 32, 36]);
  const tables = [12, 28, 32, 36].map((at) => u32(buf, dir.offset + at) ?? 0);
  return put32(buf, field, [...hostileRvas(buf, pe, dir.rva), dir.rva + 40, ...tables], rng) ? buf : null;
};

const exportEntries: Mutator = (buf, rng, pe) => {
  const dir = pe && presentDirectory(buf, pe, rng, 0);
  if (!pe || !dir) return null;
  const which = rng.below(3);
  const table = rvaToOffset(pe, u32(buf, dir.offset + [28, 32, 36][which]!) ?? 0);
  const count = u32(buf, dir.offset + (which === 0 ? 20 : 24)) ?? 0;
  if (table === null || count === 0) return null;
  if (which === 2) return put16(buf, table + rng.below(count) * 2, [0, 0x7fff, 0xffff, count], rng) ? buf : null;
  // Function RVAs inside the directory look like forwarders; name RVAs at the directory are not strings.
  const at = table + rng.below(count) * 4;
  return put32(buf, at, [dir.rva, dir.rva + 1, dir.rva + dir.size - 1, 0, 0xffffffff, ...hostileRvas(buf, pe, dir.rva)], rng) ? buf : null;
};

function pickDescriptor(buf: Buffer, pe: PeLayout, rng: Rng, index: number, size: number): { at: number; rva: number; dirRva: number } | null {
  const dir = presentDirectory(buf, pe, rng, index);
  if (!dir) return null;
  let count = 0;
  while (count < 64 && dir.offset + (count + 1) * size <= buf.length && buf.subarray(dir.offset + count * size, dir.offset + (count + 1) * size).some((b) => b !== 0)) count++;
  const slot = rng.below(count + 1);
  return { at: dir.offset + slot * size, rva: dir.rva + slot * size, dirRva: dir.rva };
}

// Import descriptor: OriginalFirstThunk 0, TimeDateStamp 4, ForwarderChain 8, Name 12, FirstThunk 16.
const importDescriptor: Mutator = (buf, rng, pe) => {
  const d = pe && pickDescriptor(buf, pe, rng, 1, 20);
  if (!pe || !d) return null;
  return put32(buf, d.at + rng.pick([0, 12, 16]), [...hostileRvas(buf, pe, d.rva), d.dirRva], rng) ? buf : null;
};

function firstThunkTable(buf: Buffer, pe: PeLayout, rng: Rng): { at: number; rva: number } | null {
  const d = pickDescriptor(buf, pe, rng, 1, 20);
  if (!d) return null;
  const rva = u32(buf, d.at) || u32(buf, d.at + 16);
  const at = rva ? rvaToOffset(pe, rva) : null;
  return rva && at !== null && at < buf.length ? { at, rva } : null;
}

const importThunks: Mutator = (buf, rng, pe) => {
  const table = pe && firstThunkTable(buf, pe, rng);
  if (!pe || !table) return null;
  const width = pe.is64 ? 8 : 4;
  const at = table.at + rng.below(8) * width;
  const values = [0x8000ffff, 0x80000000, 0x7fffffff, table.rva, table.rva - 2, ...hostileRvas(buf, pe, table.rva)];
  if (!put32(buf, at, values, rng)) return null;
  if (pe.is64 && at + 8 <= buf.length) buf.writeUInt32LE(rng.pick([0, 0x80000000, 0xffffffff]), at + 4);
  return buf;
};

const importTerminator: Mutator = (buf, rng, pe) => {
  const d = pe && pickDescriptor(buf, pe, rng, rng.pick([1, 13]), 20);
  if (!d || d.at + 20 > buf.length) return null;
  buf.fill(rng.pick([0x41, 0xff, 0x01]), d.at, d.at + 20);
  return buf;
};

// Delay descriptor: Attributes 0, DllName 4, ModuleHandle 8, IAT 12, INT 16, bound IAT 20, unload IAT 24.
const delayDescriptor: Mutator = (buf, rng, pe) => {
  const d = pe && pickDescriptor(buf, pe, rng, 13, 32);
  if (!pe || !d) return null;
  if (rng.chance(0.2)) return put32(buf, d.at, [0, 1, 2, 0xffffffff], rng) ? buf : null;
  return put32(buf, d.at + rng.pick([4, 12, 16]), [...hostileRvas(buf, pe, d.rva), d.dirRva], rng) ? buf : null;
};

/** Every mutation by name: generic byte-level first, then structure-aware ones. */
export const MUTATORS: Readonly<Record<string, Mutator>> = {
  bitFlip, interestingByte, interestingWord16, interestingWord32, truncate, duplicateChunk, insertChunk,
  sectionCount, optionalHeaderSize, lfanew, optionalMagic, rvaCount, headerField, directoryEntry, directoryAlias, directoryHavoc,
  sectionField, sectionOverlap, exportCounts, exportPointers, exportEntries,
  importDescriptor, importThunks, importTerminator, delayDescriptor,
};

const NAMES = Object.keys(MUTATORS);

/** Applies one named mutation to a copy of `input`; null when it does not apply. */
export function applyMutation(name: string, input: Buffer, rng: Rng): Buffer | null {
  const mutator = MUTATORS[name];
  if (!mutator) throw new Error(`unknown mutation ${name}`);
  return mutator(Buffer.from(input), rng, locatePe(input));
}

/** Applies 1 to `maxStack` random mutations to a copy of `input`, deterministically for `seed`. */
export function mutate(input: Buffer, seed: number, maxStack = 4): { data: Buffer; applied: string[] } {
  const rng = createRng(seed);
  let data: Buffer = Buffer.from(input);
  const applied: string[] = [];
  const stack = 1 + rng.below(maxStack);
  for (let attempt = 0; applied.length < stack && attempt < stack * 8; attempt++) {
    const name = rng.pick(NAMES);
    const result = MUTATORS[name]!(data, rng, locatePe(data));
    if (result === null) continue;
    data = result;
    applied.push(name);
  }
  return { data, applied };
}
