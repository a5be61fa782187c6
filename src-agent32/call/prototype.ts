// Parses C-like prototypes and struct/enum/typedef declarations into plain descriptions.
// Pure text work (no koffi), so a bad prototype is refused before anything is loaded or called.
import type { CallingConvention } from '../protocol/messages.ts';

export class PrototypeError extends Error {
  override readonly name = 'PrototypeError';
}

export type Direction = 'in' | 'out' | 'inout' | 'default';

export interface TypeRef {
  /** Base type name without qualifiers or stars, e.g. "unsigned int", "Point". */
  base: string;
  pointers: number;
  isConst: boolean;
  /** Fixed array length (struct members, `int v[4]` parameters). */
  arrayLength: number | null;
}

export interface Param {
  type: TypeRef;
  name: string | null;
  direction: Direction;
}

export interface Prototype {
  returns: TypeRef;
  convention: CallingConvention | null;
  name: string;
  params: Param[];
  variadic: boolean;
}

export interface StructDecl {
  kind: 'struct' | 'union';
  name: string;
  members: { name: string; type: TypeRef }[];
  packed: boolean;
}
export interface EnumDecl {
  kind: 'enum';
  name: string;
  values: Record<string, number>;
}
export interface AliasDecl {
  kind: 'alias';
  name: string;
  type: TypeRef;
}
export type Declaration = StructDecl | EnumDecl | AliasDecl;

const CONVENTIONS: Record<string, CallingConvention> = {
  __cdecl: 'cdecl',
  _cdecl: 'cdecl',
  __stdcall: 'stdcall',
  _stdcall: 'stdcall',
  WINAPI: 'stdcall',
  CALLBACK: 'stdcall',
  APIENTRY: 'stdcall',
  __fastcall: 'fastcall',
  _fastcall: 'fastcall',
  __thiscall: 'thiscall',
};
const DIRECTIONS: Record<string, Direction> = { _In_: 'in', _Out_: 'out', _Inout_: 'inout', _In_opt_: 'in', _Out_opt_: 'out' };
const IGNORED = new Set(['extern', 'static', 'inline', '__declspec(dllexport)', '__declspec(dllimport)', 'volatile', 'restrict', '__restrict']);
const TAGS = new Set(['struct', 'enum', 'union']);
const TYPE_WORDS = new Set(['void', 'bool', '_Bool', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXPORT_NAME = /^[A-Za-z_?@$#][A-Za-z0-9_?@$#]*$/;

export function parsePrototype(text: string): Prototype {
  const source = stripComments(text).trim().replace(/;\s*$/, '');
  const open = source.indexOf('(');
  const close = source.lastIndexOf(')');
  if (open < 0 || close < open || source.slice(close + 1).trim() !== '') {
    throw new PrototypeError(`not a function prototype: "${text}" (expected "ret name(params)")`);
  }
  const head = tokenize(source.slice(0, open));
  const name = head.pop();
  if (!name || !EXPORT_NAME.test(name)) throw new PrototypeError(`missing or invalid function name in "${text}"`);
  let convention: CallingConvention | null = null;
  const retTokens = head.filter((t) => {
    if (!(t in CONVENTIONS)) return true;
    if (convention) throw new PrototypeError('more than one calling convention');
    convention = CONVENTIONS[t];
    return false;
  });
  const returns = parseType(retTokens, `return type of ${name}`);
  const { params, variadic } = parseParams(source.slice(open + 1, close));
  return { returns, convention, name, params, variadic };
}

function parseParams(text: string): { params: Param[]; variadic: boolean } {
  const parts = splitTopLevel(text, ',').map((p) => p.trim());
  if (parts.length === 1 && (parts[0] === '' || parts[0] === 'void')) return { params: [], variadic: false };
  const variadic = parts[parts.length - 1] === '...';
  if (variadic) parts.pop();
  return { params: parts.map((p, i) => parseParam(p, i)), variadic };
}

function parseParam(text: string, index: number): Param {
  if (text === '') throw new PrototypeError(`parameter ${index + 1} is empty`);
  let tokens = tokenize(text);
  let direction: Direction = 'default';
  tokens = tokens.filter((t) => {
    if (!(t in DIRECTIONS)) return true;
    direction = DIRECTIONS[t];
    return false;
  });
  const { tokens: typeTokens, name, arrayLength } = splitDeclarator(tokens);
  const type = parseType(typeTokens, `parameter ${index + 1}`);
  if (arrayLength !== null) type.pointers += 1;
  return { type, name, direction };
}

/** Separates a trailing identifier (and `[N]`) from the type tokens when it is a declarator name. */
function splitDeclarator(tokens: string[]): { tokens: string[]; name: string | null; arrayLength: number | null } {
  let arrayLength: number | null = null;
  const last = tokens[tokens.length - 1] ?? '';
  const arr = /^\[(\d*)\]$/.exec(last);
  if (arr) {
    tokens = tokens.slice(0, -1);
    arrayLength = arr[1] === '' ? 0 : Number(arr[1]);
  }
  const candidate = tokens[tokens.length - 1];
  const rest = tokens.slice(0, -1).filter((t) => t !== 'const' && !IGNORED.has(t) && !TAGS.has(t));
  const isName = candidate !== undefined && NAME.test(candidate) && !TYPE_WORDS.has(candidate) && rest.length > 0;
  return isName ? { tokens: tokens.slice(0, -1), name: candidate, arrayLength } : { tokens, name: null, arrayLength };
}

function parseType(tokens: string[], where: string): TypeRef {
  let pointers = 0;
  let isConst = false;
  const words: string[] = [];
  for (const t of tokens) {
    if (t === '*') pointers++;
    else if (t === 'const') isConst = isConst || pointers === 0;
    else if (IGNORED.has(t) || TAGS.has(t)) continue;
    else if (t.endsWith('!')) words.push(t);
    else if (NAME.test(t)) {
      if (pointers > 0) throw new PrototypeError(`unexpected "${t}" after "*" in ${where}`);
      words.push(t);
    } else throw new PrototypeError(`unexpected "${t}" in ${where}`);
  }
  if (words.length === 0) throw new PrototypeError(`missing type in ${where}`);
  return { base: words.join(' '), pointers, isConst, arrayLength: null };
}

function tokenize(text: string): string[] {
  return text
    .replace(/\*/g, ' * ')
    .replace(/\[\s*(\d*)\s*\]/g, ' [$1] ')
    .split(/\s+/)
    .filter((t) => t !== '');
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Splits "struct P { int x; int y; }; int __stdcall f(P *p)" into declarations and the
 * function prototype (the last top-level statement).
 */
export function splitSource(text: string): { declarations: string; prototype: string } {
  const statements = splitTopLevel(stripComments(text), ';').map((s) => s.trim()).filter((s) => s !== '');
  const prototype = statements.pop() ?? '';
  return { declarations: statements.join(';\n'), prototype };
}

export function parseDeclarations(text: string): Declaration[] {
  const statements = splitTopLevel(stripComments(text), ';').map((s) => s.trim()).filter((s) => s !== '');
  return statements.map(parseDeclaration);
}

function parseDeclaration(statement: string): Declaration {
  const typedef = /^typedef\s+/.test(statement);
  const body = typedef ? statement.replace(/^typedef\s+/, '') : statement;
  const braced = /^(?:(__packed|#pragma pack)\s+)?(struct|union|enum)\s*([A-Za-z_]\w*)?\s*\{([\s\S]*)\}\s*([A-Za-z_]\w*)?$/.exec(body);
  if (braced) {
    const [, packedFlag, kind, tag, inner, alias] = braced;
    const name = (typedef ? alias : undefined) ?? tag ?? alias;
    if (!name) throw new PrototypeError(`declaration needs a name: "${statement}"`);
    if (kind === 'enum') return { kind: 'enum', name, values: parseEnumBody(inner, name) };
    return { kind: kind as 'struct' | 'union', name, members: parseMembers(inner, name), packed: packedFlag !== undefined };
  }
  if (typedef) {
    const tokens = tokenize(body);
    const { tokens: typeTokens, name } = splitDeclarator(tokens);
    if (!name) throw new PrototypeError(`typedef without a name: "${statement}"`);
    return { kind: 'alias', name, type: parseType(typeTokens, `typedef ${name}`) };
  }
  throw new PrototypeError(`cannot parse declaration "${statement}" (expected struct/union/enum { ... } or typedef)`);
}

function parseMembers(inner: string, owner: string): StructDecl['members'] {
  const members = splitTopLevel(inner, ';').map((m) => m.trim()).filter((m) => m !== '');
  if (members.length === 0) throw new PrototypeError(`${owner} has no members`);
  return members.flatMap((m) => {
    if (m.includes('{')) throw new PrototypeError(`nested definition in ${owner}: declare "${m}" separately`);
    const [first, ...more] = splitTopLevel(m, ',').map((d) => d.trim());
    const tokens = tokenize(first);
    const decl = splitDeclarator(tokens);
    if (!decl.name) throw new PrototypeError(`member "${m}" of ${owner} has no name`);
    const base = parseType(decl.tokens, `${owner}.${decl.name}`);
    const out = [{ name: decl.name, type: { ...base, arrayLength: decl.arrayLength } }];
    for (const extra of more) {
      const t = tokenize(extra);
      const stars = t.filter((x) => x === '*').length;
      const e = splitDeclarator(['int', ...t.filter((x) => x !== '*')]);
      if (!e.name) throw new PrototypeError(`member "${extra}" of ${owner} has no name`);
      out.push({ name: e.name, type: { ...base, pointers: base.pointers + stars, arrayLength: e.arrayLength } });
    }
    return out;
  });
}

function parseEnumBody(inner: string, owner: string): Record<string, number> {
  const values: Record<string, number> = {};
  let next = 0;
  for (const item of inner.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^([A-Za-z_]\w*)\s*(?:=\s*(.+))?$/.exec(item);
    if (!m) throw new PrototypeError(`bad enumerator "${item}" in ${owner}`);
    const value = m[2] === undefined ? next : evalEnumValue(m[2].trim(), values, owner);
    values[m[1]] = value;
    next = value + 1;
  }
  return values;
}

function evalEnumValue(text: string, known: Record<string, number>, owner: string): number {
  if (text in known) return known[text];
  const shift = /^(\S+)\s*<<\s*(\S+)$/.exec(text);
  if (shift) return evalEnumValue(shift[1], known, owner) << evalEnumValue(shift[2], known, owner);
  const n = Number(text.replace(/[uUlL]+$/, ''));
  if (!Number.isSafeInteger(n)) throw new PrototypeError(`bad enumerator value "${text}" in ${owner}`);
  return n;
}
