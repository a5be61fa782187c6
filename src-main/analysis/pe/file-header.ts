import type { FileReader } from './file-reader.ts';
import type { FileHeader, MachineName } from './pe-image.ts';
import { FILE_CHARACTERISTIC_WORDS } from './flag-words.ts';

const MACHINES: Record<number, MachineName> = {
  0x14c: 'x86',
  0x8664: 'x64',
  0xaa64: 'arm64',
  0xa641: 'arm64ec',
  0xa64e: 'arm64x',
  0x1c4: 'arm',
  0x1c0: 'arm',
  0x200: 'ia64',
};

// Names from the one table of these flags, which also holds their words (flag-words.ts).
const CHARACTERISTICS = FILE_CHARACTERISTIC_WORDS.map(([bit, name]) => [bit, name] as const);

/** The machine name for a COFF machine code. */
export function machineName(code: number): MachineName {
  return MACHINES[code] ?? 'unknown';
}

/** Names of the set bits of a flags word, from a table of (bit, name). */
export function flagNames(value: number, table: readonly (readonly [number, string])[]): string[] {
  return table.filter(([bit]) => (value & bit) !== 0).map(([, name]) => name);
}

// Reproducible builds put a hash in TimeDateStamp; dates far in the future are not real times.
function timestampToIso(seconds: number): string | null {
  if (seconds === 0) return null;
  const date = new Date(seconds * 1000);
  return date.getUTCFullYear() > new Date().getUTCFullYear() + 1 ? null : date.toISOString();
}

/** Reads the COFF file header that follows "PE\0\0". */
export function readFileHeader(reader: FileReader, offset: number): FileHeader {
  const b = reader.bytes(offset, 20);
  const machineCode = b.readUInt16LE(0);
  const characteristics = b.readUInt16LE(18);
  const timeDateStamp = b.readUInt32LE(4);
  return {
    machineCode,
    machine: machineName(machineCode),
    numberOfSections: b.readUInt16LE(2),
    timeDateStamp,
    timestamp: timestampToIso(timeDateStamp),
    pointerToSymbolTable: b.readUInt32LE(8),
    numberOfSymbols: b.readUInt32LE(12),
    sizeOfOptionalHeader: b.readUInt16LE(16),
    characteristics,
    characteristicNames: flagNames(characteristics, CHARACTERISTICS),
    isDll: (characteristics & 0x2000) !== 0,
  };
}
