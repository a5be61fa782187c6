import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, encodeFrame, crc32, FrameTooLargeError, type DecodeItem } from './framing.ts';

const frames = (items: DecodeItem[]) => items.filter((i) => i.kind === 'frame').map((i) => (i as { message: unknown }).message);
const garbage = (items: DecodeItem[]) =>
  Buffer.concat(items.filter((i) => i.kind === 'garbage').map((i) => (i as { bytes: Buffer }).bytes)).toString('latin1');

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
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
