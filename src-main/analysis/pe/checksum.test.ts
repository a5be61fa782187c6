import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReader } from './file-reader.ts';
import { readChecksum } from './checksum.ts';
import { PYTHON } from '../../test-support/tools.ts';

const ORACLE = `
import json, sys, pefile
pe = pefile.PE(sys.argv[1], fast_load=True)
print(json.dumps({"stored": pe.OPTIONAL_HEADER.CheckSum, "computed": pe.generate_checksum(),
  "field": pe.OPTIONAL_HEADER.get_file_offset() + 64}))
`;
const SAMPLES = [
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/comctl32.dll',
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/kernelbase.dll',
  '/usr/lib/i386-linux-gnu/wine/i386-windows/user32.dll',
  '/usr/lib/i386-linux-gnu/wine/i386-windows/msvcrt.dll',
  '/usr/x86_64-w64-mingw32/lib/zlib1.dll',
  '/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/t32.exe',
].filter((path) => existsSync(path));

function pefileChecksum(path: string): { stored: number; computed: number; field: number } {
  return JSON.parse(execFileSync(PYTHON, ['-c', ORACLE, path], { encoding: 'utf8' }));
}

function checksumOf(reader: FileReader, field: number, stored: number) {
  return readChecksum(reader, field, stored)!;
}

test('PE checksum equals pefile generate_checksum() on real Wine, MinGW and MSVC files', (t) => {
  if (SAMPLES.length === 0) return t.skip('no Wine or MinGW DLLs on this machine');
  for (const path of SAMPLES) {
    const expected = pefileChecksum(path);
    const reader = FileReader.open(path);
    try {
      const info = checksumOf(reader, expected.field, expected.stored);
      assert.equal(info.computed, expected.computed, path);
      assert.equal(info.matches, expected.stored === 0 ? null : expected.stored === expected.computed, path);
    } finally {
      reader.close();
    }
  }
});

test('an odd-length file (one overlay byte appended) matches pefile, and a changed byte changes the sum', (t) => {
  if (SAMPLES.length === 0) return t.skip('no sample DLLs on this machine');
  const dir = mkdtempSync(join(tmpdir(), 'thunk-checksum-'));
  const odd = join(dir, 'odd.dll');
  writeFileSync(odd, Buffer.concat([readFileSync(SAMPLES[0]!), Buffer.from([0x5a])]));
  const expected = pefileChecksum(odd);
  const reader = FileReader.open(odd);
  const info = checksumOf(reader, expected.field, expected.stored);
  reader.close();
  assert.equal(info.computed, expected.computed);
  const changed = readFileSync(odd);
  changed[changed.length - 1] = 0x5b;
  assert.notEqual(checksumOf(FileReader.fromBuffer(changed), expected.field, expected.stored).computed, expected.computed);
});

test('the stored checksum field itself does not count, and a matching stored value reports matches', (t) => {
  if (SAMPLES.length === 0) return t.skip('no sample DLLs on this machine');
  const expected = pefileChecksum(SAMPLES[0]!);
  const bytes = readFileSync(SAMPLES[0]!);
  bytes.writeUInt32LE(expected.computed, expected.field);
  const info = checksumOf(FileReader.fromBuffer(bytes), expected.field, expected.computed);
  assert.deepEqual(info, { stored: expected.computed, computed: expected.computed, matches: true });
  assert.equal(checksumOf(FileReader.fromBuffer(bytes), expected.field, 0).matches, null);
});

test('the file is streamed in bounded chunks, never read whole', (t) => {
  if (SAMPLES.length === 0) return t.skip('no sample DLLs on this machine');
  const reader = FileReader.open(SAMPLES[1] ?? SAMPLES[0]!);
  let largest = 0;
  const original = reader.bytes.bind(reader);
  reader.bytes = (offset: number, length: number) => {
    largest = Math.max(largest, length);
    return original(offset, length);
  };
  checksumOf(reader, 0xd8, 0);
  reader.close();
  assert.ok(reader.size > 256 * 1024, 'sample should be larger than a few chunks');
  assert.ok(largest <= 64 * 1024, `largest read ${largest}`);
});

test('truncated input and a checksum field past the end do not throw', (t) => {
  if (SAMPLES.length === 0) return t.skip('no sample DLLs on this machine');
  const dir = mkdtempSync(join(tmpdir(), 'thunk-checksum-'));
  const cut = join(dir, 'cut.dll');
  writeFileSync(cut, readFileSync(SAMPLES[0]!).subarray(0, 4097));
  const expected = pefileChecksum(cut);
  assert.equal(checksumOf(FileReader.fromBuffer(readFileSync(cut)), expected.field, 7).computed, expected.computed);
  const tiny = checksumOf(FileReader.fromBuffer(Buffer.from([1, 2, 3])), 0x7fffffff, 5);
  assert.deepEqual(tiny, { stored: 5, computed: 0x0201 + 3 + 3, matches: false });
});
