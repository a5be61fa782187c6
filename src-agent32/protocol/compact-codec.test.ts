import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter, CALL_REQUEST_TAG, CALL_RESULT_TAG, CompactPayloadError, NotCompactError, decodeCompactPayload, fitsCallRequest, writeCallRequest, writeCallResult, writeValue } from './compact-codec.ts';
import type { CallParams, CallResult, JsonValue } from './messages.ts';
import { checkRequest, validateResult } from './messages.ts';

const VALUES: JsonValue[] = [
  0, 1, -1, 2147483647, -2147483648, 2147483648, 4294967296, -9007199254740991, 0.5, -1e-300, 1.7976931348623157e308,
  '', 'add', 'x'.repeat(47), 'y'.repeat(48), 'z'.repeat(49), 'a long string past the short-string path, with some words', 'é', 'naïve €100 😀', '\u0000\u007f',
  true, false, null,
  [], [1, 'two', [3, [4]]], {}, { hex: '0a0b', size: 64 }, { nested: { deeper: { list: [null, true] } } }, { 'key with spaces': 1, 'ключ': 'значение' },
];

function encoded(write: (out: ByteWriter) => void): Buffer {
  const out = new ByteWriter(8);
  write(out);
  return Buffer.from(out.bytes.subarray(0, out.at));
}

/** A call request made by hand: tag, id 1, handle "h", prototype "p", then what `rest` writes. */
const handMadeRequest = (rest: (out: ByteWriter) => void) => encoded((out) => {
  out.u8(CALL_REQUEST_TAG);
  out.f64(1);
  out.str('h');
  out.str('p');
  rest(out);
});
const requestBytes = (id: number, params: CallParams) => encoded((out) => writeCallRequest(out, id, params));
const resultBytes = (id: number, result: CallResult) => encoded((out) => writeCallResult(out, id, result));
const decode = (bytes: Buffer) => decodeCompactPayload(bytes, 0, bytes.length);
/** What the same message gives through JSON: the compact layout must not differ from it. */
const viaJson = (message: unknown) => JSON.parse(JSON.stringify(message)) as unknown;

const CALL_RESULT: CallResult = {
  symbol: '_Sum@12', value: '18446744073709551615',
  outs: [{ index: 1, name: 'out', value: 42 }, { index: 2, name: null, value: { hex: 'ff00', size: 2 } }],
  lastError: { code: 87, name: 'ERROR_INVALID_PARAMETER', message: 'The parameter is incorrect.' }, errno: 22,
  durationMs: 0.000123, timing: { runs: 5, minMs: 0.001, medianMs: 0.002, maxMs: 0.5 },
};

test('a call request decodes to exactly what its JSON gives, for every kind of argument', () => {
  const params: CallParams = { handle: '0x7ff612340000', prototype: 'int __stdcall Add(int a, int b)', args: VALUES };
  const bytes = requestBytes(7, params);
  assert.equal(bytes[0], CALL_REQUEST_TAG);
  const message = decode(bytes);
  assert.deepEqual(message, viaJson({ type: 'request', id: 7, op: 'call', params }));
  // And it passes the same edge check a JSON request does.
  assert.deepEqual(checkRequest(message), viaJson({ type: 'request', id: 7, op: 'call', params }));
});

test('a call request keeps declarations, repeat and convention, and leaves out what was not given', () => {
  const full: CallParams = { handle: 'h', prototype: 'int f(struct P p)', declarations: 'struct P { int x; };', args: [{ x: 1 }], options: { repeat: 1000, convention: 'fastcall' } };
  assert.deepEqual(decode(requestBytes(1, full)), viaJson({ type: 'request', id: 1, op: 'call', params: full }));
  const onlyConvention: CallParams = { handle: 'h', prototype: 'void f(void)', args: [], options: { convention: 'thiscall' } };
  assert.deepEqual(decode(requestBytes(2, onlyConvention)), viaJson({ type: 'request', id: 2, op: 'call', params: onlyConvention }));
  const bare = decode(requestBytes(Number.MAX_SAFE_INTEGER, { handle: 'h', prototype: 'void f(void)', args: [] })) as { id: number; params: object };
  assert.equal(bare.id, Number.MAX_SAFE_INTEGER);
  assert.deepEqual(Object.keys(bare.params), ['handle', 'prototype', 'args']);
});

test('only params the layout can carry exactly are sent compact', () => {
  assert.equal(fitsCallRequest({ handle: 'h', prototype: 'p', args: [], options: { repeat: 3 } }), true);
  assert.equal(fitsCallRequest({ handle: 'h', prototype: 'p', args: [], options: { repeat: 1.5 } }), false);
  assert.equal(fitsCallRequest({ handle: 'h', prototype: 'p', args: [], options: { repeat: -1 } }), false);
  assert.equal(fitsCallRequest({ handle: 'h', prototype: 'p', args: [], options: { convention: 'pascal' as 'cdecl' } }), false);
});

test('a call result decodes to exactly what its JSON gives and passes the result check', () => {
  const bytes = resultBytes(99, CALL_RESULT);
  assert.equal(bytes[0], CALL_RESULT_TAG);
  const message = decode(bytes) as { result: unknown };
  assert.deepEqual(message, viaJson({ type: 'response', id: 99, ok: true, result: CALL_RESULT }));
  assert.deepEqual(validateResult('call', message.result), { ok: true, value: CALL_RESULT });
  const plain: CallResult = { symbol: 'add', value: 3, outs: [], lastError: null, errno: null, durationMs: 0, timing: null };
  assert.deepEqual(decode(resultBytes(1, plain)), viaJson({ type: 'response', id: 1, ok: true, result: plain }));
  const unnamed: CallResult = { ...plain, lastError: { code: 0xdeadbeef, name: null, message: 'unknown' } };
  assert.deepEqual(decode(resultBytes(1, unnamed)), viaJson({ type: 'response', id: 1, ok: true, result: unnamed }));
});

test('non-finite numbers become null and -0 becomes 0, as JSON.stringify makes them', () => {
  for (const value of [NaN, Infinity, -Infinity, -0]) {
    const bytes = requestBytes(1, { handle: 'h', prototype: 'p', args: [value] });
    assert.deepEqual((decode(bytes) as { params: CallParams }).params.args, viaJson([value]));
  }
});

test('"__proto__" arrives as an own key, as JSON.parse gives it, not as the prototype', () => {
  const args = JSON.parse('[{"__proto__": {"polluted": 1}}]') as JsonValue[];
  const decoded = (decode(requestBytes(1, { handle: 'h', prototype: 'p', args })) as { params: CallParams }).params.args[0] as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  assert.deepEqual(Object.keys(decoded), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('what only JSON carries its own way (undefined, class instances, BigInt, deep nesting) is left to JSON', () => {
  let deep: JsonValue = 1;
  for (let i = 0; i < 70; i++) deep = [deep];
  for (const arg of [deep, undefined, [undefined], { when: new Date(0) }, new Date(0), 1n, () => 1]) {
    assert.throws(() => requestBytes(1, { handle: 'h', prototype: 'p', args: [arg as JsonValue] }), NotCompactError);
  }
});

test('JSON nested deeper than 64 levels is refused by the reader', () => {
  // A hand-made payload that nests too deep is refused by the reader too.
  const value = encoded((out) => {
    for (let i = 0; i < 70; i++) {
      out.u8(6);
      out.u32(1);
    }
    out.u8(0);
  });
  const header = handMadeRequest((out) => {
    out.u8(0);
    out.u32(1);
  });
  assert.throws(() => decode(Buffer.concat([header, value])), /nested more than 64/);
});

test('every truncation of a payload is refused with a CompactPayloadError', () => {
  for (const bytes of [requestBytes(3, { handle: 'h', prototype: 'int f(int)', args: VALUES, declarations: 'd', options: { repeat: 2, convention: 'stdcall' } }), resultBytes(4, CALL_RESULT)]) {
    for (let end = 0; end < bytes.length; end++) {
      assert.throws(() => decodeCompactPayload(bytes, 0, end), CompactPayloadError, `cut at ${end} of ${bytes.length}`);
    }
    assert.throws(() => decode(Buffer.concat([bytes, Buffer.of(0)])), /left over/);
  }
});

test('counts larger than the payload are refused before any item is read', () => {
  const bytes = handMadeRequest((out) => {
    out.u8(0);
    out.u32(0xffffffff);
  });
  assert.throws(() => decode(bytes), /claims 4294967295 items/);
  const object = Buffer.concat([bytes.subarray(0, bytes.length - 4), Buffer.of(1, 0, 0, 0, 7, 0xff, 0xff, 0, 0)]);
  assert.throws(() => decode(object), /claims 65535 items/);
});

test('unknown tags, value kinds and conventions are refused', () => {
  assert.throws(() => decode(Buffer.of(0x1f)), /unknown payload tag 31/);
  const withValue = (tag: number) => handMadeRequest((out) => {
    out.u8(0);
    out.u32(1);
    out.u8(tag);
  });
  assert.throws(() => decode(withValue(0x42)), /unknown value tag 66/);
  const badConvention = handMadeRequest((out) => {
    out.u8(4);
    out.u8(9);
    out.u32(0);
  });
  assert.throws(() => decode(badConvention), /unknown calling convention 9/);
});

test('random corruption gives a message or a CompactPayloadError, nothing else', () => {
  const original = resultBytes(5, CALL_RESULT);
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let round = 0; round < 2000; round++) {
    const bytes = Buffer.from(original);
    for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) bytes[1 + Math.floor(random() * (bytes.length - 1))] = Math.floor(random() * 256);
    try {
      decode(bytes);
    } catch (error) {
      assert.ok(error instanceof CompactPayloadError, `round ${round}: ${(error as Error).stack}`);
    }
  }
});

test('the writer grows from a tiny buffer and keeps what it wrote', () => {
  const out = new ByteWriter(1);
  for (const value of VALUES) writeValue(out, value);
  const again = new ByteWriter(1 << 16);
  for (const value of VALUES) writeValue(again, value);
  assert.ok(out.bytes.length >= out.at);
  assert.deepEqual(out.bytes.subarray(0, out.at), again.bytes.subarray(0, again.at));
});
