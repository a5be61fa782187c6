// In-memory edits of MinGW-built DLLs, for cases no local toolchain builds (ARM64, .NET, ...).
// Offsets are read straight from the headers here, not through Thunk's parser under test.
import { FileReader } from '../../pe/file-reader.ts';
import { parsePe } from '../../pe/parse-pe.ts';
import type { PeImage } from '../../pe/pe-image.ts';

export interface RawSection {
  name: string;
  /** File offset of the section's 40-byte header. */
  headerOffset: number;
  rva: number;
  virtualSize: number;
  raw: number;
  rawSize: number;
}

export interface RawLayout {
  peOffset: number;
  optionalOffset: number;
  is64: boolean;
  /** File offset of data directory 0. */
  dataDirs: number;
  sections: RawSection[];
}

export function rawLayout(file: Buffer): RawLayout {
  const peOffset = file.readUInt32LE(0x3c);
  const optionalOffset = peOffset + 24;
  const is64 = file.readUInt16LE(optionalOffset) === 0x20b;
  const table = optionalOffset + file.readUInt16LE(peOffset + 20);
  const sections = Array.from({ length: file.readUInt16LE(peOffset + 6) }, (_, i): RawSection => {
    const at = table + i * 40;
    return {
      name: file.toString('latin1', at, at + 8).replace(/\0+$/, ''), headerOffset: at,
      virtualSize: file.readUInt32LE(at + 8), rva: file.readUInt32LE(at + 12), rawSize: file.readUInt32LE(at + 16), raw: file.readUInt32LE(at + 20),
    };
  });
  return { peOffset, optionalOffset, is64, dataDirs: optionalOffset + (is64 ? 112 : 96), sections };
}

export function rawSection(file: Buffer, name: string): RawSection {
  const found = rawLayout(file).sections.find((s) => s.name === name);
  if (!found) throw new Error(`no section ${name}`);
  return found;
}

export function setMachine(file: Buffer, code: number): void {
  file.writeUInt16LE(code, rawLayout(file).peOffset + 4);
}

export function setDirectory(file: Buffer, index: number, rva: number, size: number): void {
  const at = rawLayout(file).dataDirs + index * 8;
  file.writeUInt32LE(rva, at);
  file.writeUInt32LE(size, at + 4);
}

/** Writes `bytes` at the start of .text (the image is never run) and returns their RVA. */
export function writeInText(file: Buffer, bytes: Buffer): number {
  const text = rawSection(file, '.text');
  if (bytes.length > text.rawSize) throw new Error('patch larger than .text');
  bytes.copy(file, text.raw);
  return text.rva;
}

/** Points the load config directory at a fresh one whose CHPE metadata pointer is set (hybrid image). */
export function addChpePointer(file: Buffer): void {
  const is64 = rawLayout(file).is64;
  const config = Buffer.alloc(0x140);
  config.writeUInt32LE(config.length, 0);
  if (is64) config.writeBigUInt64LE(0x180001000n, 200);
  else config.writeUInt32LE(0x10001000, 124);
  setDirectory(file, 10, writeInText(file, config), config.length);
}

/** Points the CLR directory at an IMAGE_COR20_HEADER with these flags (no metadata). */
export function addClrHeader(file: Buffer, flags: number): void {
  const header = Buffer.alloc(72);
  header.writeUInt32LE(72, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(5, 6);
  header.writeUInt32LE(flags, 16);
  setDirectory(file, 14, writeInText(file, header), header.length);
}

export function parseBuffer(file: Buffer, path: string): PeImage {
  return parsePe(FileReader.fromBuffer(file), path);
}
