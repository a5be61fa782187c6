import { statSync } from 'node:fs';
import type { DataDirectory, PeImage, MachineName } from './pe-image.ts';
import { FileReader } from './file-reader.ts';
import { IssueLog } from './parse-issues.ts';
import { AddressSpace, type ParseContext } from './parse-context.ts';
import { readDosHeader } from './dos-header.ts';
import { readFileHeader } from './file-header.ts';
import { DIRECTORY, directory, readOptionalHeader } from './optional-header.ts';
import { readSectionTable } from './section-table.ts';
import { readExports } from './exports.ts';
import { readImports } from './imports.ts';
import { readDelayImports } from './delay-imports.ts';
import { readBoundImports } from './bound-imports.ts';
import { readResources } from './resources.ts';
import { readDebugDirectory } from './debug-directory.ts';
import { readClrHeader } from './clr-header.ts';
import { readLoadConfig } from './load-config.ts';
import { readTls } from './tls.ts';
import { readCertificates } from './certificates.ts';
import { readRichHeader } from './rich-header.ts';
import { readChecksum } from './checksum.ts';
import { describeNonPe } from './file-kind.ts';

/** Which parts to read; the fast path (exports/imports only) skips the rest. */
export interface ParseOptions {
  /** Read resources, debug, CLR, load config, TLS, certificates, Rich header, checksum. Default true. */
  details?: boolean;
  /** Compute section entropy (reads every section). Default true. */
  entropy?: boolean;
}

/** The file cannot be analysed at all; `reason` says what it is instead. */
export class NotPeError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}, not a Windows DLL`);
    this.name = 'NotPeError';
  }
}

/** The file could not be read (missing, folder, permission, locked). */
export class FileAccessError extends Error {
  constructor(readonly path: string, message: string, readonly code: string | undefined) {
    super(message);
    this.name = 'FileAccessError';
  }
}

const ACCESS_MESSAGES: Record<string, string> = {
  ENOENT: 'no such file (it may have been moved or deleted)',
  EACCES: 'permission denied: run Thunk as a user that can read it, or copy the file somewhere readable',
  EPERM: 'permission denied: run Thunk as a user that can read it, or copy the file somewhere readable',
  EISDIR: 'is a folder, not a file: pass the DLL inside it, or use `thunk triage` which scans folders',
  EBUSY: 'the file is locked by another process: close it there or copy it first',
};

/** Opens a file for ranged reads, turning OS errors into a FileAccessError a user can act on. */
export function openReader(path: string): FileReader {
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return FileReader.open(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileAccessError(path, `${path}: ${ACCESS_MESSAGES[code ?? ''] ?? (error as Error).message}`, code);
  }
}

// Hybrid images carry the x64 or ARM64 machine in the header; the CHPE pointer tells them apart.
function effectiveMachine(header: MachineName, chpe: bigint | null | undefined): MachineName {
  if (!chpe) return header;
  if (header === 'x64') return 'arm64ec';
  if (header === 'arm64') return 'arm64x';
  return header;
}

/** Parses a PE file by ranges. Throws NotPeError / FileAccessError; malformed parts become `issues`. */
export function parsePeFile(path: string, options: ParseOptions = {}): PeImage {
  const reader = openReader(path);
  try {
    return parsePe(reader, path, options);
  } finally {
    reader.close();
  }
}

/** Parses from an open reader (also used on in-memory buffers by the fuzzer). */
export function parsePe(reader: FileReader, path: string, options: ParseOptions = {}): PeImage {
  const dos = readDosHeader(reader);
  if (typeof dos === 'string') throw new NotPeError(path, reader.u16(0) === 0x5a4d ? `an MZ file ${dos}` : describeNonPe(reader));
  const issues = new IssueLog();
  const fileHeader = readFileHeader(reader, dos.peHeaderOffset + 4);
  const optionalOffset = dos.peHeaderOffset + 24;
  const optionalHeader = readOptionalHeader(reader, optionalOffset, fileHeader.sizeOfOptionalHeader, issues);
  const sections = readSectionTable(reader, optionalOffset + fileHeader.sizeOfOptionalHeader, fileHeader.numberOfSections, issues, options.entropy ?? true);
  const is64Bit = optionalHeader?.format === 'PE32+';
  const image: PeImage = {
    path, fileSize: reader.size, dos, fileHeader, optionalHeader, machine: fileHeader.machine, is64Bit, sections,
    exports: null, imports: [], delayImports: [], boundImports: [], resources: null, debug: null, clr: null,
    loadConfig: null, tls: null, certificates: null, richHeader: null, checksum: null, overlay: null, issues: [],
  };
  if (optionalHeader) {
    const ctx: ParseContext = {
      reader, issues, is64Bit, imageBase: optionalHeader.imageBase,
      space: new AddressSpace(sections, optionalHeader.sizeOfHeaders, optionalHeader.fileAlignment, reader.size),
    };
    readDirectories(ctx, image, optionalHeader.dataDirectories, options.details ?? true);
    if (options.details ?? true) image.checksum = readChecksum(reader, optionalOffset + 64, optionalHeader.checksum);
  }
  image.machine = effectiveMachine(fileHeader.machine, image.loadConfig?.chpeMetadataPointer);
  if (options.details ?? true) {
    image.richHeader = readRichHeader(reader, dos.peHeaderOffset, issues);
    image.overlay = findOverlay(image);
  }
  image.issues = issues.list();
  return image;
}

// Each structure reader is isolated: a bug or hostile input in one must not lose the others.
function guarded<T>(ctx: ParseContext, structure: string, fallback: T, read: () => T): T {
  try {
    return read();
  } catch (error) {
    ctx.issues.add(structure, null, `could not be read: ${(error as Error).message}`);
    return fallback;
  }
}

function readDirectories(ctx: ParseContext, image: PeImage, directories: readonly DataDirectory[], details: boolean): void {
  const at = (index: number) => directory(directories, index);
  const exportsDir = at(DIRECTORY.export);
  if (exportsDir) image.exports = guarded(ctx, 'export directory', null, () => readExports(ctx, exportsDir));
  const importDir = at(DIRECTORY.import);
  if (importDir) image.imports = guarded(ctx, 'import directory', [], () => readImports(ctx, importDir));
  const delayDir = at(DIRECTORY.delayImport);
  if (delayDir) image.delayImports = guarded(ctx, 'delay import directory', [], () => readDelayImports(ctx, delayDir));
  const boundDir = at(DIRECTORY.boundImport);
  if (boundDir) image.boundImports = guarded(ctx, 'bound import directory', [], () => readBoundImports(ctx, boundDir));
  const loadConfigDir = at(DIRECTORY.loadConfig);
  if (loadConfigDir) image.loadConfig = guarded(ctx, 'load config', null, () => readLoadConfig(ctx, loadConfigDir));
  if (!details) return;
  const resourceDir = at(DIRECTORY.resource);
  if (resourceDir) image.resources = guarded(ctx, 'resource directory', null, () => readResources(ctx, resourceDir));
  const debugDir = at(DIRECTORY.debug);
  if (debugDir) image.debug = guarded(ctx, 'debug directory', null, () => readDebugDirectory(ctx, debugDir));
  const clrDir = at(DIRECTORY.clr);
  if (clrDir) image.clr = guarded(ctx, 'CLR header', null, () => readClrHeader(ctx, clrDir, image.fileHeader.machine));
  const tlsDir = at(DIRECTORY.tls);
  if (tlsDir) image.tls = guarded(ctx, 'TLS directory', null, () => readTls(ctx, tlsDir));
  const certificateDir = at(DIRECTORY.certificate);
  if (certificateDir) image.certificates = guarded(ctx, 'certificate table', null, () => readCertificates(ctx, certificateDir));
}

function findOverlay(image: PeImage): PeImage['overlay'] {
  let end = image.optionalHeader?.sizeOfHeaders ?? 0;
  for (const section of image.sections) {
    if (section.sizeOfRawData > 0) end = Math.max(end, section.pointerToRawData + section.sizeOfRawData);
  }
  const certificates = image.optionalHeader?.dataDirectories[DIRECTORY.certificate];
  // The certificate table sits at the end by convention and is not overlay data.
  const limit = certificates && certificates.rva >= end && certificates.size > 0 ? certificates.rva : image.fileSize;
  return limit > end ? { offset: end, size: limit - end } : null;
}
