import type { FileReader } from './file-reader.ts';
import type { IssueLog } from './parse-issues.ts';
import type { DataDirectory, DllCharacteristics, OptionalHeader } from './pe-image.ts';
import { LIMITS } from './limits.ts';

export const DIRECTORY_NAMES = [
  'export', 'import', 'resource', 'exception', 'certificate', 'base relocation', 'debug', 'architecture',
  'global pointer', 'TLS', 'load config', 'bound import', 'IAT', 'delay import', 'CLR runtime header', 'reserved',
] as const;

/** Indexes of the data directories Thunk reads. */
export const DIRECTORY = {
  export: 0, import: 1, resource: 2, exception: 3, certificate: 4, relocation: 5, debug: 6,
  tls: 9, loadConfig: 10, boundImport: 11, iat: 12, delayImport: 13, clr: 14,
} as const;

const SUBSYSTEMS: Record<number, string> = {
  0: 'unknown', 1: 'native', 2: 'windows GUI', 3: 'windows console', 5: 'OS/2 console', 7: 'POSIX console',
  8: 'native Win9x driver', 9: 'Windows CE GUI', 10: 'EFI application', 11: 'EFI boot service driver',
  12: 'EFI runtime driver', 13: 'EFI ROM', 14: 'Xbox', 16: 'Windows boot application',
};

/** Decodes IMAGE_DLLCHARACTERISTICS_* into named booleans. */
export function decodeDllCharacteristics(value: number): DllCharacteristics {
  const has = (bit: number): boolean => (value & bit) !== 0;
  return {
    value,
    highEntropyVa: has(0x20),
    dynamicBase: has(0x40),
    forceIntegrity: has(0x80),
    nxCompat: has(0x100),
    noIsolation: has(0x200),
    noSeh: has(0x400),
    noBind: has(0x800),
    appContainer: has(0x1000),
    wdmDriver: has(0x2000),
    guardCf: has(0x4000),
    terminalServerAware: has(0x8000),
  };
}

const version = (major: number, minor: number): string => `${major}.${minor}`;

/** Reads the PE32 or PE32+ optional header; null (with an issue) when the magic is unknown. */
export function readOptionalHeader(reader: FileReader, offset: number, declaredSize: number, issues: IssueLog): OptionalHeader | null {
  // The loader reads the standard fields whatever SizeOfOptionalHeader says, so pad with zeros.
  const b = Buffer.alloc(240);
  reader.bytes(offset, 240).copy(b);
  const magic = b.readUInt16LE(0);
  if (magic !== 0x10b && magic !== 0x20b) {
    issues.add('optional header', offset, `unknown optional header magic 0x${magic.toString(16)} (expected 0x10b PE32 or 0x20b PE32+)`);
    return null;
  }
  const is64 = magic === 0x20b;
  const word = (at: number): bigint => (is64 ? b.readBigUInt64LE(at) : BigInt(b.readUInt32LE(at)));
  const tail = is64 ? 0x6c : 0x5c; // LoaderFlags offset + 4: NumberOfRvaAndSizes
  const numberOfRvaAndSizes = b.readUInt32LE(tail);
  const directoriesStart = tail + 4;
  const count = Math.min(numberOfRvaAndSizes, LIMITS.dataDirectories);
  if (numberOfRvaAndSizes > LIMITS.dataDirectories) {
    issues.add('optional header', offset + tail, `NumberOfRvaAndSizes is ${numberOfRvaAndSizes}; the loader reads at most 16`);
  }
  if (declaredSize < directoriesStart + count * 8) {
    issues.add('optional header', offset, `SizeOfOptionalHeader ${declaredSize} is smaller than the ${directoriesStart + count * 8} bytes its fields need`);
  }
  const dataDirectories: DataDirectory[] = [];
  for (let index = 0; index < count; index++) {
    const at = directoriesStart + index * 8;
    dataDirectories.push({ index, name: DIRECTORY_NAMES[index]!, rva: b.readUInt32LE(at), size: b.readUInt32LE(at + 4) });
  }
  const subsystemCode = b.readUInt16LE(0x44);
  return {
    magic,
    format: is64 ? 'PE32+' : 'PE32',
    linkerVersion: version(b[2]!, b[3]!),
    sizeOfCode: b.readUInt32LE(4),
    addressOfEntryPoint: b.readUInt32LE(16),
    imageBase: is64 ? b.readBigUInt64LE(24) : BigInt(b.readUInt32LE(28)),
    sectionAlignment: b.readUInt32LE(32),
    fileAlignment: b.readUInt32LE(36),
    operatingSystemVersion: version(b.readUInt16LE(40), b.readUInt16LE(42)),
    imageVersion: version(b.readUInt16LE(44), b.readUInt16LE(46)),
    subsystemVersion: version(b.readUInt16LE(48), b.readUInt16LE(50)),
    sizeOfImage: b.readUInt32LE(56),
    sizeOfHeaders: b.readUInt32LE(60),
    checksum: b.readUInt32LE(64),
    subsystemCode,
    subsystem: SUBSYSTEMS[subsystemCode] ?? `unknown (${subsystemCode})`,
    dllCharacteristics: decodeDllCharacteristics(b.readUInt16LE(70)),
    sizeOfStackReserve: word(72),
    sizeOfHeapReserve: word(is64 ? 88 : 80),
    numberOfRvaAndSizes,
    dataDirectories,
  };
}

/** The directory at an index, or null when absent or empty. */
export function directory(directories: readonly DataDirectory[], index: number): DataDirectory | null {
  const entry = directories[index];
  return entry && entry.rva !== 0 ? entry : null;
}
