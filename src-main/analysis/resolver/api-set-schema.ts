import { openReader, parsePe } from '../pe/parse-pe.ts';

/** One API set of a schema: its hosts, the default first. */
export interface ApiSetEntry {
  /** Full contract name without ".dll", lowercase, e.g. "api-ms-win-core-file-l1-2-0". */
  name: string;
  /** The part the loader matches: the name up to its last hyphen. */
  hashedName: string;
  /** Default host (importer null) and importer-specific exceptions. */
  hosts: { importer: string | null; host: string }[];
}

export interface ApiSetSchema {
  version: number;
  /** Keyed by hashedName. */
  entries: Map<string, ApiSetEntry>;
}

const MAX_ENTRIES = 20000;
const MAX_VALUES = 64;

/** True for virtual API set names ("api-" / "ext-" contracts), which never exist as files. */
export function isApiSetName(name: string): boolean {
  return /^(api|ext)-/i.test(name);
}

function utf16(buffer: Buffer, offset: number, length: number): string {
  if (offset < 0 || length < 0 || offset + length > buffer.length) throw new Error(`string at 0x${offset.toString(16)} (+${length}) lies outside the schema`);
  return buffer.toString('utf16le', offset, offset + length);
}

/**
 * Parses a version 6 (Windows 10+) API set namespace: header {Version, Size, Flags, Count,
 * EntryOffset, HashOffset, HashFactor}; entries of 24 bytes {Flags, NameOffset, NameLength,
 * HashedLength, ValueOffset, ValueCount}; values of 20 bytes {Flags, NameOffset, NameLength,
 * ValueOffset, ValueLength}. Offsets are from the namespace start, strings UTF-16LE.
 */
export function parseApiSetNamespace(buffer: Buffer): ApiSetSchema {
  if (buffer.length < 28) throw new Error('API set namespace shorter than its header');
  const version = buffer.readUInt32LE(0);
  if (version !== 6) throw new Error(`API set schema version ${version} is not supported (only 6, Windows 10+)`);
  const count = buffer.readUInt32LE(12);
  const entryOffset = buffer.readUInt32LE(16);
  if (count > MAX_ENTRIES || entryOffset + count * 24 > buffer.length) throw new Error(`API set entry table (${count} entries at 0x${entryOffset.toString(16)}) lies outside the schema`);
  const entries = new Map<string, ApiSetEntry>();
  for (let index = 0; index < count; index++) {
    const entry = readEntry(buffer, entryOffset + index * 24);
    entries.set(entry.hashedName, entry);
  }
  return { version, entries };
}

function readEntry(buffer: Buffer, at: number): ApiSetEntry {
  const name = utf16(buffer, buffer.readUInt32LE(at + 4), buffer.readUInt32LE(at + 8)).toLowerCase();
  const hashedName = utf16(buffer, buffer.readUInt32LE(at + 4), buffer.readUInt32LE(at + 12)).toLowerCase();
  const valueOffset = buffer.readUInt32LE(at + 16);
  const valueCount = Math.min(buffer.readUInt32LE(at + 20), MAX_VALUES);
  const hosts: ApiSetEntry['hosts'] = [];
  for (let index = 0; index < valueCount; index++) {
    const v = valueOffset + index * 20;
    if (v + 20 > buffer.length) throw new Error(`API set value table of ${name} lies outside the schema`);
    const importer = utf16(buffer, buffer.readUInt32LE(v + 4), buffer.readUInt32LE(v + 8)).toLowerCase();
    const host = utf16(buffer, buffer.readUInt32LE(v + 12), buffer.readUInt32LE(v + 16));
    hosts.push({ importer: importer === '' ? null : importer, host });
  }
  return { name, hashedName, hosts };
}

/** Reads the `.apiset` section of an apisetschema.dll. Throws when it has none or it is malformed. */
export function loadApiSetSchema(path: string): ApiSetSchema {
  const reader = openReader(path);
  try {
    const section = parsePe(reader, path, { details: false, entropy: false }).sections.find((s) => s.name === '.apiset');
    if (!section) throw new Error(`${path} has no .apiset section`);
    const size = Math.min(section.sizeOfRawData, section.virtualSize || section.sizeOfRawData);
    // Copied: the reader's pages are reused once it is closed.
    return parseApiSetNamespace(Buffer.from(reader.bytes(section.pointerToRawData, size)));
  } finally {
    reader.close();
  }
}

/**
 * The loader's rule (ntdll ApiSetResolveToHost): drop ".dll", match the name up to its last
 * hyphen (so "-l1-2-1" finds the "-l1-2-0" contract: the last number is a minor revision)
 * against each entry's HashedLength prefix; then take the importer-specific host if one names
 * the importing module, else the default. Returns undefined for an unknown set, null for a
 * known set without a host (an empty contract).
 */
export function resolveApiSet(schema: ApiSetSchema, name: string, importer: string | null): string | null | undefined {
  const bare = name.toLowerCase().replace(/\.dll$/, '');
  const cut = bare.lastIndexOf('-');
  if (cut <= 0) return undefined;
  const entry = schema.entries.get(bare.slice(0, cut));
  if (!entry) return undefined;
  const lowerImporter = importer?.toLowerCase() ?? null;
  const specific = entry.hosts.find((h) => h.importer !== null && h.importer === lowerImporter);
  const fallback = entry.hosts.find((h) => h.importer === null) ?? entry.hosts[0];
  const host = (specific ?? fallback)?.host ?? '';
  return host === '' ? null : host;
}
