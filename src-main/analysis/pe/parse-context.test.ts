import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressSpace } from './parse-context.ts';
import type { Section } from './pe-image.ts';

function section(name: string, virtualAddress: number, virtualSize: number, pointerToRawData: number, sizeOfRawData: number): Section {
  return { name, virtualAddress, virtualSize, pointerToRawData, sizeOfRawData, characteristics: 0, flags: [], isCode: false, isExecutable: false, isWritable: false, entropy: null };
}

const text = section('.text', 0x1000, 0x1800, 0x400, 0x1800);
const bss = section('.bss', 0x3000, 0x2000, 0, 0);
const data = section('.data', 0x5000, 0x300, 0x1c00, 0x200);
const space = new AddressSpace([text, bss, data], 0x400, 0x200, 0x1e00);

test('maps an RVA inside a section to its raw offset, at both edges', () => {
  assert.equal(space.rvaToOffset(0x1000), 0x400);
  assert.equal(space.rvaToOffset(0x1234), 0x634);
  assert.equal(space.rvaToOffset(0x27ff), 0x1bff);
  assert.equal(space.rvaToOffset(0x5000), 0x1c00);
  assert.equal(space.rvaToOffset(0x51ff), 0x1dff);
});

test('virtual-only bytes (bss, the tail past SizeOfRawData) have no file offset', () => {
  assert.equal(space.rvaToOffset(0x3000), null);
  assert.equal(space.rvaToOffset(0x4fff), null);
  assert.equal(space.rvaToOffset(0x5200), null);
  assert.equal(space.rvaToOffset(0x52ff), null);
});

test('gaps between sections and RVAs past the image map nowhere', () => {
  assert.equal(space.rvaToOffset(0x2800), null);
  assert.equal(space.rvaToOffset(0x5300), null);
  assert.equal(space.rvaToOffset(0xffffffff), null);
});

test('RVAs in the headers map to themselves, at least the first 0x200 bytes', () => {
  assert.equal(space.rvaToOffset(0), 0);
  assert.equal(space.rvaToOffset(0x3ff), 0x3ff);
  assert.equal(space.rvaToOffset(0x400), null);
  const small = new AddressSpace([], 0x80, 0x200, 0x1000);
  assert.equal(small.rvaToOffset(0x1ff), 0x1ff);
  assert.equal(small.rvaToOffset(0x200), null);
  const tiny = new AddressSpace([], 0x400, 0x200, 0x100);
  assert.equal(tiny.rvaToOffset(0xff), 0xff);
  assert.equal(tiny.rvaToOffset(0x100), null);
});

test('rejects negative, fractional and unsafe RVAs', () => {
  for (const rva of [-1, 1.5, Number.NaN, 2 ** 60]) assert.equal(space.rvaToOffset(rva), null, String(rva));
});

test('PointerToRawData is rounded down to 512 when FileAlignment is at least 512', () => {
  const odd = section('.odd', 0x1000, 0x100, 0x3ff, 0x100);
  assert.equal(new AddressSpace([odd], 0x200, 0x200, 0x1000).rvaToOffset(0x1010), 0x210);
  assert.equal(new AddressSpace([odd], 0x200, 0x1000, 0x1000).rvaToOffset(0x1010), 0x210);
  assert.equal(new AddressSpace([odd], 0x200, 0x20, 0x1000).rvaToOffset(0x1010), 0x40f);
});

test('a VirtualSize of 0 falls back to SizeOfRawData', () => {
  const packed = section('UPX0', 0x1000, 0, 0x200, 0x400);
  const s = new AddressSpace([packed], 0x200, 0x200, 0x1000);
  assert.equal(s.rvaToOffset(0x13ff), 0x5ff);
  assert.equal(s.rvaToOffset(0x1400), null);
});

test('SizeOfRawData larger than VirtualSize still maps the raw bytes', () => {
  const s = new AddressSpace([section('.r', 0x1000, 0x10, 0x200, 0x200)], 0x200, 0x200, 0x1000);
  assert.equal(s.rvaToOffset(0x11ff), 0x3ff);
});

test('offsets at or past the end of the file are null even inside a section', () => {
  const cut = new AddressSpace([text], 0x400, 0x200, 0x800);
  assert.equal(cut.rvaToOffset(0x13ff), 0x7ff);
  assert.equal(cut.rvaToOffset(0x1400), null);
});

test('sectionOf finds the section by virtual span, including bss', () => {
  assert.equal(space.sectionOf(0x1000)?.name, '.text');
  assert.equal(space.sectionOf(0x4fff)?.name, '.bss');
  assert.equal(space.sectionOf(0x52ff)?.name, '.data');
  assert.equal(space.sectionOf(0x5300), null);
  assert.equal(space.sectionOf(0x100), null);
});

test('vaToRva subtracts the image base and rejects out-of-range results', () => {
  assert.equal(space.vaToRva(0x10001234n, 0x10000000n), 0x1234);
  assert.equal(space.vaToRva(0x180002000n, 0x180000000n), 0x2000);
  assert.equal(space.vaToRva(0xfffn, 0x1000n), null);
  assert.equal(space.vaToRva(0x1_0000_1000n, 0x1000n), null);
});
