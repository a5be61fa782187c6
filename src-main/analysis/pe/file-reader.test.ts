import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileReader } from './file-reader.ts';

const PAGE = 64 * 1024;

function withTempFile(bytes: Buffer, body: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'thunk-reader-'));
  try {
    const path = join(dir, 'data.bin');
    writeFileSync(path, bytes);
    body(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('reads little-endian words and clips at the end of a buffer', () => {
  const reader = FileReader.fromBuffer(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
  assert.equal(reader.size, 9);
  assert.equal(reader.u8(0), 1);
  assert.equal(reader.u16(1), 0x0302);
  assert.equal(reader.u32(2), 0x06050403);
  assert.equal(reader.u64(1), 0x0908070605040302n);
  assert.equal(reader.u64(2), null);
  assert.equal(reader.u32(6), null);
  assert.equal(reader.u8(9), null);
  assert.deepEqual([...reader.bytes(7, 100)], [8, 9]);
});

test('rejects negative, fractional and unsafe offsets without throwing', () => {
  const reader = FileReader.fromBuffer(Buffer.alloc(16, 0xaa));
  for (const offset of [-1, 0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2, Infinity]) {
    assert.equal(reader.bytes(offset, 4).length, 0, `offset ${offset}`);
    assert.equal(reader.u32(offset), null);
    assert.equal(reader.contains(offset, 1), false);
  }
  assert.equal(reader.bytes(0, 0).length, 0);
  assert.equal(reader.bytes(0, -5).length, 0);
});

test('contains() is true exactly for ranges inside the file', () => {
  const reader = FileReader.fromBuffer(Buffer.alloc(10));
  assert.equal(reader.contains(0, 10), true);
  assert.equal(reader.contains(10, 0), true);
  assert.equal(reader.contains(9, 2), false);
  assert.equal(reader.contains(0, -1), false);
});

test('cString stops at NUL, honours maxLength and returns null without a terminator', () => {
  const reader = FileReader.fromBuffer(Buffer.from('abc\0defgh\0xyz', 'latin1'));
  assert.equal(reader.cString(0, 16), 'abc');
  assert.equal(reader.cString(4, 5), 'defgh');
  assert.equal(reader.cString(4, 4), null);
  assert.equal(reader.cString(10, 16), null);
  assert.equal(reader.cString(3, 4), '');
});

test('ranged reads of a file match the bytes across page boundaries', () => {
  const bytes = randomBytes(PAGE * 6 + 123);
  withTempFile(bytes, (path) => {
    const reader = FileReader.open(path);
    try {
      assert.equal(reader.size, bytes.length);
      const ranges: [number, number][] = [
        [0, 10], [PAGE - 3, 6], [PAGE * 2 - 1, PAGE + 2], [PAGE, PAGE * 5], [bytes.length - 5, 50], [PAGE * 3 + 7, 1],
      ];
      for (const [offset, length] of ranges) {
        const expected = bytes.subarray(offset, Math.min(bytes.length, offset + length));
        assert.ok(reader.bytes(offset, length).equals(expected), `range ${offset}+${length}`);
      }
      assert.equal(reader.u32(PAGE - 2), bytes.readUInt32LE(PAGE - 2));
      assert.equal(reader.u64(PAGE * 4 - 4), bytes.readBigUInt64LE(PAGE * 4 - 4));
    } finally {
      reader.close();
    }
  });
});

test('evicting cached pages does not change what is read', () => {
  const pages = 70;
  const bytes = randomBytes(PAGE * pages);
  withTempFile(bytes, (path) => {
    const reader = FileReader.open(path);
    try {
      for (let round = 0; round < 2; round++) {
        for (let page = 0; page < pages; page++) {
          const at = page * PAGE + ((page * 7919) % (PAGE - 8));
          assert.equal(reader.u64(at), bytes.readBigUInt64LE(at));
        }
      }
    } finally {
      reader.close();
    }
  });
});

test('a closed reader refuses to read from the file', () => {
  withTempFile(randomBytes(100), (path) => {
    const reader = FileReader.open(path);
    reader.close();
    assert.throws(() => reader.bytes(0, 4), /after close/);
    reader.close();
  });
});

test('open() throws the system error for a missing file', () => {
  assert.throws(() => FileReader.open('/nonexistent/thunk/file.dll'), { code: 'ENOENT' });
});
