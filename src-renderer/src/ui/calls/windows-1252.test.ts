import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windows1252Byte, windows1252Char } from './windows-1252.ts';

test('0x80-0x9F hold the euro sign, quotes and dashes; the rest is Latin-1', () => {
  assert.deepEqual(['€', '‚', '’', '“', '—', '™', 'Ÿ'].map((c) => windows1252Byte(c.codePointAt(0)!)), [0x80, 0x82, 0x92, 0x93, 0x97, 0x99, 0x9f]);
  assert.deepEqual(['A', 'é', 'ÿ', '\u00a0'].map((c) => windows1252Byte(c.codePointAt(0)!)), [0x41, 0xe9, 0xff, 0xa0]);
});

test('C1 controls the code page redefines have no byte; its five undefined bytes pass through', () => {
  assert.equal(windows1252Byte(0x80), null, 'U+0080 is not 0x80, which is the euro sign');
  assert.equal(windows1252Byte(0x92), null);
  assert.equal(windows1252Byte(0x81), 0x81);
  assert.equal(windows1252Byte(0x20ac + 1), null);
  assert.equal(windows1252Byte('😀'.codePointAt(0)!), null);
});

test('every byte decodes to the character it encodes from', () => {
  for (let byte = 0; byte <= 0xff; byte++) assert.equal(windows1252Byte(windows1252Char(byte).codePointAt(0)!), byte, `byte 0x${byte.toString(16)}`);
});
