import type { ParseIssue } from './parse-issues.ts';

/** Short machine names used across Thunk's JSON and UI. */
export type MachineName = 'x86' | 'x64' | 'arm64' | 'arm64ec' | 'arm64x' | 'arm' | 'ia64' | 'unknown';

export interface DosHeader {
  /** e_lfanew: file offset of the "PE\0\0" signature. */
  peHeaderOffset: number;
}

export interface FileHeader {
  machineCode: number;
  machine: MachineName;
  numberOfSections: number;
  timeDateStamp: number;
  /** ISO date of timeDateStamp, or null when it is 0 or looks like a reproducible-build hash. */
  timestamp: string | null;
  pointerToSymbolTable: number;
  numberOfSymbols: number;
  sizeOfOptionalHeader: number;
  characteristics: number;
  characteristicNames: string[];
  isDll: boolean;
}

export interface DataDirectory {
  index: number;
  name: string;
  rva: number;
  size: number;
}

export interface DllCharacteristics {
  value: number;
  highEntropyVa: boolean;
  dynamicBase: boolean;
  forceIntegrity: boolean;
  nxCompat: boolean;
  noIsolation: boolean;
  noSeh: boolean;
  noBind: boolean;
  appContainer: boolean;
  wdmDriver: boolean;
  guardCf: boolean;
  terminalServerAware: boolean;
}

export interface OptionalHeader {
  magic: number;
  format: 'PE32' | 'PE32+';
  linkerVersion: string;
  sizeOfCode: number;
  addressOfEntryPoint: number;
  imageBase: bigint;
  sectionAlignment: number;
  fileAlignment: number;
  operatingSystemVersion: string;
  imageVersion: string;
  subsystemVersion: string;
  sizeOfImage: number;
  sizeOfHeaders: number;
  checksum: number;
  subsystemCode: number;
  subsystem: string;
  dllCharacteristics: DllCharacteristics;
  sizeOfStackReserve: bigint;
  sizeOfHeapReserve: bigint;
  numberOfRvaAndSizes: number;
  dataDirectories: DataDirectory[];
}

export interface Section {
  name: string;
  virtualAddress: number;
  virtualSize: number;
  pointerToRawData: number;
  sizeOfRawData: number;
  characteristics: number;
  flags: string[];
  isCode: boolean;
  isExecutable: boolean;
  isWritable: boolean;
  /** Shannon entropy of the raw data in bits per byte (0..8), null when it has none. */
  entropy: number | null;
}

export interface ExportEntry {
  ordinal: number;
  name: string | null;
  /** Name hint index into the name table, when named. */
  hint: number | null;
  rva: number | null;
  /** "dll.Func" or "dll.#12" when the export forwards elsewhere. */
  forwarder: string | null;
  /** Section holding the RVA, and whether it is code or data. */
  section: string | null;
  kind: 'code' | 'data' | 'forwarder' | 'unknown';
}

export interface ExportDirectory {
  dllName: string | null;
  ordinalBase: number;
  timeDateStamp: number;
  entries: ExportEntry[];
}

export interface ImportedFunction {
  name: string | null;
  hint: number | null;
  ordinal: number | null;
}

export interface ImportModule {
  dll: string;
  functions: ImportedFunction[];
}

export interface DelayImportModule extends ImportModule {
  /** true when the descriptor holds RVAs (attribute bit 0); false for old VA-based ones. */
  rvaBased: boolean;
}

export interface BoundImport {
  dll: string;
  timeDateStamp: number;
  forwarderRefs: { dll: string; timeDateStamp: number }[];
}

export interface VersionInfo {
  fileVersion: string | null;
  productVersion: string | null;
  fileFlags: string[];
  fileOs: number;
  fileType: number;
  /** String tables by language-codepage key ("040904b0"), each name -> value. */
  stringTables: { key: string; strings: Record<string, string> }[];
  /** VarFileInfo\Translation: the language and code page pairs the resource declares. */
  translations?: { language: number; codePage: number }[];
}

export interface ManifestInfo {
  /** The manifest's XML text (capped). */
  xml: string;
  /** Its resource ID: the loader reads 1 for a program, 2 (or 3) for a DLL, and ignores the others. */
  resourceId?: number;
  requestedExecutionLevel: string | null;
  uiAccess: boolean | null;
  /** Side-by-side assembly dependencies. */
  dependencies: SxsDependency[];
}

export interface SxsDependency {
  name: string;
  version: string | null;
  processorArchitecture: string | null;
  publicKeyToken: string | null;
  language: string | null;
  type: string | null;
}

export interface ResourceSummary {
  /** Resource type names/ids and how many entries each has. */
  types: { type: string; count: number }[];
  version: VersionInfo | null;
  manifest: ManifestInfo | null;
}

export interface DebugEntry {
  type: number;
  typeName: string;
  timeDateStamp: number;
  sizeOfData: number;
  pointerToRawData: number;
}

export interface CodeViewInfo {
  signature: 'RSDS' | 'NB10';
  pdbPath: string;
  guid: string | null;
  age: number;
}

export interface DebugInfo {
  entries: DebugEntry[];
  codeView: CodeViewInfo | null;
  /** True when a repro debug entry says the build is reproducible (timestamp is a hash). */
  reproducible: boolean;
}

export type DotNetFlavor = 'anycpu' | 'anycpu-prefer32' | 'x86-only' | 'x64-only' | 'arm64-only' | 'mixed-mode' | 'native-only';

export interface ClrInfo {
  runtimeVersion: string;
  flags: number;
  ilOnly: boolean;
  requires32Bit: boolean;
  prefers32Bit: boolean;
  strongNameSigned: boolean;
  /** How the assembly runs: AnyCPU, x86-only, ... */
  flavor: DotNetFlavor;
  /** Which host bitnesses can load it: .NET decides, not the PE machine alone. */
  loadsIn: { x86: boolean; x64: boolean };
  /** Target framework from metadata version string, e.g. "v4.0.30319". */
  metadataVersion: string | null;
}

export interface LoadConfigInfo {
  size: number;
  securityCookie: bigint | null;
  safeSehHandlerCount: number | null;
  guardFlags: number | null;
  guardFlagNames: string[];
  guardCfFunctionCount: bigint | null;
  /** CHPE metadata pointer: non-zero marks a hybrid ARM64EC/ARM64X image. */
  chpeMetadataPointer: bigint | null;
}

export interface TlsInfo {
  callbacks: bigint[];
  /** True when the callbacks table could not be read to its end. */
  truncated: boolean;
}

export interface CertificateEntry {
  offset: number;
  length: number;
  revision: number;
  type: number;
  typeName: string;
}

export interface CertificateInfo {
  entries: CertificateEntry[];
  /** Authenticode present: a PKCS#7 signed-data entry exists. */
  authenticode: boolean;
  /** X.509 certificates carried in the PKCS#7 blobs' certificate sets; null when none could be read. */
  certificateCount?: number | null;
}

export interface RichEntry {
  productId: number;
  build: number;
  count: number;
}

export interface RichHeader {
  key: number;
  entries: RichEntry[];
  checksumValid: boolean;
}

export interface ChecksumInfo {
  stored: number;
  computed: number | null;
  matches: boolean | null;
}

export interface Overlay {
  offset: number;
  size: number;
}

/** Everything the parser read from one file. Absent parts are null; `issues` says what was wrong. */
export interface PeImage {
  path: string;
  fileSize: number;
  dos: DosHeader;
  fileHeader: FileHeader;
  optionalHeader: OptionalHeader | null;
  /** The effective machine: hybrid ARM64EC/ARM64X refined through the load config. */
  machine: MachineName;
  is64Bit: boolean;
  sections: Section[];
  exports: ExportDirectory | null;
  imports: ImportModule[];
  delayImports: DelayImportModule[];
  boundImports: BoundImport[];
  resources: ResourceSummary | null;
  debug: DebugInfo | null;
  clr: ClrInfo | null;
  loadConfig: LoadConfigInfo | null;
  tls: TlsInfo | null;
  certificates: CertificateInfo | null;
  richHeader: RichHeader | null;
  checksum: ChecksumInfo | null;
  overlay: Overlay | null;
  issues: ParseIssue[];
}
