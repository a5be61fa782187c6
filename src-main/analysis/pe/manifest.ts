import type { ManifestInfo, SxsDependency } from './pe-image.ts';
import { LIMITS } from './limits.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes manifest bytes: UTF-8 (with or without BOM) or UTF-16 (BOM, or inferred from NUL bytes). */
export function decodeManifest(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString('utf8', 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return bytes.toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) return Buffer.from(bytes.subarray(0, bytes.length & ~1)).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function attributesOf(body: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of body.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes.set(match[1]!, decodeEntities(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attributes: Map<string, string>;
}

// Linear even for hostile input: an unclosed section drops the rest of the text.
function strip(text: string, open: string, close: string): string {
  const parts: string[] = [];
  let at = 0;
  for (let start = text.indexOf(open); start >= 0; start = text.indexOf(open, at)) {
    parts.push(text.slice(at, start));
    const end = text.indexOf(close, start + open.length);
    if (end < 0) return parts.join('');
    at = end + close.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

// Tags in document order, without comments or CDATA; names lose their namespace prefix.
function* tagsOf(xml: string): Generator<Tag> {
  const text = strip(strip(xml, '<!--', '-->'), '<![CDATA[', ']]>');
  for (const match of text.matchAll(/<(\/?)([\w:.-]+)([^<>]*?)(\/?)>/g)) {
    const name = match[2]!.includes(':') ? match[2]!.slice(match[2]!.indexOf(':') + 1) : match[2]!;
    yield { name, closing: match[1] === '/', selfClosing: match[4] === '/', attributes: attributesOf(match[3]!) };
  }
}

function dependencyOf(attributes: Map<string, string>): SxsDependency {
  const get = (key: string): string | null => attributes.get(key) ?? null;
  return {
    name: get('name') ?? '',
    version: get('version'),
    processorArchitecture: get('processorArchitecture'),
    publicKeyToken: get('publicKeyToken'),
    language: get('language'),
    type: get('type'),
  };
}

/** Reads what matters to loading from an application manifest: UAC level and SxS dependencies. */
export function parseManifest(xml: string): ManifestInfo {
  const capped = xml.slice(0, LIMITS.manifestChars);
  const info: ManifestInfo = { xml: capped, requestedExecutionLevel: null, uiAccess: null, dependencies: [] };
  let inDependentAssembly = 0;
  for (const tag of tagsOf(capped)) {
    if (tag.name === 'dependentAssembly' && !tag.selfClosing) inDependentAssembly = Math.max(0, inDependentAssembly + (tag.closing ? -1 : 1));
    if (tag.closing) continue;
    if (tag.name === 'assemblyIdentity' && inDependentAssembly > 0) info.dependencies.push(dependencyOf(tag.attributes));
    if (tag.name === 'requestedExecutionLevel' && info.requestedExecutionLevel === null) {
      info.requestedExecutionLevel = tag.attributes.get('level') ?? null;
      const uiAccess = tag.attributes.get('uiAccess');
      info.uiAccess = uiAccess === undefined ? null : uiAccess.trim().toLowerCase() === 'true';
    }
  }
  return info;
}
