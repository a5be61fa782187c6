// Turns parsed C types into koffi types and JSON arguments into koffi values (and back), checking
// that every argument fits its parameter before any native code runs.
import { koffi } from '../native/koffi.ts';
import type { TypeObject } from 'koffi';
import type { CallOut, JsonValue } from '../protocol/messages.ts';
import { isRecord } from '../protocol/validate.ts';
import { type Declaration, type Param, PrototypeError, type TypeRef } from './prototype.ts';

export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

export type KoffiSpec = Parameters<typeof koffi.out>[0];

const WINDOWS_ALIASES: Record<string, [string, number]> = {
  BYTE: ['uint8_t', 0], BOOLEAN: ['uint8_t', 0], CHAR: ['char', 0], WCHAR: ['char16_t', 0],
  WORD: ['uint16_t', 0], SHORT: ['int16_t', 0], USHORT: ['uint16_t', 0],
  DWORD: ['uint32_t', 0], UINT: ['uint32_t', 0], ULONG: ['uint32_t', 0], INT: ['int32_t', 0], LONG: ['int32_t', 0],
  BOOL: ['int32_t', 0], HRESULT: ['int32_t', 0], FLOAT: ['float', 0], DOUBLE: ['double', 0],
  LONGLONG: ['int64_t', 0], ULONGLONG: ['uint64_t', 0], DWORD64: ['uint64_t', 0], QWORD: ['uint64_t', 0],
  SIZE_T: ['size_t', 0], ULONG_PTR: ['uintptr_t', 0], LONG_PTR: ['intptr_t', 0], DWORD_PTR: ['uintptr_t', 0],
  INT_PTR: ['intptr_t', 0], UINT_PTR: ['uintptr_t', 0],
  HANDLE: ['void', 1], HMODULE: ['void', 1], HINSTANCE: ['void', 1], HWND: ['void', 1], HKEY: ['void', 1],
  LPVOID: ['void', 1], PVOID: ['void', 1], LPCVOID: ['void', 1],
  LPSTR: ['char', 1], LPCSTR: ['char', 1], PSTR: ['char', 1], PCSTR: ['char', 1],
  LPWSTR: ['char16_t', 1], LPCWSTR: ['char16_t', 1], PWSTR: ['char16_t', 1], PCWSTR: ['char16_t', 1],
  LPDWORD: ['uint32_t', 1], PDWORD: ['uint32_t', 1], LPBYTE: ['uint8_t', 1], PBYTE: ['uint8_t', 1],
};
const CHAR_BASES = new Set(['char', 'signed char', 'unsigned char', 'uchar', 'wchar_t', 'char16_t', 'char16', 'char32_t', 'char32', 'uint8_t', 'int8_t']);
const INT_LIMITS: Record<string, [bigint, bigint]> = {
  Int8: [-128n, 127n], UInt8: [0n, 255n], Int16: [-32768n, 32767n], UInt16: [0n, 65535n],
  Int32: [-(2n ** 31n), 2n ** 31n - 1n], UInt32: [0n, 2n ** 32n - 1n],
  Int64: [-(2n ** 63n), 2n ** 63n - 1n], UInt64: [0n, 2n ** 64n - 1n],
};
const NUMBER_LIMITS: Record<string, [number, number] | undefined> = Object.fromEntries(
  Object.entries(INT_LIMITS).filter(([p]) => !p.endsWith('64')).map(([p, [min, max]]) => [p, [Number(min), Number(max)]]),
);

/** Types declared for a call, by name; enums keep their members so names can be passed. */
export class TypeRegistry {
  private readonly types = new Map<string, TypeObject>();
  private readonly enums = new Map<string, Record<string, number>>();
  // koffi keeps every type it creates for the life of the process: derived types are made once.
  private readonly pointers = new Map<string, TypeObject>();
  private readonly directions = new Map<string, KoffiSpec>();
  private readonly builtins = new Map<string, TypeObject>();

  constructor(declarations: Declaration[]) {
    for (const d of declarations) this.declare(d);
  }

  private declare(d: Declaration): void {
    if (d.kind === 'enum') {
      this.types.set(d.name, koffi.enumeration(d.values, 'int'));
      this.enums.set(d.name, d.values);
    } else if (d.kind === 'alias') {
      this.types.set(d.name, this.koffiType(d.type));
      const aliased = this.enums.get(d.type.base);
      if (aliased && d.type.pointers === 0) this.enums.set(d.name, aliased);
    } else {
      const members: Record<string, TypeObject> = {};
      for (const m of d.members) {
        const t = this.koffiType({ ...m.type, arrayLength: null });
        members[m.name] = m.type.arrayLength ? koffi.array(t, m.type.arrayLength) : t;
      }
      const make = d.kind === 'union' ? koffi.union : d.packed ? koffi.pack : koffi.struct;
      this.types.set(d.name, make(members));
    }
  }

  enumValues(base: string): Record<string, number> | undefined {
    return this.enums.get(base);
  }

  normalize(ref: TypeRef): TypeRef {
    const alias = WINDOWS_ALIASES[ref.base];
    if (!alias || this.types.has(ref.base)) return ref;
    return { ...ref, base: alias[0], pointers: ref.pointers + alias[1], isConst: ref.isConst || ref.base.includes('C') };
  }

  base(name: string): TypeObject {
    const declared = this.types.get(name) ?? this.builtins.get(name);
    if (declared) return declared;
    try {
      const builtin = koffi.type(name);
      this.builtins.set(name, builtin);
      return builtin;
    } catch {
      throw new PrototypeError(`unknown type "${name}" (declare it, e.g. "struct ${name} { int x; };")`);
    }
  }

  koffiType(ref: TypeRef): TypeObject {
    const r = this.normalize(ref);
    return r.pointers === 0 ? this.base(r.base) : this.pointerTo(r.base, r.pointers);
  }

  pointerTo(base: string, pointers: number): TypeObject {
    const key = `${base} ${pointers}`;
    let type = this.pointers.get(key);
    if (!type) {
      type = koffi.pointer(this.base(base), pointers);
      this.pointers.set(key, type);
    }
    return type;
  }

  /** A pointer parameter koffi writes back into the holder after the call. */
  directed(base: string, direction: 'out' | 'inout'): KoffiSpec {
    const key = `${direction} ${base}`;
    let spec = this.directions.get(key);
    if (!spec) {
      spec = (direction === 'out' ? koffi.out : koffi.inout)(this.pointerTo(base, 1));
      this.directions.set(key, spec);
    }
    return spec;
  }
}

export interface ParamPlan {
  spec: KoffiSpec;
  /** Same key, same spec (for a given parameter type): bound functions are reused by it. */
  specKey: string;
  value: unknown;
  readBack: (() => JsonValue) | null;
}

const POINTER_BYTES = koffi.sizeof('void *');

export function stackBytesOf(registry: TypeRegistry, ref: TypeRef): number {
  const size = ref.pointers > 0 ? POINTER_BYTES : registry.koffiType(ref).size;
  return Math.ceil(size / 4) * 4;
}

/** Names the argument in an error message; built only when one is thrown. */
type Label = () => string;

export function planParam(registry: TypeRegistry, param: Param, arg: JsonValue, index: number): ParamPlan {
  const ref = registry.normalize(param.type);
  const label: Label = () => `argument ${index + 1}${param.name ? ` (${param.name})` : ''}`;
  if (ref.pointers === 0) return { spec: registry.koffiType(ref), specKey: 'v', value: toScalar(registry, ref, arg, label), readBack: null };
  if (isBufferSpec(arg)) return planBuffer(ref, arg, label);
  if (arg === null && param.direction !== 'out') return { spec: 'void *', specKey: 'p', value: null, readBack: null };
  if (typeof arg === 'string' && /^0x[0-9a-f]+$/i.test(arg) && !isCharBase(ref)) {
    return { spec: 'void *', specKey: 'p', value: BigInt(arg), readBack: null };
  }
  if (ref.pointers === 1 && isCharBase(ref) && typeof arg === 'string') {
    return { spec: stringSpec(ref), specKey: 's', value: arg, readBack: null };
  }
  if (Array.isArray(arg)) {
    const element = { ...ref, pointers: ref.pointers - 1 };
    const value = arg.map((a, i) => toValue(registry, element, a, () => `${label()}[${i}]`));
    return { spec: registry.pointerTo(ref.base, ref.pointers), specKey: 'a', value, readBack: null };
  }
  return planReference(registry, ref, param, arg, label);
}

function planReference(registry: TypeRegistry, ref: TypeRef, param: Param, arg: JsonValue, label: Label): ParamPlan {
  if (ref.pointers !== 1) throw new ArgumentError(`${label()}: pass a buffer {"size": n}, an address "0x..." or null for a ${ref.pointers}-level pointer`);
  const target = { ...ref, pointers: 0 };
  const type = registry.koffiType(target);
  if (type.primitive === 'Void') throw new ArgumentError(`${label()}: pass a buffer {"hex": ...} / {"size": n}, an address or null for void *`);
  const direction = param.direction === 'default' ? (ref.isConst ? 'in' : 'inout') : param.direction;
  const isRecordType = type.primitive === 'Record' || type.primitive === 'Union';
  const initial = arg === null ? (isRecordType ? {} : 0) : toScalar(registry, target, arg, label);
  const holder: unknown = isRecordType ? initial : [initial];
  const spec = direction === 'in' ? registry.pointerTo(ref.base, 1) : registry.directed(ref.base, direction);
  const readBack = direction === 'in' ? null : () => toJson(isRecordType ? holder : (holder as unknown[])[0]);
  return { spec, specKey: direction, value: holder, readBack };
}

interface BufferSpec {
  hex?: string;
  text?: string;
  size?: number;
}

function isBufferSpec(arg: JsonValue): arg is { [key: string]: JsonValue } {
  return isRecord(arg) && ('hex' in arg || 'size' in arg || 'text' in arg) && Object.keys(arg).every((k) => ['hex', 'text', 'size'].includes(k));
}

function planBuffer(ref: TypeRef, arg: { [key: string]: JsonValue }, label: Label): ParamPlan {
  const spec = arg as BufferSpec;
  if (spec.hex !== undefined && (typeof spec.hex !== 'string' || !/^([0-9a-f]{2})*$/i.test(spec.hex))) throw new ArgumentError(`${label()}: "hex" must be an even-length hex string`);
  if (spec.text !== undefined && typeof spec.text !== 'string') throw new ArgumentError(`${label()}: "text" must be a string`);
  if (spec.size !== undefined && (!Number.isSafeInteger(spec.size) || spec.size < 0 || spec.size > 64 * 1024 * 1024)) throw new ArgumentError(`${label()}: "size" must be an integer in [0, 64 MiB]`);
  const wide = isWide(ref);
  const initial = spec.hex !== undefined ? Buffer.from(spec.hex, 'hex') : Buffer.from(spec.text ?? '', wide ? 'utf16le' : 'utf8');
  const size = Math.max(spec.size ?? 0, initial.length + (spec.text !== undefined ? (wide ? 2 : 1) : 0));
  const buffer = Buffer.alloc(size);
  initial.copy(buffer);
  const readOnly = ref.isConst;
  const readBack = readOnly ? null : () => bufferJson(buffer, isCharBase(ref) ? (wide ? 'utf16le' : 'utf8') : null);
  return { spec: 'void *', specKey: 'p', value: buffer, readBack };
}

function bufferJson(buffer: Buffer, encoding: 'utf8' | 'utf16le' | null): JsonValue {
  const out: { [key: string]: JsonValue } = { hex: buffer.toString('hex') };
  if (encoding) {
    const end = encoding === 'utf8' ? buffer.indexOf(0) : wideEnd(buffer);
    out.text = buffer.subarray(0, end < 0 ? buffer.length : end).toString(encoding);
  }
  return out;
}

function wideEnd(buffer: Buffer): number {
  for (let i = 0; i + 1 < buffer.length; i += 2) if (buffer[i] === 0 && buffer[i + 1] === 0) return i;
  return -1;
}

function isCharBase(ref: TypeRef): boolean {
  return CHAR_BASES.has(ref.base);
}

function isWide(ref: TypeRef): boolean {
  return ref.base === 'char16_t' || ref.base === 'char16' || (ref.base === 'wchar_t' && koffi.sizeof('wchar_t') === 2);
}

function stringSpec(ref: TypeRef): string {
  if (ref.base === 'wchar_t') return 'wchar_t *';
  if (ref.base === 'char16_t' || ref.base === 'char16') return 'char16_t *';
  if (ref.base === 'char32_t' || ref.base === 'char32') return 'char32_t *';
  return 'char *';
}

function toValue(registry: TypeRegistry, ref: TypeRef, arg: JsonValue, label: Label): unknown {
  if (ref.pointers > 0) {
    if (arg === null) return null;
    if (typeof arg === 'string' && /^0x[0-9a-f]+$/i.test(arg)) return BigInt(arg);
    if (typeof arg === 'string' && isCharBase({ ...ref, pointers: 0 })) return arg;
    throw new ArgumentError(`${label()}: expected an address "0x..." or null`);
  }
  return toScalar(registry, ref, arg, label);
}

function toScalar(registry: TypeRegistry, ref: TypeRef, arg: JsonValue, label: Label): unknown {
  const type = registry.koffiType(ref);
  const enumValues = registry.enumValues(ref.base);
  if (enumValues && typeof arg === 'string') {
    if (!(arg in enumValues)) throw new ArgumentError(`${label()}: "${arg}" is not a member of ${ref.base} (${Object.keys(enumValues).join(', ')})`);
    return enumValues[arg];
  }
  const p = type.primitive;
  if (p in INT_LIMITS) return toInteger(arg, p, label, type.name);
  if (p === 'Float32' || p === 'Float64') {
    if (typeof arg === 'number') return arg;
    if (typeof arg === 'string' && arg in NON_FINITE) return NON_FINITE[arg];
    throw new ArgumentError(`${label()}: expected a number (or "NaN", "Infinity", "-Infinity") for ${type.name}`);
  }
  if (p === 'Bool') {
    if (typeof arg !== 'boolean' && arg !== 0 && arg !== 1) throw new ArgumentError(`${label()}: expected true/false for bool`);
    return Boolean(arg);
  }
  if (p === 'Record' || p === 'Union') {
    if (!isRecord(arg)) throw new ArgumentError(`${label()}: expected an object for ${type.name}`);
    return recordValue(type, arg, label);
  }
  if (p === 'Array') {
    if (typeof arg === 'string' || Array.isArray(arg)) return arg;
    throw new ArgumentError(`${label()}: expected an array or string for ${type.name}`);
  }
  if (p === 'Pointer' || p.startsWith('String')) return toPointerish(arg, label, type.name);
  throw new ArgumentError(`${label()}: cannot pass a value of type ${type.name}`);
}

function toPointerish(arg: JsonValue, label: Label, name: string): unknown {
  if (arg === null || typeof arg === 'string') return typeof arg === 'string' && /^0x[0-9a-f]+$/i.test(arg) && !name.includes('char') ? BigInt(arg) : arg;
  throw new ArgumentError(`${label()}: expected a string, an address "0x..." or null for ${name}`);
}

function recordValue(type: TypeObject, arg: { [key: string]: JsonValue }, label: Label): unknown {
  const members = (type as unknown as { members?: Record<string, { type: TypeObject }> }).members ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(arg)) {
    const member = members[k];
    if (!member) throw new ArgumentError(`${label()}: ${type.name} has no member "${k}" (members: ${Object.keys(members).join(', ')})`);
    out[k] = memberValue(member.type, v, () => `${label()}.${k}`);
  }
  return out;
}

function memberValue(type: TypeObject, v: JsonValue, label: Label): unknown {
  const p = type.primitive;
  if (p in INT_LIMITS) return toInteger(v, p, label, type.name);
  if (p === 'Record' || p === 'Union') {
    if (!isRecord(v)) throw new ArgumentError(`${label()}: expected an object for ${type.name}`);
    return recordValue(type, v, label);
  }
  if (p === 'Pointer' || p.startsWith('String')) return toPointerish(v, label, type.name);
  return v;
}

function toInteger(arg: JsonValue, primitive: string, label: Label, name: string): number | bigint {
  const fast = NUMBER_LIMITS[primitive];
  if (fast && typeof arg === 'number' && Number.isInteger(arg) && arg >= fast[0] && arg <= fast[1]) return arg;
  let value: bigint;
  if (typeof arg === 'number' && Number.isInteger(arg)) value = BigInt(arg);
  else if (typeof arg === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(arg.trim())) value = parseBigInt(arg.trim());
  else if (typeof arg === 'boolean') value = arg ? 1n : 0n;
  else throw new ArgumentError(`${label()}: expected an integer for ${name}, got ${JSON.stringify(arg)}`);
  const [min, max] = INT_LIMITS[primitive];
  if (value < min || value > max) throw new ArgumentError(`${label()}: ${value} does not fit in ${name} [${min}, ${max}]`);
  return primitive.endsWith('64') ? value : Number(value);
}

function parseBigInt(text: string): bigint {
  return text.startsWith('-') ? -BigInt(text.slice(1)) : BigInt(text);
}

/** Converts a koffi result to JSON: 64-bit integers and pointers as strings. */
export function resultJson(type: TypeObject, value: unknown): JsonValue {
  if (type.primitive === 'Void') return null;
  if (type.primitive === 'Pointer') return typeof value === 'bigint' ? (value === 0n ? null : `0x${value.toString(16)}`) : null;
  if (type.primitive === 'Int64' || type.primitive === 'UInt64') return String(value);
  return toJson(value);
}

// JSON has no NaN or infinities (JSON.stringify would make them null): they travel as these strings.
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

export function toJson(value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (Buffer.isBuffer(value)) return { hex: value.toString('hex') };
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toJson(v);
    return out;
  }
  return String(value);
}

export function collectOuts(params: Param[], plans: ParamPlan[]): CallOut[] {
  return plans.flatMap((plan, index) => (plan.readBack ? [{ index, name: params[index].name, value: plan.readBack() }] : []));
}
