import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, ManifestInfo, ResourceSummary, VersionInfo } from './pe-image.ts';
import { LIMITS } from './limits.ts';
import { parseVersionInfo } from './version-info.ts';
import { decodeManifest, parseManifest } from './manifest.ts';

const STRUCTURE = 'resource directory';
const HIGH_BIT = 0x80000000;
const RT_VERSION = 16;
const RT_MANIFEST = 24;

const TYPE_NAMES: Record<number, string> = {
  1: 'RT_CURSOR', 2: 'RT_BITMAP', 3: 'RT_ICON', 4: 'RT_MENU', 5: 'RT_DIALOG', 6: 'RT_STRING', 7: 'RT_FONTDIR',
  8: 'RT_FONT', 9: 'RT_ACCELERATOR', 10: 'RT_RCDATA', 11: 'RT_MESSAGETABLE', 12: 'RT_GROUP_CURSOR',
  14: 'RT_GROUP_ICON', 16: 'RT_VERSION', 17: 'RT_DLGINCLUDE', 19: 'RT_PLUGPLAY', 20: 'RT_VXD',
  21: 'RT_ANICURSOR', 22: 'RT_ANIICON', 23: 'RT_HTML', 24: 'RT_MANIFEST',
};

/** A resource directory entry's id: a number, or a name string. */
type ResourceId = number | string;

interface Leaf {
  path: ResourceId[];
  dataEntryRva: number;
}

interface Walk {
  ctx: ParseContext;
  baseRva: number;
  visited: Set<number>;
  budget: number;
  leaves: Leaf[];
  /** Type label -> the distinct names (resources) found under it. */
  types: Map<string, Set<ResourceId>>;
}

/** The RT_* name of a resource type id, or "#id" for the others; named types keep their name. */
export function resourceTypeName(id: ResourceId): string {
  return typeof id === 'string' ? id : TYPE_NAMES[id] ?? `#${id}`;
}

function readName(walk: Walk, relative: number): string {
  const offset = walk.ctx.space.rvaToOffset(walk.baseRva + relative);
  const length = offset === null ? null : walk.ctx.reader.u16(offset);
  if (offset === null || length === null) {
    walk.ctx.issues.add(STRUCTURE, offset, `resource name at +0x${relative.toString(16)} is not backed by file data`);
    return `?0x${relative.toString(16)}`;
  }
  const text = walk.ctx.reader.bytes(offset + 2, Math.min(length, LIMITS.resourceNameLength) * 2);
  return text.toString('utf16le', 0, text.length & ~1);
}

function readHeader(walk: Walk, rva: number, depth: number): { offset: number; count: number } | null {
  const { issues, space, reader } = walk.ctx;
  if (depth >= LIMITS.resourceDepth) {
    issues.add(STRUCTURE, space.rvaToOffset(rva), `resource tree deeper than ${LIMITS.resourceDepth} levels; not followed`);
    return null;
  }
  if (walk.visited.has(rva)) {
    issues.add(STRUCTURE, space.rvaToOffset(rva), 'resource directory loop: a subdirectory points back at a directory already walked');
    return null;
  }
  walk.visited.add(rva);
  const offset = space.rvaToOffset(rva);
  const header = offset === null ? Buffer.alloc(0) : reader.bytes(offset, 16);
  if (offset === null || header.length < 16) {
    issues.add(STRUCTURE, offset, `resource directory at RVA 0x${rva.toString(16)} is not backed by file data`);
    return null;
  }
  return { offset, count: header.readUInt16LE(12) + header.readUInt16LE(14) };
}

function walkDirectory(walk: Walk, rva: number, depth: number, path: ResourceId[]): void {
  const header = readHeader(walk, rva, depth);
  if (!header) return;
  const table = walk.ctx.reader.bytes(header.offset + 16, Math.min(header.count, walk.budget + 1) * 8);
  if (table.length < Math.min(header.count, walk.budget + 1) * 8) {
    walk.ctx.issues.add(STRUCTURE, header.offset, `${header.count} entries declared; the table runs past the end of the file`);
  }
  for (let index = 0; index + 8 <= table.length; index += 8) {
    if (walk.budget-- <= 0) {
      walk.ctx.issues.add(STRUCTURE, header.offset, `more than ${LIMITS.resourceEntries} resource entries; the rest are ignored`);
      return;
    }
    const nameField = table.readUInt32LE(index);
    const dataField = table.readUInt32LE(index + 4);
    const id: ResourceId = nameField & HIGH_BIT ? readName(walk, nameField & ~HIGH_BIT) : nameField & 0xffff;
    const at = [...path, id];
    if (depth === 0 && !walk.types.has(resourceTypeName(id))) walk.types.set(resourceTypeName(id), new Set());
    if (dataField & HIGH_BIT) walkDirectory(walk, walk.baseRva + (dataField & ~HIGH_BIT), depth + 1, at);
    else addLeaf(walk, at, walk.baseRva + dataField);
  }
}

function addLeaf(walk: Walk, path: ResourceId[], dataEntryRva: number): void {
  walk.leaves.push({ path, dataEntryRva });
  walk.types.get(resourceTypeName(path[0]!))?.add(path.length > 1 ? path[1]! : '');
}

// IMAGE_RESOURCE_DATA_ENTRY: the data's RVA (not relative to the tree) and its size.
function readData(ctx: ParseContext, leaf: Leaf): Buffer | null {
  const entryOffset = ctx.space.rvaToOffset(leaf.dataEntryRva);
  const entry = entryOffset === null ? Buffer.alloc(0) : ctx.reader.bytes(entryOffset, 16);
  if (entry.length < 16) {
    ctx.issues.add(STRUCTURE, entryOffset, `data entry of resource ${leaf.path.join('/')} is not backed by file data`);
    return null;
  }
  const size = entry.readUInt32LE(4);
  const dataOffset = ctx.space.rvaToOffset(entry.readUInt32LE(0));
  const wanted = Math.min(size, LIMITS.resourceDataBytes);
  const data = dataOffset === null ? Buffer.alloc(0) : ctx.reader.bytes(dataOffset, wanted);
  if (data.length < wanted || size > wanted) {
    ctx.issues.add('resource data', dataOffset, `resource ${leaf.path.join('/')} declares ${size} bytes; ${data.length} read`);
  }
  return data.length > 0 ? data : null;
}

function firstOfType(ctx: ParseContext, leaves: readonly Leaf[], type: number): Buffer | null {
  const leaf = leaves.find((candidate) => candidate.path[0] === type);
  return leaf ? readData(ctx, leaf) : null;
}

function readVersion(ctx: ParseContext, leaves: readonly Leaf[]): VersionInfo | null {
  const bytes = firstOfType(ctx, leaves, RT_VERSION);
  return bytes ? parseVersionInfo(bytes, ctx.issues) : null;
}

function readManifest(ctx: ParseContext, leaves: readonly Leaf[]): ManifestInfo | null {
  const leaf = leaves.find((candidate) => candidate.path[0] === RT_MANIFEST);
  const bytes = leaf ? readData(ctx, leaf) : null;
  if (!leaf || !bytes) return null;
  const manifest = parseManifest(decodeManifest(bytes.subarray(0, LIMITS.manifestChars * 4)));
  return typeof leaf.path[1] === 'number' ? { ...manifest, resourceId: leaf.path[1] } : manifest;
}

/** Walks the resource tree (type / name / language), counts resources per type, reads version and manifest. */
export function readResources(ctx: ParseContext, dir: DataDirectory): ResourceSummary | null {
  if (ctx.space.rvaToOffset(dir.rva) === null) {
    ctx.issues.add(STRUCTURE, null, `resource directory RVA 0x${dir.rva.toString(16)} is not backed by file data`);
    return null;
  }
  const walk: Walk = { ctx, baseRva: dir.rva, visited: new Set(), budget: LIMITS.resourceEntries, leaves: [], types: new Map() };
  walkDirectory(walk, dir.rva, 0, []);
  return {
    types: [...walk.types].map(([type, names]) => ({ type, count: names.size })),
    version: readVersion(ctx, walk.leaves),
    manifest: readManifest(ctx, walk.leaves),
  };
}
