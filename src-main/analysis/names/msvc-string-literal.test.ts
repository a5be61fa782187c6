import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStringLiteral, escapeChar } from './msvc-string-literal.ts';

test('characters are escaped as C source would spell them', () => {
  assert.equal(escapeChar(0x41), 'A');
  assert.equal(escapeChar(0), '\\0');
  assert.equal(escapeChar(10), '\\n');
  assert.equal(escapeChar(0x22), '\\"');
  assert.equal(escapeChar(0x5c), '\\\\');
  assert.equal(escapeChar(0xe9), '\\xE9');
  assert.equal(escapeChar(0x263a), '\\x263A');
  assert.equal(escapeChar(0x1f600), '\\x01F600');
});

test('narrow literals decode, dropping the terminator, and note truncation', () => {
  assert.deepEqual(decodeStringLiteral('hello?$AA@', 0, false, 6n), { end: 10, prefix: '', text: 'hello', truncated: false });
  assert.deepEqual(decodeStringLiteral('a?6b?$AA@', 0, false, 4n), { end: 9, prefix: '', text: 'a\\nb', truncated: false });
  assert.deepEqual(decodeStringLiteral('abc@', 0, false, 40n), { end: 4, prefix: '', text: 'abc', truncated: true });
});

test('the character width is guessed from null bytes', () => {
  const utf16 = decodeStringLiteral('a?$AAb?$AA?$AA?$AA@', 0, false, 6n);
  assert.equal(utf16?.prefix, 'u');
  assert.equal(utf16?.text, 'ab');
  const wide = decodeStringLiteral('?$AAh?$AAi?$AA?$AA@', 0, true, 6n);
  assert.deepEqual(wide, { end: 19, prefix: 'L', text: 'hi', truncated: false });
});

test('malformed literals are rejected', () => {
  assert.equal(decodeStringLiteral('abc', 0, false, 3n), null);
  assert.equal(decodeStringLiteral('?$za@', 0, false, 1n), null);
  assert.equal(decodeStringLiteral('?', 0, false, 1n), null);
  assert.equal(decodeStringLiteral(`${'a'.repeat(200)}@`, 0, false, 200n), null);
  assert.equal(decodeStringLiteral('?$AAt@', 0, true, 3n), null);
});
