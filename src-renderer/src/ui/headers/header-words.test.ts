import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entropyBand, hex, sizeWords, stampWords } from './header-words.ts';

test('hex pads and keeps high bits unsigned', () => {
  assert.equal(hex(0x1000), '0x00001000');
  assert.equal(hex(0xe0000020), '0xe0000020');
  assert.equal(sizeWords(6656), '0x1a00 (6,656)');
});

test('timestamps: a date in UTC, 0 as not set, a reproducible-build hash said as such', () => {
  assert.equal(stampWords(0), '0 (not set)');
  assert.equal(stampWords(1700000000), '2023-11-14 22:13:20 UTC (0x6553f100)');
  assert.match(stampWords(0xf0000000), /a hash, not a date/);
});

test('entropy bands', () => {
  assert.equal(entropyBand(7.9), 'high');
  assert.equal(entropyBand(6.1), 'normal');
  assert.equal(entropyBand(0.2), 'low');
});
