// Checks a call's prototype and declarations as the user types, with the agent's own parser (pure
// text work, no koffi), and turns the parameters into the fields of the argument form. It runs on
// the host because the renderer may import only the contract; a check is one local round trip.
import { type Declaration, type Param, type Prototype, type TypeRef, parseDeclarations, parsePrototype } from '../../../src-agent32/call/prototype.ts';
import type { ParamField, PrototypeCheck, SourceProblem } from '../../contract/call-contract.ts';

type IntSpec = { bits: number; signed: boolean };

const INTEGERS: Record<string, IntSpec> = {
  char: { bits: 8, signed: true }, 'signed char': { bits: 8, signed: true }, int8_t: { bits: 8, signed: true }, CHAR: { bits: 8, signed: true },
  'unsigned char': { bits: 8, signed: false }, uchar: { bits: 8, signed: false }, uint8_t: { bits: 8, signed: false }, BYTE: { bits: 8, signed: false }, BOOLEAN: { bits: 8, signed: false },
  short: { bits: 16, signed: true }, 'short int': { bits: 16, signed: true }, int16_t: { bits: 16, signed: true }, SHORT: { bits: 16, signed: true },
  'unsigned short': { bits: 16, signed: false }, ushort: { bits: 16, signed: false }, uint16_t: { bits: 16, signed: false }, WORD: { bits: 16, signed: false }, USHORT: { bits: 16, signed: false }, char16_t: { bits: 16, signed: false }, WCHAR: { bits: 16, signed: false }, wchar_t: { bits: 16, signed: false },
  int: { bits: 32, signed: true }, signed: { bits: 32, signed: true }, 'signed int': { bits: 32, signed: true }, long: { bits: 32, signed: true }, 'long int': { bits: 32, signed: true }, int32_t: { bits: 32, signed: true }, INT: { bits: 32, signed: true }, LONG: { bits: 32, signed: true }, BOOL: { bits: 32, signed: true }, HRESULT: { bits: 32, signed: true },
  unsigned: { bits: 32, signed: false }, 'unsigned int': { bits: 32, signed: false }, uint: { bits: 32, signed: false }, 'unsigned long': { bits: 32, signed: false }, ulong: { bits: 32, signed: false }, uint32_t: { bits: 32, signed: false }, DWORD: { bits: 32, signed: false }, UINT: { bits: 32, signed: false }, ULONG: { bits: 32, signed: false },
  'long long': { bits: 64, signed: true }, longlong: { bits: 64, signed: true }, int64_t: { bits: 64, signed: true }, __int64: { bits: 64, signed: true }, LONGLONG: { bits: 64, signed: true }, intptr_t: { bits: 64, signed: true }, ssize_t: { bits: 64, signed: true }, INT_PTR: { bits: 64, signed: true }, LONG_PTR: { bits: 64, signed: true },
  'unsigned long long': { bits: 64, signed: false }, ulonglong: { bits: 64, signed: false }, uint64_t: { bits: 64, signed: false }, ULONGLONG: { bits: 64, signed: false }, DWORD64: { bits: 64, signed: false }, QWORD: { bits: 64, signed: false },
  size_t: { bits: 64, signed: false }, uintptr_t: { bits: 64, signed: false }, SIZE_T: { bits: 64, signed: false }, ULONG_PTR: { bits: 64, signed: false }, DWORD_PTR: { bits: 64, signed: false }, UINT_PTR: { bits: 64, signed: false },
};
const FLOATS = new Set(['float', 'double', 'FLOAT', 'DOUBLE', 'float32', 'float64']);
const BOOLS = new Set(['bool', '_Bool']);
/** Windows pointer typedefs the agent knows: [pointee, pointers]. */
const POINTER_ALIASES: Record<string, [string, number]> = {
  HANDLE: ['void', 1], HMODULE: ['void', 1], HINSTANCE: ['void', 1], HWND: ['void', 1], HKEY: ['void', 1], LPVOID: ['void', 1], PVOID: ['void', 1], LPCVOID: ['void', 1],
  LPSTR: ['char', 1], LPCSTR: ['char', 1], PSTR: ['char', 1], PCSTR: ['char', 1],
  LPWSTR: ['char16_t', 1], LPCWSTR: ['char16_t', 1], PWSTR: ['char16_t', 1], PCWSTR: ['char16_t', 1],
  LPDWORD: ['uint32_t', 1], PDWORD: ['uint32_t', 1], LPBYTE: ['uint8_t', 1], PBYTE: ['uint8_t', 1],
};
const WIDE_CHARS = new Set(['wchar_t', 'char16_t', 'char16', 'WCHAR']);
const NARROW_CHARS = new Set(['char', 'CHAR', 'signed char']);
const BYTES = new Set(['unsigned char', 'uchar', 'uint8_t', 'int8_t', 'BYTE', 'void']);

function isKnownBase(base: string, declared: Map<string, Declaration>): boolean {
  return base in INTEGERS || FLOATS.has(base) || BOOLS.has(base) || base in POINTER_ALIASES || base === 'void' || declared.has(base) || base === 'char32_t';
}

/** The prototype and declarations checked; the problem placed where it is. */
export function checkPrototype(prototype: string, declarations: string): PrototypeCheck {
  const empty = { name: null, convention: null, returns: null, params: [] };
  let declared: Declaration[];
  try {
    declared = declarations.trim() ? parseDeclarations(declarations) : [];
  } catch (error) {
    return { ok: false, problem: locate('declarations', declarations, (error as Error).message), ...empty };
  }
  let parsed: Prototype;
  try {
    parsed = parsePrototype(prototype);
  } catch (error) {
    return { ok: false, problem: locate('prototype', prototype, (error as Error).message), ...empty };
  }
  const byName = new Map(declared.map((d) => [d.name, d]));
  const unknown = [parsed.returns, ...parsed.params.map((p) => p.type)].find((t) => !isKnownBase(t.base, byName));
  if (unknown) {
    const message = `unknown type "${unknown.base}": declare it in the declarations (struct ${unknown.base} { int x; };) or use a C type such as int, uint32_t, char *`;
    return { ok: false, problem: locate('prototype', prototype, message, unknown.base), ...empty };
  }
  const params = parsed.params.map((param, index) => paramField(param, index, byName));
  return { ok: true, problem: null, name: parsed.name, convention: parsed.convention, returns: typeText(parsed.returns), params };
}

function typeText(type: TypeRef): string {
  return `${type.isConst ? 'const ' : ''}${type.base}${type.pointers ? ` ${'*'.repeat(type.pointers)}` : ''}`;
}

function resolveAlias(type: TypeRef, declared: Map<string, Declaration>): TypeRef {
  const alias = POINTER_ALIASES[type.base];
  if (alias) return { ...type, base: alias[0], pointers: type.pointers + alias[1], isConst: type.isConst || type.base.startsWith('LPC') || type.base.startsWith('PC') };
  const decl = declared.get(type.base);
  if (decl?.kind === 'alias') return resolveAlias({ ...decl.type, pointers: decl.type.pointers + type.pointers, isConst: type.isConst || decl.type.isConst }, declared);
  return type;
}

export function paramField(param: Param, index: number, declared: Map<string, Declaration>): ParamField {
  return typeField(param.name ?? `arg${index + 1}`, param.type, param.direction, declared, 0);
}

function typeField(name: string, written: TypeRef, direction: ParamField['direction'], declared: Map<string, Declaration>, depth: number): ParamField {
  const type = resolveAlias(written, declared);
  const base = { name, type: typeText(written), direction, nullable: type.pointers > 0 };
  const decl = declared.get(type.base);
  if (type.pointers === 0) return valueField(base, type, declared, depth);
  if (type.pointers === 1 && decl && decl.kind !== 'alias' && decl.kind !== 'enum') return { ...base, kind: 'struct', fields: structFields(decl, declared, depth) };
  if (type.pointers === 1 && WIDE_CHARS.has(type.base) && (type.isConst || direction === 'in')) return { ...base, kind: 'wide-string' };
  if (type.pointers === 1 && NARROW_CHARS.has(type.base) && (type.isConst || direction === 'in')) return { ...base, kind: 'string' };
  if (type.pointers === 1 && !BYTES.has(type.base) && !NARROW_CHARS.has(type.base) && !WIDE_CHARS.has(type.base) && (type.base in INTEGERS || FLOATS.has(type.base) || BOOLS.has(type.base))) {
    return { ...valueField(base, { ...type, pointers: 0 }, declared, depth), kind: 'out-scalar', nullable: true, ...intSpec(type.base) };
  }
  return { ...base, kind: type.pointers === 1 ? 'buffer' : 'pointer' };
}

function intSpec(base: string): Partial<ParamField> {
  const spec = INTEGERS[base];
  return spec ? { bits: spec.bits, signed: spec.signed } : {};
}

function valueField(base: Omit<ParamField, 'kind'>, type: TypeRef, declared: Map<string, Declaration>, depth: number): ParamField {
  if (BOOLS.has(type.base)) return { ...base, kind: 'bool' };
  if (FLOATS.has(type.base)) return { ...base, kind: 'float', bits: type.base.startsWith('f') || type.base === 'FLOAT' ? 32 : 64 };
  if (type.base in INTEGERS) return { ...base, kind: 'integer', ...intSpec(type.base) };
  const decl = declared.get(type.base);
  if (decl?.kind === 'enum') return { ...base, kind: 'enum', enumValues: decl.values };
  if (decl && decl.kind !== 'alias') return { ...base, kind: 'struct', fields: structFields(decl, declared, depth) };
  return { ...base, kind: 'pointer' };
}

/** Nested structs are followed a few levels deep; deeper ones (or self-references) take JSON. */
function structFields(decl: Exclude<Declaration, { kind: 'alias' | 'enum' }>, declared: Map<string, Declaration>, depth: number): ParamField[] {
  if (depth >= 4) return [];
  return decl.members.map((member) => typeField(member.name, member.type, 'default', declared, depth + 1));
}

/** Where a parser message points: a quoted token, the Nth parameter, or the whole text. */
export function locate(source: SourceProblem['source'], text: string, message: string, token?: string): SourceProblem {
  const quoted = token ?? /"([^"]{1,80})"/.exec(message)?.[1];
  if (quoted && quoted !== text) {
    const at = findToken(text, quoted);
    if (at >= 0) return { source, message, start: at, end: at + quoted.length };
  }
  const param = /parameter (\d+)/.exec(message);
  if (param && source === 'prototype') {
    const span = parameterSpan(text, Number(param[1]) - 1);
    if (span) return { source, message, ...span };
  }
  return { source, message, start: 0, end: text.length };
}

function findToken(text: string, token: string): number {
  const word = new RegExp(`(^|[^A-Za-z0-9_])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`).exec(text);
  return word ? word.index + word[1]!.length : text.indexOf(token);
}

function parameterSpan(text: string, index: number): { start: number; end: number } | null {
  const open = text.indexOf('(');
  if (open < 0) return null;
  let start = open + 1;
  let count = 0;
  for (let i = start; i <= text.length; i++) {
    const c = text[i];
    if (c === ',' || c === ')' || i === text.length) {
      if (count === index) return { start, end: Math.max(start, i) };
      count++;
      start = i + 1;
    }
  }
  return null;
}
