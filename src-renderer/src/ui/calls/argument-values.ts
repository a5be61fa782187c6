// The argument form's values turned into the agent's JSON arguments, each checked against its
// parameter first: a bad field is refused with its path and a message, and nothing is called.
import type { ParamField } from '../../../../src-main/contract/api-contract.ts';
import { windows1252Byte, windows1252Char } from './windows-1252.ts';

/** Form state, flat: "0" is the first argument, "1.width" a struct field; "#null", "#enc", "#mode", "#size" are its options. */
export type FormValues = Record<string, string | boolean>;

export type Encoding = 'utf8' | 'ansi' | 'utf16';

export interface BuiltArgs {
  args: unknown[];
  /** Field path → what is wrong with it. */
  errors: Record<string, string>;
}

const text = (values: FormValues, key: string): string => String(values[key] ?? '').trim();

/** An integer of `bits` width, decimal or 0x hex, as a number when exact and a decimal string for 64-bit (no loss). */
export function parseInteger(raw: string, bits: number, signed: boolean): { value: number | string } | { error: string } {
  const written = raw.replace(/_/g, '');
  if (!/^[-+]?(0x[0-9a-f]+|\d+)$/i.test(written)) return { error: 'write a whole number, decimal (-12) or hex (0xFF)' };
  const negative = written.startsWith('-');
  const magnitude = BigInt(written.replace(/^[-+]/, ''));
  const value = negative ? -magnitude : magnitude;
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  // Hex of a signed type may be written as its bit pattern (0xFFFFFFFF for -1).
  const pattern = !negative && /^[+]?0x/i.test(written) && signed && value <= (1n << BigInt(bits)) - 1n ? BigInt.asIntN(bits, value) : value;
  if (pattern < min || pattern > max) return { error: `out of range for ${signed ? 'a signed' : 'an unsigned'} ${bits}-bit integer (${min} to ${max})` };
  return { value: bits >= 64 || pattern > BigInt(Number.MAX_SAFE_INTEGER) || pattern < BigInt(Number.MIN_SAFE_INTEGER) ? pattern.toString() : Number(pattern) };
}

export function parseFloatText(raw: string): { value: number } | { error: string } {
  const value = Number(raw);
  if (raw === '' || Number.isNaN(value)) return { error: 'write a number, e.g. 1.5 or -2e-3' };
  // The call's arguments travel as JSON, which has no Infinity: it would arrive as null.
  if (!Number.isFinite(value)) return { error: 'write a finite number: infinity cannot be passed (a float tops out near 3.4e38, a double near 1.8e308)' };
  return { value };
}

/** A string in the ANSI code page of an English Windows (Windows-1252), NUL-terminated, as hex. */
export function ansiHex(value: string): { value: string } | { error: string } {
  let hex = '';
  for (const ch of value) {
    const byte = windows1252Byte(ch.codePointAt(0)!);
    if (byte === null) return { error: `"${ch}" is not in the ANSI code page (Windows-1252): choose UTF-8 or UTF-16` };
    hex += byte.toString(16).padStart(2, '0');
  }
  return { value: `${hex}00` };
}

/**
 * A char * string sent as hex back to its text and encoding: UTF-16 ends in a two-byte NUL on a
 * two-byte boundary, ANSI in one NUL after a byte that is not (no field can hold a NUL itself).
 */
export function stringFromHex(hex: string): { text: string; encoding: 'ansi' | 'utf16' } {
  const bytes = hex.match(/../g)?.map((pair) => parseInt(pair, 16)) ?? [];
  if (bytes.length % 2 === 0 && bytes.at(-1) === 0 && bytes.at(-2) === 0) {
    let text = '';
    for (let i = 0; i + 1 < bytes.length - 2; i += 2) text += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
    return { text, encoding: 'utf16' };
  }
  return { text: bytes.slice(0, bytes.at(-1) === 0 ? -1 : undefined).map(windows1252Char).join(''), encoding: 'ansi' };
}

export function isHexBytes(raw: string): boolean {
  return /^([0-9a-f]{2})*$/i.test(raw.replace(/\s+/g, ''));
}

/** Every argument built and checked; `errors` is empty when the call may go. */
export function buildArgs(params: ParamField[], values: FormValues): BuiltArgs {
  const errors: Record<string, string> = {};
  const args = params.map((param, index) => buildValue(param, String(index), values, errors));
  return { args, errors };
}

function buildValue(param: ParamField, path: string, values: FormValues, errors: Record<string, string>): unknown {
  if (param.nullable && values[`${path}#null`] === true) return null;
  const raw = text(values, path);
  const fail = (message: string): null => {
    errors[path] = message;
    return null;
  };
  switch (param.kind) {
    case 'integer': {
      const parsed = parseInteger(raw, param.bits ?? 32, param.signed ?? true);
      return 'error' in parsed ? fail(parsed.error) : parsed.value;
    }
    case 'float': {
      const parsed = parseFloatText(raw);
      return 'error' in parsed ? fail(parsed.error) : parsed.value;
    }
    case 'bool':
      return values[path] === true;
    case 'enum':
      return raw === '' ? fail('choose a value') : raw;
    case 'string':
    case 'wide-string':
      return stringValue(param, path, values, fail);
    case 'out-scalar': {
      if (raw === '') return null;
      const parsed = param.bits ? parseInteger(raw, param.bits, param.signed ?? true) : parseFloatText(raw);
      return 'error' in parsed ? fail(parsed.error) : parsed.value;
    }
    case 'buffer':
      return bufferValue(path, values, fail);
    case 'struct':
      return Object.fromEntries((param.fields ?? []).map((field) => [field.name, buildValue(field, `${path}.${field.name}`, values, errors)]));
    case 'pointer':
      return raw === '' ? null : /^0x[0-9a-f]+$/i.test(raw) ? raw : fail('write an address (0x...) or tick NULL');
  }
}

function stringValue(param: ParamField, path: string, values: FormValues, fail: (m: string) => null): unknown {
  const value = String(values[path] ?? '');
  const encoding = (values[`${path}#enc`] as Encoding | undefined) ?? (param.kind === 'wide-string' ? 'utf16' : 'utf8');
  if (param.kind === 'wide-string' && encoding !== 'utf16') return fail('a wchar_t string is UTF-16');
  if (value.includes('\0')) return fail('a string cannot hold a NUL character: the DLL would read it as the end of the string (use a buffer for bytes)');
  if (encoding === 'ansi') {
    const hex = ansiHex(value);
    return 'error' in hex ? fail(hex.error) : { hex: hex.value };
  }
  if (encoding === 'utf16' && param.kind !== 'wide-string') return { hex: `${utf16Hex(value)}0000` };
  return value;
}

function utf16Hex(value: string): string {
  let hex = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    hex += (unit & 0xff).toString(16).padStart(2, '0') + (unit >> 8).toString(16).padStart(2, '0');
  }
  return hex;
}

function bufferValue(path: string, values: FormValues, fail: (m: string) => null): unknown {
  const mode = (values[`${path}#mode`] as string | undefined) ?? 'out';
  const sizeText = text(values, `${path}#size`);
  const size = sizeText === '' ? 0 : Number(sizeText);
  if (!Number.isInteger(size) || size < 0 || size > 64 * 1024 * 1024) return fail('the size is a whole number of bytes, 0 to 64 MiB');
  if (mode === 'out') return size > 0 ? { size } : fail('give the buffer a size in bytes');
  const content = text(values, path).replace(/\s+/g, '');
  if (mode === 'hex') {
    if (!isHexBytes(content)) return fail('write bytes as hex pairs, e.g. 0a 1b ff');
    return size > 0 ? { hex: content, size } : { hex: content };
  }
  const raw = String(values[path] ?? '');
  return size > 0 ? { text: raw, size } : { text: raw };
}

/** The form prefilled from a call's arguments, to edit or re-run it. */
export function valuesFromArgs(params: ParamField[], args: unknown[]): FormValues {
  const values: FormValues = {};
  params.forEach((param, index) => fill(param, String(index), args[index], values));
  return values;
}

function fill(param: ParamField, path: string, arg: unknown, values: FormValues): void {
  if (arg === null && param.nullable && param.kind !== 'out-scalar' && param.kind !== 'pointer') {
    values[`${path}#null`] = true;
    return;
  }
  if (param.kind === 'struct' && arg && typeof arg === 'object') {
    for (const field of param.fields ?? []) fill(field, `${path}.${field.name}`, (arg as Record<string, unknown>)[field.name], values);
    return;
  }
  if (param.kind === 'bool') values[path] = arg === true;
  else if (param.kind === 'string' && arg && typeof arg === 'object' && typeof (arg as { hex?: unknown }).hex === 'string') {
    const { text, encoding } = stringFromHex((arg as { hex: string }).hex);
    values[path] = text;
    values[`${path}#enc`] = encoding;
  }
  else if (param.kind === 'buffer' && arg && typeof arg === 'object') {
    const spec = arg as { hex?: string; text?: string; size?: number };
    values[`${path}#mode`] = spec.hex !== undefined ? 'hex' : spec.text !== undefined ? 'text' : 'out';
    values[path] = spec.hex ?? spec.text ?? '';
    if (spec.size !== undefined) values[`${path}#size`] = String(spec.size);
  } else if (arg !== null && arg !== undefined && typeof arg !== 'object') values[path] = String(arg);
}

/** A hex dump: 16 bytes a row, offset, hex and printable ASCII. */
export function hexRows(hex: string, bytesPerRow = 16): { offset: string; bytes: string; ascii: string }[] {
  const rows = [];
  const step = bytesPerRow * 2;
  for (let at = 0; at < hex.length; at += step) {
    const chunk = hex.slice(at, at + step);
    const pairs = chunk.match(/../g) ?? [];
    rows.push({
      offset: (at / 2).toString(16).padStart(8, '0'),
      bytes: pairs.join(' '),
      ascii: pairs.map((p) => { const c = parseInt(p, 16); return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.'; }).join(''),
    });
  }
  return rows;
}
