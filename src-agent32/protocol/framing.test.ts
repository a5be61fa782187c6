import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, FrameTooLargeError, FrameWriter, encodeFrame, crc32, type DecodeItem } from './framing.ts';
import { writeCallRequest } from './compact-codec.ts';

const frames = (items: DecodeItem[]) => items.filter((i) => i.kind === 'frame').map((i) => (i as { message: unknown }).message);
const garbage = (items: DecodeItem[]) =>
  Buffer.concat(items.filter((i) => i.kind === 'garbage').map((i) => (i as { bytes: Buffer }).bytes)).toString('latin1');

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.from('xx123456789y'), 2, 11), 0xcbf43926);
});

test('crc32 agrees across the table walk and zlib, at every length around the switch and word boundaries', () => {
  const bytes = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 131 + 7) & 0xff));
  // The bitwise definition, as the reference.
  const reference = (data: Uint8Array) => {
    let c = 0xffffffff;
    for (const byte of data) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  for (const length of [0, 1, 3, 4, 5, 7, 8, 149, 383, 384, 385, 1000, 2000]) {
    for (const start of [0, 1, 3]) {
      const end = Math.min(bytes.length, start + length);
      assert.equal(crc32(bytes, start, end), reference(bytes.subarray(start, end)), `length ${length} from ${start}`);
    }
  }
});

test('round-trips frames fed one byte at a time', () => {
  const bytes = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame({ b: 'é' })]);
  const decoder = new FrameDecoder();
  const items: DecodeItem[] = [];
  for (const byte of bytes) items.push(...decoder.push(Buffer.of(byte)));
  assert.deepEqual(frames(items), [{ a: 1 }, { b: 'é' }]);
  assert.equal(garbage(items), '');
  assert.equal(decoder.pendingBytes, 0);
});

test('resynchronises after stray bytes and reports them', () => {
  const decoder = new FrameDecoder();
  const items = decoder.push(Buffer.concat([Buffer.from('hello TH'), encodeFrame(1), Buffer.from('THNx'), encodeFrame(2)]));
  assert.deepEqual(frames(items), [1, 2]);
  assert.equal(garbage(items), 'hello THTHNx');
});

test('holds a partial magic at the end of a chunk', () => {
  const decoder = new FrameDecoder();
  const frame = encodeFrame('x');
  assert.deepEqual(decoder.push(Buffer.concat([Buffer.from('junk'), frame.subarray(0, 2)])).map((i) => i.kind), ['garbage']);
  assert.deepEqual(frames(decoder.push(frame.subarray(2))), ['x']);
});

test('rejects an oversized frame without waiting for it, then resyncs', () => {
  const decoder = new FrameDecoder(64);
  const big = encodeFrame('y'.repeat(200));
  const items = decoder.push(Buffer.concat([big, encodeFrame('ok')]));
  assert.ok(items.some((i) => i.kind === 'error' && i.error === 'too-large'));
  assert.deepEqual(frames(items), ['ok']);
  assert.throws(() => encodeFrame('z'.repeat(100), 64), FrameTooLargeError);
});

test('a fake magic with a bad checksum is skipped', () => {
  const decoder = new FrameDecoder();
  const fake = Buffer.concat([Buffer.from('THNK\x01', 'latin1'), Buffer.from([2, 0, 0, 0]), Buffer.from('{}'), Buffer.from([0, 0, 0, 0])]);
  const items = decoder.push(Buffer.concat([fake, encodeFrame(3)]));
  assert.ok(items.some((i) => i.kind === 'error' && i.error === 'bad-checksum'));
  assert.deepEqual(frames(items), [3]);
});

test('bad version and truncated streams are reported', () => {
  const decoder = new FrameDecoder();
  const frame = encodeFrame(4);
  const wrong = Buffer.from(frame);
  wrong[4] = 9;
  const items = decoder.push(Buffer.concat([wrong, frame.subarray(0, frame.length - 1)]));
  assert.ok(items.some((i) => i.kind === 'error' && i.error === 'bad-version'));
  assert.deepEqual(decoder.end().map((i) => i.kind === 'error' && i.error), ['truncated']);
});

test('a frame writer appends frames into one buffer, reused after clear, and grows for large ones', () => {
  const writer = new FrameWriter(DEFAULT_MAX_FRAME_BYTES, 64);
  writer.append({ a: 1 });
  writer.append({ b: 'é'.repeat(100) });
  assert.deepEqual(frames(new FrameDecoder().push(writer.view())), [{ a: 1 }, { b: 'é'.repeat(100) }]);
  assert.deepEqual(writer.view(), Buffer.concat([encodeFrame({ a: 1 }), encodeFrame({ b: 'é'.repeat(100) })]));
  writer.clear();
  assert.equal(writer.length, 0);
  writer.append(7);
  assert.deepEqual(writer.view(), encodeFrame(7));
});

test('a frame writer refuses an oversized frame and keeps what it had', () => {
  const writer = new FrameWriter(64);
  writer.append('ok');
  assert.throws(() => writer.append('z'.repeat(100)), FrameTooLargeError);
  assert.throws(() => writer.append('é'.repeat(40)), FrameTooLargeError, 'UTF-8 bytes count, not characters');
  assert.deepEqual(frames(new FrameDecoder().push(writer.view())), ['ok']);
});

test('a large frame split over many chunks is decoded once, whole', () => {
  const big = { text: 'x'.repeat(300_000) };
  const bytes = Buffer.concat([encodeFrame(big), encodeFrame('after')]);
  const decoder = new FrameDecoder();
  const items: DecodeItem[] = [];
  for (let at = 0; at < bytes.length; at += 4096) items.push(...decoder.push(bytes.subarray(at, at + 4096)));
  assert.deepEqual(frames(items), [big, 'after']);
  assert.equal(decoder.pendingBytes, 0);
});

test('chunks from a reused read buffer are not aliased by a held partial frame', () => {
  const frame = encodeFrame({ keep: 'me' });
  const reused = Buffer.alloc(frame.length);
  const decoder = new FrameDecoder();
  frame.copy(reused, 0, 0, 10);
  assert.deepEqual(decoder.push(reused.subarray(0, 10)), []);
  reused.fill(0);
  frame.copy(reused, 0, 10);
  assert.deepEqual(frames(decoder.push(reused.subarray(0, frame.length - 10))), [{ keep: 'me' }]);
});

test('compact payloads travel in the same frames as JSON ones and decode to their messages', () => {
  const writer = new FrameWriter(DEFAULT_MAX_FRAME_BYTES, 16);
  const params = { handle: 'h', prototype: 'int add(int a, int b)', args: [2, 3] };
  writer.append({ type: 'request', id: 1, op: 'ping', params: {} });
  writer.appendPayload(writeCallRequest, 2, params);
  writer.append('after');
  assert.deepEqual(frames(new FrameDecoder().push(writer.view())), [
    { type: 'request', id: 1, op: 'ping', params: {} },
    { type: 'request', id: 2, op: 'call', params },
    'after',
  ]);
});

test('a frame whose payload does not decode is reported as bad-payload, and the next frame still arrives', () => {
  const writer = new FrameWriter();
  writer.appendPayload((out) => out.u8(0x1f), undefined, undefined);
  writer.appendPayload((out) => out.u8(0x01), undefined, undefined);
  writer.append('ok');
  const items = new FrameDecoder().push(Buffer.concat([encodeRaw('{not json'), writer.view()]));
  const errors = items.flatMap((i) => (i.kind === 'error' ? [`${i.error}: ${i.detail}`] : []));
  assert.equal(errors.length, 3);
  assert.match(errors[0]!, /^bad-payload: .*JSON/);
  assert.match(errors[1]!, /^bad-payload: unknown payload tag 31/);
  assert.match(errors[2]!, /^bad-payload: payload ends inside the id/);
  assert.deepEqual(frames(items), ['ok']);
});

test('a payload writer that throws leaves the frames before it intact', () => {
  const writer = new FrameWriter();
  writer.append('kept');
  assert.throws(() => writer.appendPayload(() => {
    throw new Error('no');
  }, undefined, undefined), /no/);
  writer.append('next');
  assert.deepEqual(frames(new FrameDecoder().push(writer.view())), ['kept', 'next']);
});

/** A frame around `text` as it is, for payloads no writer would produce. */
function encodeRaw(text: string): Buffer {
  const writer = new FrameWriter();
  writer.appendPayload((out, value: string) => {
    out.reserve(value.length * 3);
    out.at += out.bytes.write(value, out.at, 'utf8');
  }, text, undefined);
  return Buffer.from(writer.view());
}
