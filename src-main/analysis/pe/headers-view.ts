// The Headers tab's data: everything the parser read about a file's structure, as plain JSON
// (numbers, strings; 64-bit values as hex) with every flag in words. Pure: no Node imports.
import type { DataDirectory, FileHeader, PeImage, Section } from './pe-image.ts';
import {
  DLL_CHARACTERISTIC_WORDS, FILE_CHARACTERISTIC_WORDS, GUARD_FLAG_WORDS, SECTION_CHARACTERISTIC_WORDS,
  flagWords, setFlagWords, type FlagWord,
} from './flag-words.ts';
import { richProductName } from './rich-products.ts';

export interface SectionView {
  name: string;
  virtualAddress: number;
  virtualSize: number;
  rawOffset: number;
  rawSize: number;
  characteristics: number;
  flags: FlagWord[];
  /** Bits per byte (0..8), null without raw data. */
  entropy: number | null;
  /** What the entropy suggests, in words; null when unremarkable. */
  entropyNote: string | null;
}

export interface DataDirectoryView {
  index: number;
  name: string;
  rva: number;
  size: number;
  /** The section the directory lies in; null when empty, in the headers, or (certificates) a file offset. */
  section: string | null;
}

export interface HeadersView {
  file: string;
  fileSize: number;
  machine: string;
  fileHeader: Omit<FileHeader, 'characteristicNames' | 'isDll'> & { flags: FlagWord[] };
  optionalHeader: {
    format: string;
    magic: number;
    linkerVersion: string;
    sizeOfCode: number;
    entryPoint: number;
    imageBase: string;
    sectionAlignment: number;
    fileAlignment: number;
    operatingSystemVersion: string;
    imageVersion: string;
    subsystemVersion: string;
    subsystem: string;
    sizeOfImage: number;
    sizeOfHeaders: number;
    checksum: number;
    sizeOfStackReserve: string;
    sizeOfHeapReserve: string;
    dllCharacteristics: number;
    dllFlags: FlagWord[];
  } | null;
  checksum: { stored: number; computed: number | null; matches: boolean | null } | null;
  sections: SectionView[];
  dataDirectories: DataDirectoryView[];
  overlay: { offset: number; size: number } | null;
  debug: {
    entries: { typeName: string; timeDateStamp: number; sizeOfData: number }[];
    pdb: { path: string; guid: string | null; age: number; format: string } | null;
    reproducible: boolean;
  } | null;
  loadConfig: {
    size: number;
    securityCookie: string | null;
    safeSehHandlerCount: number | null;
    guardFlags: number | null;
    guardFlagWords: FlagWord[];
    guardCfFunctionCount: string | null;
    chpeMetadataPointer: string | null;
  } | null;
  tls: { callbacks: string[]; truncated: boolean } | null;
  certificates: { entries: { offset: number; length: number; revision: number; typeName: string }[]; authenticode: boolean; certificateCount: number | null } | null;
  richHeader: { key: string; checksumValid: boolean; entries: { productId: number; build: number; count: number; tool: string | null }[] } | null;
  clr: { runtimeVersion: string; metadataVersion: string | null; flavor: string; flags: string[]; loadsIn: { x86: boolean; x64: boolean } } | null;
  resources: {
    types: { type: string; count: number }[];
    version: { fileVersion: string | null; productVersion: string | null; fileFlags: string[]; strings: { table: string; name: string; value: string }[] } | null;
    manifest: { xml: string; resourceId: number | null; requestedExecutionLevel: string | null; dependencies: string[] } | null;
  } | null;
  /** What the parser found wrong, in words. */
  issues: string[];
}

const hex = (value: bigint | number): string => `0x${value.toString(16)}`;

// Above 7.2 bits per byte the data is almost certainly compressed or encrypted: a packer, or a
// payload hidden in the DLL; code sits around 6, text and tables well below.
const PACKED_ENTROPY = 7.2;

function entropyNote(section: Section): string | null {
  if (section.entropy === null) return null;
  if (section.entropy >= PACKED_ENTROPY) return section.isExecutable ? 'executable and near-random: packed or encrypted code' : 'near-random: compressed or encrypted data';
  if (section.entropy < 0.5 && section.sizeOfRawData > 0) return 'almost uniform (mostly zeros)';
  return null;
}

function sectionView(section: Section): SectionView {
  return {
    name: section.name, virtualAddress: section.virtualAddress, virtualSize: section.virtualSize,
    rawOffset: section.pointerToRawData, rawSize: section.sizeOfRawData, characteristics: section.characteristics >>> 0,
    flags: setFlagWords(section.characteristics, SECTION_CHARACTERISTIC_WORDS), entropy: section.entropy, entropyNote: entropyNote(section),
  };
}

/** The section holding an RVA (by virtual extent), as the loader maps it. */
export function sectionOfRva(sections: readonly Section[], rva: number): string | null {
  const found = sections.find((s) => rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData));
  return found?.name ?? null;
}

const CERTIFICATE_DIRECTORY = 4;

function directoryView(directory: DataDirectory, sections: readonly Section[]): DataDirectoryView {
  const empty = directory.rva === 0 && directory.size === 0;
  const section = empty || directory.index === CERTIFICATE_DIRECTORY ? null : sectionOfRva(sections, directory.rva);
  return { index: directory.index, name: directory.name, rva: directory.rva, size: directory.size, section };
}

function clrFlags(clr: NonNullable<PeImage['clr']>): string[] {
  return [
    clr.ilOnly && 'IL only (no native code)',
    clr.requires32Bit && 'requires a 32-bit process',
    clr.prefers32Bit && 'prefers a 32-bit process',
    clr.strongNameSigned && 'strong-name signed',
  ].filter((flag): flag is string => typeof flag === 'string');
}

function resourcesView(resources: PeImage['resources']): HeadersView['resources'] {
  if (!resources) return null;
  const { version, manifest } = resources;
  return {
    types: resources.types,
    version: version && {
      fileVersion: version.fileVersion, productVersion: version.productVersion, fileFlags: version.fileFlags,
      strings: version.stringTables.flatMap((table) => Object.entries(table.strings).map(([name, value]) => ({ table: table.key, name, value }))),
    },
    manifest: manifest && {
      xml: manifest.xml, resourceId: manifest.resourceId ?? null, requestedExecutionLevel: manifest.requestedExecutionLevel,
      dependencies: manifest.dependencies.map((d) => [d.name, d.version, d.processorArchitecture].filter(Boolean).join(' ')),
    },
  };
}

function optionalHeaderView(image: PeImage): HeadersView['optionalHeader'] {
  const o = image.optionalHeader;
  if (!o) return null;
  return {
    format: o.format, magic: o.magic, linkerVersion: o.linkerVersion, sizeOfCode: o.sizeOfCode, entryPoint: o.addressOfEntryPoint,
    imageBase: hex(o.imageBase), sectionAlignment: o.sectionAlignment, fileAlignment: o.fileAlignment,
    operatingSystemVersion: o.operatingSystemVersion, imageVersion: o.imageVersion, subsystemVersion: o.subsystemVersion, subsystem: o.subsystem,
    sizeOfImage: o.sizeOfImage, sizeOfHeaders: o.sizeOfHeaders, checksum: o.checksum,
    sizeOfStackReserve: hex(o.sizeOfStackReserve), sizeOfHeapReserve: hex(o.sizeOfHeapReserve),
    dllCharacteristics: o.dllCharacteristics.value, dllFlags: flagWords(o.dllCharacteristics.value, DLL_CHARACTERISTIC_WORDS),
  };
}

/** The Headers tab's view of a parsed image. */
export function headersView(image: PeImage): HeadersView {
  const h = image.fileHeader;
  const { debug, loadConfig, tls, certificates, richHeader, clr } = image;
  return {
    file: image.path, fileSize: image.fileSize, machine: image.machine,
    fileHeader: {
      machineCode: h.machineCode, machine: h.machine, numberOfSections: h.numberOfSections, timeDateStamp: h.timeDateStamp, timestamp: h.timestamp,
      pointerToSymbolTable: h.pointerToSymbolTable, numberOfSymbols: h.numberOfSymbols, sizeOfOptionalHeader: h.sizeOfOptionalHeader,
      characteristics: h.characteristics, flags: flagWords(h.characteristics, FILE_CHARACTERISTIC_WORDS),
    },
    optionalHeader: optionalHeaderView(image),
    checksum: image.checksum,
    sections: image.sections.map(sectionView),
    dataDirectories: (image.optionalHeader?.dataDirectories ?? []).map((d) => directoryView(d, image.sections)),
    overlay: image.overlay,
    debug: debug && {
      entries: debug.entries.map((e) => ({ typeName: e.typeName, timeDateStamp: e.timeDateStamp, sizeOfData: e.sizeOfData })),
      pdb: debug.codeView && { path: debug.codeView.pdbPath, guid: debug.codeView.guid, age: debug.codeView.age, format: debug.codeView.signature },
      reproducible: debug.reproducible,
    },
    loadConfig: loadConfig && {
      size: loadConfig.size, securityCookie: loadConfig.securityCookie === null ? null : hex(loadConfig.securityCookie),
      safeSehHandlerCount: loadConfig.safeSehHandlerCount, guardFlags: loadConfig.guardFlags,
      guardFlagWords: loadConfig.guardFlags === null ? [] : setFlagWords(loadConfig.guardFlags, GUARD_FLAG_WORDS),
      guardCfFunctionCount: loadConfig.guardCfFunctionCount === null ? null : loadConfig.guardCfFunctionCount.toString(),
      chpeMetadataPointer: loadConfig.chpeMetadataPointer ? hex(loadConfig.chpeMetadataPointer) : null,
    },
    tls: tls && { callbacks: tls.callbacks.map((va) => hex(va)), truncated: tls.truncated },
    certificates: certificates && {
      entries: certificates.entries.map((e) => ({ offset: e.offset, length: e.length, revision: e.revision, typeName: e.typeName })),
      authenticode: certificates.authenticode, certificateCount: certificates.certificateCount ?? null,
    },
    richHeader: richHeader && { key: hex(richHeader.key >>> 0), checksumValid: richHeader.checksumValid, entries: richHeader.entries.map((e) => ({ ...e, tool: richProductName(e.productId) })) },
    clr: clr && { runtimeVersion: clr.runtimeVersion, metadataVersion: clr.metadataVersion, flavor: clr.flavor, flags: clrFlags(clr), loadsIn: clr.loadsIn },
    resources: resourcesView(image.resources),
    issues: image.issues.map((issue) => issue.message),
  };
}
