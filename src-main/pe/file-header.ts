import type { FileReader } from './file-reader.ts';
import type { FileHeader, MachineName } from './pe-image.ts';

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

const CHARACTERISTICS: [number, string][] = [
  [0x0001, 'RELOCS_STRIPPED'],
  [0x0002, 'EXECUTABLE_IMAGE'],
  [0x0004, 'LINE_NUMS_STRIPPED'],
  [0x0008, 'LOCAL_SYMS_STRIPPED'],
  [0x0010, 'AGGRESSIVE_WS_TRIM'],
  [0x0020, 'LARGE_ADDRESS_AWARE'],
  [0x0080, 'BYTES_REVERSED_LO'],
  [0x0100, '32BIT_MACHINE'],
  [0x0200, 'DEBUG_STRIPPED'],
  [0x0400, 'REMOVABLE_RUN_FROM_SWAP'],
  [0x0800, 'NET_RUN_FROM_SWAP'],
  [0x1000, 'SYSTEM'],
  [0x2000, 'DLL'],
  [0x4000, 'UP_SYSTEM_ONLY'],
  [0x8000, 'BYTES_REVERSED_HI'],
];

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
