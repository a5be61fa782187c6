import type { ParseContext } from './parse-context.ts';
import type { CodeViewInfo, DataDirectory, DebugEntry, DebugInfo } from './pe-image.ts';
import { LIMITS } from './limits.ts';

const ENTRY_SIZE = 28;
const STRUCTURE = 'debug directory';
const CODEVIEW = 'CodeView debug data';
const TYPE_CODEVIEW = 2;
const TYPE_REPRO = 16;

const TYPE_NAMES = [
  'UNKNOWN', 'COFF', 'CODEVIEW', 'FPO', 'MISC', 'EXCEPTION', 'FIXUP', 'OMAP_TO_SRC', 'OMAP_FROM_SRC', 'BORLAND',
  'RESERVED10', 'CLSID', 'VC_FEATURE', 'POGO', 'ILTCG', 'MPX', 'REPRO', 'EMBEDDED_PORTABLE_PDB', 'SPGO',
  'PDBCHECKSUM', 'EX_DLLCHARACTERISTICS',
] as const;

/** The IMAGE_DEBUG_TYPE_* name of a debug entry type. */
export function debugTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `TYPE_${type}`;
}

const hex = (value: number, digits: number): string => value.toString(16).toUpperCase().padStart(digits, '0');

/** A GUID as Windows prints it: {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, first three fields little-endian. */
export function formatGuid(bytes: Buffer): string {
  const tail = [...bytes.subarray(8, 16)].map((byte) => hex(byte, 2)).join('');
  return `{${hex(bytes.readUInt32LE(0), 8)}-${hex(bytes.readUInt16LE(4), 4)}-${hex(bytes.readUInt16LE(6), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}}`;
}

function pdbPath(data: Buffer, from: number): string {
  const rest = data.subarray(from);
  const end = rest.indexOf(0);
  return rest.toString('utf8', 0, end < 0 ? rest.length : end);
}

function parseCodeView(data: Buffer): CodeViewInfo | null {
  const signature = data.toString('latin1', 0, 4);
  if (signature === 'RSDS' && data.length >= 24) {
    return { signature, guid: formatGuid(data.subarray(4, 20)), age: data.readUInt32LE(20), pdbPath: pdbPath(data, 24) };
  }
  if (signature === 'NB10' && data.length >= 16) {
    return { signature, guid: null, age: data.readUInt32LE(12), pdbPath: pdbPath(data, 16) };
  }
  return null;
}

// The data is found by file pointer; images loaded from memory dumps keep only the RVA.
function readCodeView(ctx: ParseContext, entry: DebugEntry, addressOfRawData: number): CodeViewInfo | null {
  const offset = entry.pointerToRawData !== 0 ? entry.pointerToRawData : ctx.space.rvaToOffset(addressOfRawData);
  const length = Math.min(entry.sizeOfData, 24 + LIMITS.nameLength);
  const data = offset === null ? Buffer.alloc(0) : ctx.reader.bytes(offset, length);
  if (data.length < length) ctx.issues.add(CODEVIEW, offset, `CodeView data (${entry.sizeOfData} bytes) runs past the end of the file`);
  const codeView = parseCodeView(data);
  if (!codeView) ctx.issues.add(CODEVIEW, offset, 'CodeView data has no complete RSDS or NB10 record');
  return codeView;
}

function readEntry(raw: Buffer): DebugEntry & { addressOfRawData: number } {
  const type = raw.readUInt32LE(12);
  return {
    type,
    typeName: debugTypeName(type),
    timeDateStamp: raw.readUInt32LE(4),
    sizeOfData: raw.readUInt32LE(16),
    addressOfRawData: raw.readUInt32LE(20),
    pointerToRawData: raw.readUInt32LE(24),
  };
}

/** Reads the debug directory: its entries, the CodeView PDB reference and the repro marker. */
export function readDebugDirectory(ctx: ParseContext, dir: DataDirectory): DebugInfo | null {
  const { reader, space, issues } = ctx;
  const offset = space.rvaToOffset(dir.rva);
  if (offset === null) {
    issues.add(STRUCTURE, null, `debug directory RVA 0x${dir.rva.toString(16)} is not backed by file data`);
    return null;
  }
  if (dir.size % ENTRY_SIZE !== 0) issues.add(STRUCTURE, offset, `size ${dir.size} is not a multiple of ${ENTRY_SIZE}`);
  const declared = Math.floor(dir.size / ENTRY_SIZE);
  if (declared > LIMITS.debugEntries) issues.add(STRUCTURE, offset, `${declared} entries declared; capped at ${LIMITS.debugEntries}`);
  const table = reader.bytes(offset, Math.min(declared, LIMITS.debugEntries) * ENTRY_SIZE);
  const readable = Math.floor(table.length / ENTRY_SIZE);
  if (readable < Math.min(declared, LIMITS.debugEntries)) issues.add(STRUCTURE, offset, `only ${readable} of ${declared} entries lie inside the file`);
  const info: DebugInfo = { entries: [], codeView: null, reproducible: false };
  for (let index = 0; index < readable; index++) {
    const { addressOfRawData, ...entry } = readEntry(table.subarray(index * ENTRY_SIZE, (index + 1) * ENTRY_SIZE));
    info.entries.push(entry);
    if (entry.type === TYPE_REPRO) info.reproducible = true;
    if (entry.type === TYPE_CODEVIEW && !info.codeView) info.codeView = readCodeView(ctx, entry, addressOfRawData);
  }
  return info;
}
