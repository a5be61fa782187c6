import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileReader } from './file-reader.ts';
import { flagNames, machineName, readFileHeader } from './file-header.ts';

function header(fields: { machine: number; sections: number; time: number; symbols?: number; optSize: number; characteristics: number }): Buffer {
  const b = Buffer.alloc(24 + 20);
  b.writeUInt16LE(fields.machine, 24);
  b.writeUInt16LE(fields.sections, 26);
  b.writeUInt32LE(fields.time, 28);
  b.writeUInt32LE(0x1234, 32);
  b.writeUInt32LE(fields.symbols ?? 0, 36);
  b.writeUInt16LE(fields.optSize, 40);
  b.writeUInt16LE(fields.characteristics, 42);
  return b;
}

test('names every machine code the guide lists', () => {
  const expected: [number, string][] = [
    [0x14c, 'x86'], [0x8664, 'x64'], [0xaa64, 'arm64'], [0xa641, 'arm64ec'], [0xa64e, 'arm64x'], [0x1c4, 'arm'], [0x200, 'ia64'], [0x9041, 'unknown'], [0, 'unknown'],
  ];
  for (const [code, name] of expected) assert.equal(machineName(code), name, `0x${code.toString(16)}`);
});

test('flagNames lists set bits in table order', () => {
  const table = [[1, 'A'], [4, 'C'], [2, 'B']] as const;
  assert.deepEqual(flagNames(0, table), []);
  assert.deepEqual(flagNames(7, table), ['A', 'C', 'B']);
  assert.deepEqual(flagNames(0x10 | 4, table), ['C']);
});

test('reads every COFF field at its offset', () => {
  const time = Date.UTC(2020, 4, 17, 12, 0, 0) / 1000;
  const h = readFileHeader(FileReader.fromBuffer(header({ machine: 0x8664, sections: 7, time, symbols: 9, optSize: 0xf0, characteristics: 0x2022 })), 24);
  assert.equal(h.machineCode, 0x8664);
  assert.equal(h.machine, 'x64');
  assert.equal(h.numberOfSections, 7);
  assert.equal(h.timeDateStamp, time);
  assert.equal(h.timestamp, '2020-05-17T12:00:00.000Z');
  assert.equal(h.pointerToSymbolTable, 0x1234);
  assert.equal(h.numberOfSymbols, 9);
  assert.equal(h.sizeOfOptionalHeader, 0xf0);
  assert.equal(h.characteristics, 0x2022);
  assert.deepEqual(h.characteristicNames, ['EXECUTABLE_IMAGE', 'LARGE_ADDRESS_AWARE', 'DLL']);
  assert.equal(h.isDll, true);
});

test('an EXE is not a DLL; every characteristic bit has a name except the reserved 0x40', () => {
  const h = readFileHeader(FileReader.fromBuffer(header({ machine: 0x14c, sections: 1, time: 0, optSize: 0xe0, characteristics: 0xffff & ~0x2000 })), 24);
  assert.equal(h.isDll, false);
  assert.equal(h.characteristicNames.length, 14);
  assert.ok(!h.characteristicNames.includes('DLL'));
});

test('timestamp is null for 0 and for reproducible-build hashes far in the future', () => {
  const zero = readFileHeader(FileReader.fromBuffer(header({ machine: 0x14c, sections: 1, time: 0, optSize: 0xe0, characteristics: 2 })), 24);
  assert.equal(zero.timestamp, null);
  const hash = readFileHeader(FileReader.fromBuffer(header({ machine: 0x14c, sections: 1, time: 0xf2a1b3c4, optSize: 0xe0, characteristics: 2 })), 24);
  assert.equal(hash.timeDateStamp, 0xf2a1b3c4);
  assert.equal(hash.timestamp, null);
});
