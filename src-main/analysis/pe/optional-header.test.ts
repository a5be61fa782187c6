import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FileReader } from './file-reader.ts';
import { IssueLog } from './parse-issues.ts';
import { DIRECTORY, decodeDllCharacteristics, directory, readOptionalHeader } from './optional-header.ts';
import { parsePe } from './parse-pe.ts';
import { FIXTURE_ARCHES, fixturePath } from '../../test-support/fixtures.ts';
import { OPTIONAL_OFFSET, buildPe } from '../../test-support/synthetic-pe.ts';
import type { DllCharacteristics } from './pe-image.ts';

// From the PE format specification, independent of the parser's table.
const FLAGS: [number, keyof DllCharacteristics][] = [
  [0x20, 'highEntropyVa'], [0x40, 'dynamicBase'], [0x80, 'forceIntegrity'], [0x100, 'nxCompat'], [0x200, 'noIsolation'],
  [0x400, 'noSeh'], [0x800, 'noBind'], [0x1000, 'appContainer'], [0x2000, 'wdmDriver'], [0x4000, 'guardCf'], [0x8000, 'terminalServerAware'],
];

function optionalOffsetOf(image: Buffer): number {
  return image.readUInt32LE(0x3c) + 24;
}

for (const arch of FIXTURE_ARCHES) {
  test(`every DllCharacteristics flag decodes alone in a patched ${arch} DLL`, () => {
    const original = readFileSync(fixturePath('data-exports', arch));
    const at = optionalOffsetOf(original) + 70;
    for (const [bit, key] of FLAGS) {
      const image = Buffer.from(original);
      image.writeUInt16LE(bit, at);
      const header = parsePe(FileReader.fromBuffer(image), 'patched.dll', { details: false }).optionalHeader!;
      assert.equal(header.dllCharacteristics.value, bit);
      for (const [, other] of FLAGS) assert.equal(header.dllCharacteristics[other], other === key, `${key} set: ${other}`);
    }
  });

  test(`reads the ${arch} fixture's optional header fields where the format puts them`, () => {
    const image = readFileSync(fixturePath('calling-conventions', arch));
    const at = optionalOffsetOf(image);
    const is64 = arch === 'x64';
    const issues = new IssueLog();
    const header = readOptionalHeader(FileReader.fromBuffer(image), at, image.readUInt16LE(at - 4), issues)!;
    assert.equal(header.format, is64 ? 'PE32+' : 'PE32');
    assert.equal(header.magic, is64 ? 0x20b : 0x10b);
    assert.equal(header.addressOfEntryPoint, image.readUInt32LE(at + 16));
    assert.equal(header.imageBase, is64 ? image.readBigUInt64LE(at + 24) : BigInt(image.readUInt32LE(at + 28)));
    assert.equal(header.sectionAlignment, 0x1000);
    assert.equal(header.fileAlignment, 0x200);
    assert.equal(header.sizeOfImage, image.readUInt32LE(at + 56));
    assert.equal(header.sizeOfHeaders, image.readUInt32LE(at + 60));
    assert.equal(header.subsystemCode, 3);
    assert.equal(header.subsystem, 'windows console');
    assert.equal(header.numberOfRvaAndSizes, 16);
    assert.equal(header.dataDirectories.length, 16);
    const exportDir = header.dataDirectories[DIRECTORY.export]!;
    const dirs = at + (is64 ? 0x70 : 0x60);
    assert.deepEqual([exportDir.rva, exportDir.size], [image.readUInt32LE(dirs), image.readUInt32LE(dirs + 4)]);
    assert.equal(exportDir.name, 'export');
    assert.equal(header.dataDirectories[13]!.name, 'delay import');
    assert.deepEqual(issues.list(), []);
  });
}

test('stack and heap reserve are 64-bit in PE32+ and 32-bit in PE32', () => {
  for (const is64 of [false, true]) {
    const image = buildPe({ is64, sections: [] });
    if (is64) {
      image.writeBigUInt64LE(0x123456789an, OPTIONAL_OFFSET + 72);
      image.writeBigUInt64LE(0x2000000000n, OPTIONAL_OFFSET + 88);
    } else {
      image.writeUInt32LE(0x00300000, OPTIONAL_OFFSET + 72);
      image.writeUInt32LE(0x00100000, OPTIONAL_OFFSET + 80);
    }
    const header = readOptionalHeader(FileReader.fromBuffer(image), OPTIONAL_OFFSET, is64 ? 0xf0 : 0xe0, new IssueLog())!;
    assert.equal(header.sizeOfStackReserve, is64 ? 0x123456789an : 0x300000n);
    assert.equal(header.sizeOfHeapReserve, is64 ? 0x2000000000n : 0x100000n);
  }
});

test('an unknown magic yields null and an issue at the header', () => {
  const image = buildPe({ sections: [] });
  image.writeUInt16LE(0x107, OPTIONAL_OFFSET);
  const issues = new IssueLog();
  assert.equal(readOptionalHeader(FileReader.fromBuffer(image), OPTIONAL_OFFSET, 0xe0, issues), null);
  assert.equal(issues.list()[0]!.offset, OPTIONAL_OFFSET);
  assert.match(issues.list()[0]!.message, /0x107/);
});

test('NumberOfRvaAndSizes above 16 reads 16 directories and says so', () => {
  const image = buildPe({ sections: [] });
  image.writeUInt32LE(0x40000, OPTIONAL_OFFSET + 0x5c);
  const issues = new IssueLog();
  const header = readOptionalHeader(FileReader.fromBuffer(image), OPTIONAL_OFFSET, 0xe0, issues)!;
  assert.equal(header.numberOfRvaAndSizes, 0x40000);
  assert.equal(header.dataDirectories.length, 16);
  assert.equal(issues.list()[0]!.offset, OPTIONAL_OFFSET + 0x5c);
});

test('fewer directories when NumberOfRvaAndSizes is small; absent directories are null', () => {
  const image = buildPe({ sections: [], directories: { 1: [0x2000, 40], 13: [0x3000, 64] } });
  image.writeUInt32LE(2, OPTIONAL_OFFSET + 0x5c);
  const header = readOptionalHeader(FileReader.fromBuffer(image), OPTIONAL_OFFSET, 0xe0, new IssueLog())!;
  assert.equal(header.dataDirectories.length, 2);
  assert.deepEqual(directory(header.dataDirectories, 1), { index: 1, name: 'import', rva: 0x2000, size: 40 });
  assert.equal(directory(header.dataDirectories, 0), null);
  assert.equal(directory(header.dataDirectories, 13), null);
});

test('a SizeOfOptionalHeader too small for the directories is reported, fields still read', () => {
  const image = buildPe({ sections: [], directories: { 0: [0x1000, 0x50] } });
  const issues = new IssueLog();
  const header = readOptionalHeader(FileReader.fromBuffer(image), OPTIONAL_OFFSET, 0x60, issues)!;
  assert.equal(header.dataDirectories[0]!.rva, 0x1000);
  assert.match(issues.list()[0]!.message, /SizeOfOptionalHeader 96/);
});

test('a header cut by the end of the file reads as zeros', () => {
  const image = buildPe({ sections: [] }).subarray(0, OPTIONAL_OFFSET + 20);
  const header = readOptionalHeader(FileReader.fromBuffer(image), OPTIONAL_OFFSET, 0xe0, new IssueLog())!;
  assert.equal(header.format, 'PE32');
  assert.equal(header.sizeOfImage, 0);
  assert.equal(header.numberOfRvaAndSizes, 0);
  assert.deepEqual(header.dataDirectories, []);
});

test('decodeDllCharacteristics keeps the raw value and decodes a combination', () => {
  const decoded = decodeDllCharacteristics(0x8160);
  assert.equal(decoded.value, 0x8160);
  assert.deepEqual(FLAGS.filter(([, key]) => decoded[key]).map(([bit]) => bit), [0x20, 0x40, 0x100, 0x8000]);
});
