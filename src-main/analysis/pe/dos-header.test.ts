import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileReader } from './file-reader.ts';
import { readDosHeader } from './dos-header.ts';

function mz(size: number, lfanew: number, signature = 'PE\0\0'): Buffer {
  const b = Buffer.alloc(size);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(lfanew >>> 0, 0x3c);
  if (lfanew + 4 <= size) b.write(signature, lfanew, 'latin1');
  return b;
}

const read = (b: Buffer) => readDosHeader(FileReader.fromBuffer(b));

test('finds the PE header through e_lfanew', () => {
  assert.deepEqual(read(mz(0x200, 0x80)), { peHeaderOffset: 0x80 });
  assert.deepEqual(read(mz(0x200, 0x40)), { peHeaderOffset: 0x40 });
});

test('rejects files too small for an MZ header', () => {
  assert.match(read(Buffer.from('MZ')) as string, /too small/);
  assert.match(read(Buffer.alloc(0x3f)) as string, /too small/);
});

test('rejects a missing MZ signature', () => {
  const b = mz(0x200, 0x80);
  b.write('ZM', 0, 'latin1');
  assert.match(read(b) as string, /without the MZ signature/);
});

test('rejects e_lfanew past the end, including values near 2^32', () => {
  assert.match(read(mz(0x100, 0x100 - 23)) as string, /past the end/);
  assert.match(read(mz(0x100, 0xffffffff)) as string, /e_lfanew 0xffffffff\) points past the end/);
  assert.deepEqual(read(mz(0x100, 0x100 - 24)), { peHeaderOffset: 0x100 - 24 });
});

test('says when an MZ program has no PE signature (DOS, NE, LE)', () => {
  assert.match(read(mz(0x200, 0x80, 'NE\0\0')) as string, /without a PE signature/);
  assert.match(read(mz(0x200, 0x80, 'PE\0\x01')) as string, /without a PE signature/);
});
