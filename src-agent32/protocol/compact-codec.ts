// Compact binary payloads for the two messages every call makes: the call request and its
// successful result. They are nearly all the traffic of a busy agent, and JSON.stringify and
// JSON.parse of them cost each side more than the rest of its framing. Every other message stays
// JSON. A compact payload starts with a tag byte below 0x20, which no JSON text of ours does (they
// start with '{'), so the frame decoder tells the two apart by that byte.
//
// Call request:  tag 0x01 | id f64 | handle str | prototype str | flags u8 | [declarations str]
//                | [repeat u32] | [convention u8] | args: count u32, value...
// Call result:   tag 0x02 | id f64 | symbol str | value | outs: count u32, (index u32, flags u8,
//                [name str], value)... | flags u8 | [lastError: code f64, [name str], message str]
//                | [errno f64] | durationMs f64 | [timing: runs u32, min f64, median f64, max f64]
// str:           byte length u32 | UTF-8.  value: a JSON value, tagged (see VALUE_*).
// Decoding yields the same objects JSON.parse would, which then go through the same validators.
import type { CallOptions, CallOut, CallParams, CallResult, CallingConvention, JsonValue, OsError, Timing } from './messages.ts';

export const CALL_REQUEST_TAG = 0x01;
export const CALL_RESULT_TAG = 0x02;
/** Payloads whose first byte is below this are compact; JSON text starts at ' ' or above. */
export const COMPACT_TAG_LIMIT = 0x20;

const VALUE_NULL = 0;
const VALUE_FALSE = 1;
const VALUE_TRUE = 2;
const VALUE_INT32 = 3;
const VALUE_FLOAT64 = 4;
const VALUE_STRING = 5;
const VALUE_ARRAY = 6;
const VALUE_OBJECT = 7;
const MAX_DEPTH = 64;

const CONVENTIONS: readonly CallingConvention[] = ['cdecl', 'stdcall', 'fastcall', 'thiscall'];
const HAS_DECLARATIONS = 1;
const HAS_REPEAT = 2;
const HAS_CONVENTION = 4;
const HAS_NAME = 1;
const HAS_LAST_ERROR = 1;
const HAS_ERRNO = 2;
const HAS_TIMING = 4;

/** Bytes written at a cursor into a buffer that grows on demand. */
export class ByteWriter {
  bytes: Buffer;
  at = 0;

  constructor(initialBytes: number) {
    this.bytes = Buffer.allocUnsafe(initialBytes);
  }

  reserve(extra: number): void {
    if (this.at + extra <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.at + extra, 64));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.bytes[this.at++] = value;
  }

  u32(value: number): void {
    this.reserve(4);
    this.bytes.writeUInt32LE(value, this.at);
    this.at += 4;
  }

  i32(value: number): void {
    this.reserve(4);
    this.bytes.writeInt32LE(value, this.at);
    this.at += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.bytes.writeDoubleLE(value, this.at);
    this.at += 8;
  }

  str(value: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    this.reserve(4 + value.length * 3);
    const start = this.at + 4;
    const length = value.length <= SHORT_STRING ? writeAscii(this.bytes, value, start) : -1;
    const written = length >= 0 ? length : this.bytes.write(value, start, 'utf8');
    this.bytes.writeUInt32LE(written, this.at);
    this.at = start + written;
  }
}

// Below this length a loop over the characters beats the call into the UTF-8 encoder.
const SHORT_STRING = 48;

/** Writes an all-ASCII string and returns its length, or -1 (nothing usable written) if it is not. */
function writeAscii(bytes: Buffer, value: string, at: number): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f) return -1;
    bytes[at + i] = c;
  }
  return value.length;
}

export class CompactPayloadError extends Error {
  override readonly name = 'CompactPayloadError';
}

/**
 * Thrown by the writers for a value the compact layout does not carry as JSON would (undefined, a
 * class instance, a BigInt, JSON nested too deep): the message then goes as JSON, and gets JSON's
 * treatment, and the agent's refusal where it has one.
 */
export class NotCompactError extends Error {
  override readonly name = 'NotCompactError';
}

/** Reads a compact payload in bytes[start, end); every read is checked against the end. */
class ByteReader {
  constructor(private readonly bytes: Buffer, public at: number, private readonly end: number) {}

  private need(count: number, what: string): void {
    if (this.end - this.at < count) throw new CompactPayloadError(`payload ends inside ${what} at byte ${this.at}`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.at++]!;
  }

  u32(what: string): number {
    this.need(4, what);
    const value = this.bytes.readUInt32LE(this.at);
    this.at += 4;
    return value;
  }

  f64(what: string): number {
    this.need(8, what);
    const value = this.bytes.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }

  str(what: string): string {
    const length = this.u32(what);
    this.need(length, what);
    const start = this.at;
    this.at += length;
    return length <= SHORT_STRING ? readAscii(this.bytes, start, this.at) ?? this.bytes.toString('utf8', start, this.at) : this.bytes.toString('utf8', start, this.at);
  }

  /** A count of items each at least `minBytes` long: one that cannot fit is refused before any loop. */
  count(minBytes: number, what: string): number {
    const count = this.u32(what);
    if (count * minBytes > this.end - this.at) throw new CompactPayloadError(`${what} claims ${count} items, more than the payload holds`);
    return count;
  }

  finish(): void {
    if (this.at !== this.end) throw new CompactPayloadError(`${this.end - this.at} bytes left over after the payload`);
  }
}

function readAscii(bytes: Buffer, start: number, end: number): string | null {
  let text = '';
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c > 0x7f) return null;
    text += String.fromCharCode(c);
  }
  return text;
}

// ---------------------------------------------------------------- JSON values

/** Writes plain JSON data; non-finite numbers become null, as JSON.stringify makes them. */
export function writeValue(out: ByteWriter, value: JsonValue, depth = 0): void {
  if (value === null) return out.u8(VALUE_NULL);
  switch (typeof value) {
    case 'boolean':
      return out.u8(value ? VALUE_TRUE : VALUE_FALSE);
    case 'number':
      // -0 goes as the integer 0, as JSON.stringify writes it.
      if ((value | 0) === value) {
        out.u8(VALUE_INT32);
        out.i32(value);
      } else if (Number.isFinite(value)) {
        out.u8(VALUE_FLOAT64);
        out.f64(value);
      } else {
        out.u8(VALUE_NULL);
      }
      return;
    case 'string':
      out.u8(VALUE_STRING);
      return out.str(value);
  }
  if (typeof value !== 'object' || depth >= MAX_DEPTH) throw new NotCompactError(`${typeof value} at depth ${depth}`);
  if (Array.isArray(value)) {
    out.u8(VALUE_ARRAY);
    out.u32(value.length);
    for (const item of value) writeValue(out, item, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new NotCompactError('an object that is not plain data');
  const keys = Object.keys(value);
  out.u8(VALUE_OBJECT);
  out.u32(keys.length);
  for (const key of keys) {
    out.str(key);
    writeValue(out, value[key]!, depth + 1);
  }
}

function readValue(reader: ByteReader, depth: number): JsonValue {
  const tag = reader.u8('a value');
  switch (tag) {
    case VALUE_NULL:
      return null;
    case VALUE_FALSE:
      return false;
    case VALUE_TRUE:
      return true;
    case VALUE_INT32:
      return reader.u32('an integer') | 0;
    case VALUE_FLOAT64:
      return reader.f64('a number');
    case VALUE_STRING:
      return reader.str('a string');
  }
  if (tag !== VALUE_ARRAY && tag !== VALUE_OBJECT) throw new CompactPayloadError(`unknown value tag ${tag} at byte ${reader.at - 1}`);
  if (depth >= MAX_DEPTH) throw new CompactPayloadError(`JSON nested more than ${MAX_DEPTH} deep`);
  if (tag === VALUE_ARRAY) {
    const items = new Array<JsonValue>(reader.count(1, 'an array'));
    for (let i = 0; i < items.length; i++) items[i] = readValue(reader, depth + 1);
    return items;
  }
  const count = reader.count(5, 'an object');
  const object: { [key: string]: JsonValue } = {};
  for (let i = 0; i < count; i++) {
    const key = reader.str('a key');
    // As JSON.parse does: "__proto__" is an own key, not the object's prototype.
    Object.defineProperty(object, key, { value: readValue(reader, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

// ---------------------------------------------------------------- call request

export function writeCallRequest(out: ByteWriter, id: number, params: CallParams): void {
  out.u8(CALL_REQUEST_TAG);
  out.f64(id);
  out.str(params.handle);
  out.str(params.prototype);
  const { declarations, options } = params;
  const repeat = options?.repeat;
  const convention = options?.convention;
  out.u8((declarations !== undefined ? HAS_DECLARATIONS : 0) | (repeat !== undefined ? HAS_REPEAT : 0) | (convention !== undefined ? HAS_CONVENTION : 0));
  if (declarations !== undefined) out.str(declarations);
  if (repeat !== undefined) out.u32(repeat);
  if (convention !== undefined) out.u8(CONVENTIONS.indexOf(convention));
  out.u32(params.args.length);
  for (const arg of params.args) writeValue(out, arg);
}

/** Whether writeCallRequest can carry these params exactly (else they go as JSON). */
export function fitsCallRequest(params: CallParams): boolean {
  const repeat = params.options?.repeat;
  const convention = params.options?.convention;
  return (repeat === undefined || (Number.isInteger(repeat) && repeat >= 0 && repeat <= 0xffffffff)) && (convention === undefined || CONVENTIONS.includes(convention));
}

function readCallRequest(reader: ByteReader): { type: 'request'; id: number; op: 'call'; params: CallParams } {
  const id = reader.f64('the id');
  const handle = reader.str('the handle');
  const prototype = reader.str('the prototype');
  const flags = reader.u8('the flags');
  const params: CallParams = { handle, prototype, args: [] };
  if (flags & HAS_DECLARATIONS) params.declarations = reader.str('the declarations');
  if (flags & (HAS_REPEAT | HAS_CONVENTION)) {
    const options: CallOptions = {};
    if (flags & HAS_REPEAT) options.repeat = reader.u32('the repeat count');
    if (flags & HAS_CONVENTION) options.convention = conventionAt(reader.u8('the convention'));
    params.options = options;
  }
  const args = new Array<JsonValue>(reader.count(1, 'the arguments'));
  for (let i = 0; i < args.length; i++) args[i] = readValue(reader, 1);
  params.args = args;
  return { type: 'request', id, op: 'call', params };
}

function conventionAt(index: number): CallingConvention {
  const convention = CONVENTIONS[index];
  if (!convention) throw new CompactPayloadError(`unknown calling convention ${index}`);
  return convention;
}

// ---------------------------------------------------------------- call result

export function writeCallResult(out: ByteWriter, id: number, result: CallResult): void {
  out.u8(CALL_RESULT_TAG);
  out.f64(id);
  out.str(result.symbol);
  writeValue(out, result.value);
  out.u32(result.outs.length);
  for (const item of result.outs) {
    out.u32(item.index);
    out.u8(item.name !== null ? HAS_NAME : 0);
    if (item.name !== null) out.str(item.name);
    writeValue(out, item.value);
  }
  const { lastError, errno, timing } = result;
  out.u8((lastError ? HAS_LAST_ERROR : 0) | (errno !== null ? HAS_ERRNO : 0) | (timing ? HAS_TIMING : 0));
  if (lastError) {
    out.f64(lastError.code);
    out.u8(lastError.name !== null ? HAS_NAME : 0);
    if (lastError.name !== null) out.str(lastError.name);
    out.str(lastError.message);
  }
  if (errno !== null) out.f64(errno);
  out.f64(result.durationMs);
  if (timing) {
    out.u32(timing.runs);
    out.f64(timing.minMs);
    out.f64(timing.medianMs);
    out.f64(timing.maxMs);
  }
}

function readCallResult(reader: ByteReader): { type: 'response'; id: number; ok: true; result: CallResult } {
  const id = reader.f64('the id');
  const symbol = reader.str('the symbol');
  const value = readValue(reader, 1);
  const outs = new Array<CallOut>(reader.count(6, 'the out parameters'));
  for (let i = 0; i < outs.length; i++) {
    const index = reader.u32('an out parameter');
    const name = reader.u8('an out parameter') & HAS_NAME ? reader.str('an out parameter name') : null;
    outs[i] = { index, name, value: readValue(reader, 2) };
  }
  const flags = reader.u8('the flags');
  let lastError: OsError | null = null;
  if (flags & HAS_LAST_ERROR) {
    const code = reader.f64('the last error');
    const name = reader.u8('the last error') & HAS_NAME ? reader.str('the last error name') : null;
    lastError = { code, name, message: reader.str('the last error message') };
  }
  const errno = flags & HAS_ERRNO ? reader.f64('errno') : null;
  const durationMs = reader.f64('the duration');
  let timing: Timing | null = null;
  if (flags & HAS_TIMING) timing = { runs: reader.u32('the timing'), minMs: reader.f64('the timing'), medianMs: reader.f64('the timing'), maxMs: reader.f64('the timing') };
  return { type: 'response', id, ok: true, result: { symbol, value, outs, lastError, errno, durationMs, timing } };
}

// ---------------------------------------------------------------- payloads

/** Decodes the compact payload in bytes[start, end) into the message JSON would have given. */
export function decodeCompactPayload(bytes: Buffer, start: number, end: number): unknown {
  const reader = new ByteReader(bytes, start, end);
  const tag = reader.u8('the tag');
  let message: unknown;
  if (tag === CALL_REQUEST_TAG) message = readCallRequest(reader);
  else if (tag === CALL_RESULT_TAG) message = readCallResult(reader);
  else throw new CompactPayloadError(`unknown payload tag ${tag}`);
  reader.finish();
  return message;
}
