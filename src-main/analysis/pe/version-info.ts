import type { IssueLog } from './parse-issues.ts';
import type { VersionInfo } from './pe-image.ts';
import { LIMITS } from './limits.ts';
import { flagNames } from './file-header.ts';

const STRUCTURE = 'version resource';
const FIXED_SIGNATURE = 0xfeef04bd;
// Root, StringFileInfo, StringTable, String: nothing deeper holds data.
const MAX_DEPTH = 3;
const FILE_FLAGS: readonly (readonly [number, string])[] = [
  [0x1, 'DEBUG'], [0x2, 'PRERELEASE'], [0x4, 'PATCHED'], [0x8, 'PRIVATEBUILD'], [0x10, 'INFOINFERRED'], [0x20, 'SPECIALBUILD'],
];

/** One node of the VS_VERSIONINFO tree: wLength, wValueLength, wType, szKey, Value, Children. */
interface VsNode {
  key: string;
  isText: boolean;
  value: Buffer;
  children: VsNode[];
}

interface Walk {
  bytes: Buffer;
  issues: IssueLog;
  budget: number;
}

const align4 = (value: number): number => (value + 3) & ~3;

function utf16z(bytes: Buffer, from: number, to: number): { text: string; end: number } {
  let end = from;
  while (end + 1 < to && bytes.readUInt16LE(end) !== 0) end += 2;
  return { text: bytes.toString('utf16le', from, end), end: Math.min(end + 2, to) };
}

function parseChildren(walk: Walk, from: number, to: number, depth: number): VsNode[] {
  const children: VsNode[] = [];
  for (let at = align4(from); at + 6 <= to && depth < MAX_DEPTH;) {
    const node = parseNode(walk, at, to, depth + 1);
    if (!node) break;
    children.push(node.node);
    at = align4(node.end);
  }
  return children;
}

function parseNode(walk: Walk, at: number, limit: number, depth: number): { node: VsNode; end: number } | null {
  const { bytes, issues } = walk;
  if (walk.budget-- <= 0) {
    issues.add(STRUCTURE, at, `more than ${LIMITS.versionInfoNodes} nodes; the rest are ignored`);
    return null;
  }
  const length = bytes.readUInt16LE(at);
  if (length < 6) {
    if (length !== 0) issues.add(STRUCTURE, at, `node length ${length} is smaller than its header`);
    return null;
  }
  if (at + length > limit) issues.add(STRUCTURE, at, `node of ${length} bytes runs past its parent`);
  const end = Math.min(at + length, limit);
  const isText = bytes.readUInt16LE(at + 4) === 1;
  const key = utf16z(bytes, at + 6, end);
  const valueStart = Math.min(align4(key.end), end);
  const valueBytes = bytes.readUInt16LE(at + 2) * (isText ? 2 : 1);
  const value = bytes.subarray(valueStart, isText ? end : Math.min(valueStart + valueBytes, end));
  const children = parseChildren(walk, valueStart + valueBytes, end, depth);
  return { node: { key: key.text, isText, value, children }, end };
}

const version = (high: number, low: number): string => `${high >>> 16}.${high & 0xffff}.${low >>> 16}.${low & 0xffff}`;

function applyFixed(info: VersionInfo, fixed: Buffer, issues: IssueLog): void {
  if (fixed.length < 52 || fixed.readUInt32LE(0) !== FIXED_SIGNATURE) {
    if (fixed.length > 0) issues.add(STRUCTURE, null, 'VS_FIXEDFILEINFO is truncated or lacks its 0xFEEF04BD signature');
    return;
  }
  const flags = fixed.readUInt32LE(28) & fixed.readUInt32LE(24);
  info.fileVersion = version(fixed.readUInt32LE(8), fixed.readUInt32LE(12));
  info.productVersion = version(fixed.readUInt32LE(16), fixed.readUInt32LE(20));
  info.fileFlags = flagNames(flags, FILE_FLAGS);
  info.fileOs = fixed.readUInt32LE(32);
  info.fileType = fixed.readUInt32LE(36);
}

// Own properties only: an untrusted key such as "__proto__" must not reach the prototype.
function stringsOf(table: VsNode): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const entry of table.children) {
    const value = utf16z(entry.value, 0, entry.value.length).text;
    Object.defineProperty(strings, entry.key, { value, enumerable: true, writable: true, configurable: true });
  }
  return strings;
}

function translationsOf(varFileInfo: VsNode): { language: number; codePage: number }[] {
  const pairs: { language: number; codePage: number }[] = [];
  for (const entry of varFileInfo.children.filter((node) => node.key === 'Translation')) {
    for (let at = 0; at + 4 <= entry.value.length; at += 4) {
      pairs.push({ language: entry.value.readUInt16LE(at), codePage: entry.value.readUInt16LE(at + 2) });
    }
  }
  return pairs;
}

/** Parses a VS_VERSIONINFO resource: fixed file info, StringFileInfo tables and VarFileInfo translations. */
export function parseVersionInfo(bytes: Buffer, issues: IssueLog): VersionInfo | null {
  if (bytes.length < 6) {
    issues.add(STRUCTURE, null, `version resource of ${bytes.length} bytes is too small`);
    return null;
  }
  const root = parseNode({ bytes, issues, budget: LIMITS.versionInfoNodes }, 0, bytes.length, 0)?.node;
  if (!root || root.key !== 'VS_VERSION_INFO') {
    issues.add(STRUCTURE, null, `the root node is ${root ? `"${root.key.slice(0, 40)}"` : 'unreadable'}, not VS_VERSION_INFO`);
    return null;
  }
  const info: VersionInfo = { fileVersion: null, productVersion: null, fileFlags: [], fileOs: 0, fileType: 0, stringTables: [], translations: [] };
  applyFixed(info, root.value, issues);
  for (const child of root.children) {
    if (child.key === 'StringFileInfo') {
      info.stringTables.push(...child.children.map((table) => ({ key: table.key, strings: stringsOf(table) })));
    } else if (child.key === 'VarFileInfo') {
      info.translations!.push(...translationsOf(child));
    }
  }
  return info;
}
