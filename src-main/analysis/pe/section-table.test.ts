import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FileReader } from './file-reader.ts';
import { IssueLog } from './parse-issues.ts';
import { entropyOf, readSectionTable } from './section-table.ts';
import { FIXTURE_ARCHES, fixturePath } from '../../test-support/fixtures.ts';

// Independent of entropyOf: frequencies from a Map, natural logs converted to bits.
function referenceEntropy(bytes: Uint8Array): number {
  const counts = new Map<number, number>();
  for (const byte of bytes) counts.set(byte, (counts.get(byte) ?? 0) + 1);
  let sum = 0;
  for (const count of counts.values()) sum += (count / bytes.length) * Math.log(bytes.length / count);
  return sum / Math.LN2;
}

function tableOf(image: Buffer): { offset: number; count: number } {
  const pe = image.readUInt32LE(0x3c);
  return { offset: pe + 24 + image.readUInt16LE(pe + 20), count: image.readUInt16LE(pe + 6) };
}

function sectionEntry(name: string, fields: { vsize: number; rva: number; rawSize: number; rawPtr: number; flags: number }): Buffer {
  const b = Buffer.alloc(40);
  b.write(name, 0, 'latin1');
  b.writeUInt32LE(fields.vsize, 8);
  b.writeUInt32LE(fields.rva, 12);
  b.writeUInt32LE(fields.rawSize, 16);
  b.writeUInt32LE(fields.rawPtr, 20);
  b.writeUInt32LE(fields.flags >>> 0, 36);
  return b;
}

for (const arch of FIXTURE_ARCHES) {
  test(`section entropy of the ${arch} fixture matches an independent computation`, () => {
    const image = readFileSync(fixturePath('version-and-manifest', arch));
    const { offset, count } = tableOf(image);
    const sections = readSectionTable(FileReader.fromBuffer(image), offset, count, new IssueLog(), true);
    assert.equal(sections.length, count);
    for (const section of sections) {
      if (section.sizeOfRawData === 0) {
        assert.equal(section.entropy, null);
        continue;
      }
      const raw = image.subarray(section.pointerToRawData, section.pointerToRawData + section.sizeOfRawData);
      assert.ok(Math.abs(section.entropy! - referenceEntropy(raw)) <= 0.0005, `${section.name}: ${section.entropy} vs ${referenceEntropy(raw)}`);
    }
    assert.ok(sections.some((s) => s.name === '.text' && s.isCode && s.isExecutable && !s.isWritable));
    assert.ok(sections.some((s) => s.name === '.rsrc' && !s.isCode));
  });
}

test('entropyOf: 0 for one repeated byte or no bytes, 8 for a uniform spread, 1 for two halves', () => {
  const h = new Uint32Array(256);
  assert.equal(entropyOf(h, 0), 0);
  h[7] = 100;
  assert.equal(entropyOf(h, 100), 0);
  const uniform = new Uint32Array(256).fill(4);
  assert.equal(entropyOf(uniform, 1024), 8);
  const halves = new Uint32Array(256);
  halves[0] = 50;
  halves[255] = 50;
  assert.equal(entropyOf(halves, 100), 1);
});

test('reads names (including 8-character ones without NUL), addresses and flags', () => {
  const table = Buffer.concat([
    sectionEntry('.text', { vsize: 0x1234, rva: 0x1000, rawSize: 0x1400, rawPtr: 0x400, flags: 0x60000020 }),
    sectionEntry('.longnam', { vsize: 0x10, rva: 0x3000, rawSize: 0, rawPtr: 0, flags: 0xc0000080 }),
  ]);
  const image = Buffer.concat([table, Buffer.alloc(0x1800 - table.length)]);
  const sections = readSectionTable(FileReader.fromBuffer(image), 0, 2, new IssueLog(), false);
  assert.equal(sections[0]!.name, '.text');
  assert.deepEqual([sections[0]!.virtualSize, sections[0]!.virtualAddress, sections[0]!.sizeOfRawData, sections[0]!.pointerToRawData], [0x1234, 0x1000, 0x1400, 0x400]);
  assert.deepEqual(sections[0]!.flags, ['CODE', 'EXECUTE', 'READ']);
  assert.equal(sections[0]!.entropy, null);
  assert.equal(sections[1]!.name, '.longnam');
  assert.deepEqual(sections[1]!.flags, ['UNINITIALIZED_DATA', 'READ', 'WRITE']);
  assert.equal(sections[1]!.isWritable, true);
});

test('a table declared longer than the file reads what fits and reports it', () => {
  const table = Buffer.concat([0, 1, 2].map((i) => sectionEntry(`.s${i}`, { vsize: 1, rva: 0x1000 * (i + 1), rawSize: 0, rawPtr: 0, flags: 0x40000040 })));
  const issues = new IssueLog();
  const sections = readSectionTable(FileReader.fromBuffer(Buffer.concat([Buffer.alloc(8), table, Buffer.alloc(20)])), 8, 60, issues, true);
  assert.equal(sections.length, 3);
  assert.equal(issues.list()[0]!.offset, 8);
  assert.match(issues.list()[0]!.message, /60 sections declared; only 3 read \(the table runs past the end of the file\)/);
});

test('caps the number of sections read even when the file holds more', () => {
  const entry = sectionEntry('.x', { vsize: 1, rva: 0x1000, rawSize: 0, rawPtr: 0, flags: 0 });
  const image = Buffer.concat(Array.from({ length: 3000 }, () => entry));
  const issues = new IssueLog();
  const sections = readSectionTable(FileReader.fromBuffer(image), 0, 3000, issues, false);
  assert.equal(sections.length, 2048);
  assert.match(issues.list()[0]!.message, /cap 2048/);
});

test('raw data past the end of the file is reported and its entropy covers only what exists', () => {
  const entry = sectionEntry('.data', { vsize: 0x400, rva: 0x1000, rawSize: 0x400, rawPtr: 0x40, flags: 0xc0000040 });
  const tail = Buffer.alloc(0x40);
  for (let i = 0; i < tail.length; i++) tail[i] = i;
  const image = Buffer.concat([entry, Buffer.alloc(0x40 - 40), tail]);
  const issues = new IssueLog();
  const [section] = readSectionTable(FileReader.fromBuffer(image), 0, 1, issues, true);
  assert.equal(issues.list()[0]!.structure, 'section .data');
  assert.equal(issues.list()[0]!.offset, 0);
  assert.equal(section!.entropy, 6);
});
