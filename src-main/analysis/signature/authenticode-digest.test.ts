import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FileReader } from '../pe/file-reader.ts';
import { parsePeFile } from '../pe/parse-pe.ts';
import { FIXTURE_ARCHES, fixturePath } from '../../test-support/fixtures.ts';
import { authenticodeDigests, authenticodeLayout, hashedRanges } from './authenticode-digest.ts';
import { createHash } from 'node:crypto';

test('the ranges skip the CheckSum field and the certificate directory entry, and stop at the table', () => {
  const layout = { checksumOffset: 0xd8, certificateDirectoryOffset: 0x128, certificateTableOffset: 0x4000, fileSize: 0x5000 };
  assert.deepEqual(hashedRanges(layout), [[0, 0xd8], [0xdc, 0x128], [0x130, 0x4000]]);
  assert.deepEqual(hashedRanges({ ...layout, certificateTableOffset: null }), [[0, 0xd8], [0xdc, 0x128], [0x130, 0x5000]]);
  assert.deepEqual(hashedRanges({ ...layout, certificateDirectoryOffset: null }), [[0, 0xd8], [0xdc, 0x4000]]);
});

test('the layout points at the CheckSum and certificate directory fields of PE32 and PE32+ fixtures', () => {
  for (const arch of FIXTURE_ARCHES) {
    const path = fixturePath('calling-conventions', arch);
    const image = parsePeFile(path, { entropy: false });
    const layout = authenticodeLayout(image)!;
    const bytes = readFileSync(path);
    assert.equal(bytes.readUInt32LE(layout.checksumOffset), image.optionalHeader!.checksum, arch);
    // The certificate directory is the 5th; the next one (base relocations) follows it.
    const relocations = image.optionalHeader!.dataDirectories[5]!;
    assert.equal(bytes.readUInt32LE(layout.certificateDirectoryOffset! + 8), relocations.rva, arch);
    assert.equal(layout.certificateTableOffset, null, `${arch} fixture is unsigned`);
  }
});

test('an unsigned file is hashed zero-padded to 8 bytes, one digest per algorithm', () => {
  const path = fixturePath('calling-conventions', 'x64');
  const image = parsePeFile(path, { entropy: false });
  const layout = authenticodeLayout(image)!;
  const bytes = readFileSync(path);
  const expected = (name: string) => {
    const hash = createHash(name);
    for (const [start, end] of hashedRanges(layout)) hash.update(bytes.subarray(start, end));
    hash.update(Buffer.alloc((8 - (bytes.length % 8)) % 8));
    return hash.digest('hex');
  };
  const reader = FileReader.fromBuffer(bytes);
  const digests = authenticodeDigests(reader, layout, ['sha1', 'sha256', 'sha1']);
  assert.deepEqual([...digests.keys()], ['sha1', 'sha256']);
  assert.equal(digests.get('sha1')!.toString('hex'), expected('sha1'));
  assert.equal(digests.get('sha256')!.toString('hex'), expected('sha256'));
});
