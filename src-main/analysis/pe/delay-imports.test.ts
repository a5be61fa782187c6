import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDelayImports } from './delay-imports.ts';
import { SectionWriter, contextFor, type SyntheticPe } from '../../test-support/synthetic-pe.ts';

const DIDAT = 0x2000;
const BASE32 = 0x10000000n;

// One module per descriptor; RVA-based (attributes 1) or old VA-based (attributes 0, PE32 only).
function delayPe(modules: { dll: string; thunks: (string | number)[] }[], options: { vaBased?: boolean; is64?: boolean } = {}): SyntheticPe {
  const is64 = options.is64 ?? false;
  const width = is64 ? 8 : 4;
  const w = new SectionWriter(DIDAT, 0x1000);
  const ref = (rva: number): number => (options.vaBased ? Number(BASE32) + rva : rva);
  let strings = 0xc00;
  modules.forEach((module, i) => {
    const names = 0x400 + i * 0x100;
    module.thunks.forEach((thunk, j) => {
      const value = typeof thunk === 'number' ? (is64 ? 1n << 63n : 1n << 31n) | BigInt(thunk) : BigInt(ref(w.hintName(strings, j, thunk)));
      if (typeof thunk === 'string') strings += thunk.length + 4;
      if (is64) w.u64(names + j * width, value);
      else w.u32(names + j * width, Number(value));
    });
    const name = w.str(strings, module.dll);
    strings += module.dll.length + 1;
    w.u32(i * 32, options.vaBased ? 0 : 1).u32(i * 32 + 4, ref(name)).u32(i * 32 + 8, ref(w.at(0x300))).u32(i * 32 + 12, ref(w.at(0x380))).u32(i * 32 + 16, ref(w.at(names)));
  });
  return { is64, imageBase: is64 ? undefined : BASE32, sections: [{ name: '.didat', rva: DIDAT, data: w.data }] };
}

function read(pe: SyntheticPe, rva = DIDAT) {
  const ctx = contextFor(pe);
  const modules = readDelayImports(ctx, { index: 13, name: 'delay import', rva, size: 64 });
  return { modules, issues: ctx.issues.list() };
}

for (const is64 of [false, true]) {
  test(`RVA-based descriptors (${is64 ? 'PE32+' : 'PE32'}) give names and ordinals`, () => {
    const { modules, issues } = read(delayPe([{ dll: 'user32.dll', thunks: ['MessageBoxW', 7] }, { dll: 'late.dll', thunks: ['LateFunc'] }], { is64 }));
    assert.deepEqual(issues, []);
    assert.deepEqual(modules, [
      { dll: 'user32.dll', rvaBased: true, functions: [{ name: 'MessageBoxW', hint: 0, ordinal: null }, { name: null, hint: null, ordinal: 7 }] },
      { dll: 'late.dll', rvaBased: true, functions: [{ name: 'LateFunc', hint: 0, ordinal: null }] },
    ]);
  });
}

test('old VA-based descriptors are translated through the image base', () => {
  const { modules, issues } = read(delayPe([{ dll: 'old.dll', thunks: ['OldFunc', 3] }], { vaBased: true }));
  assert.deepEqual(issues, []);
  assert.deepEqual(modules, [{ dll: 'old.dll', rvaBased: false, functions: [{ name: 'OldFunc', hint: 0, ordinal: null }, { name: null, hint: null, ordinal: 3 }] }]);
});

test('a VA-based descriptor whose addresses lie below the image base is skipped with an issue', () => {
  const pe = delayPe([{ dll: 'old.dll', thunks: ['OldFunc'] }], { vaBased: true });
  pe.sections[0]!.data.writeUInt32LE(0x2000, 4);
  const { modules, issues } = read(pe);
  assert.deepEqual(modules, []);
  assert.equal(issues[0]!.structure, 'delay import descriptor #0');
  assert.equal(issues[0]!.offset, 0x200);
});

test('descriptors running off the end of the file are reported', () => {
  const pe = delayPe([{ dll: 'a.dll', thunks: ['A'] }]);
  pe.sections.push({ name: '.tail', rva: 0x5000, data: Buffer.alloc(0x200, 0x01) });
  const { modules, issues } = read(pe, 0x5000 + 0x200 - 16);
  assert.deepEqual(modules, []);
  assert.match(issues[issues.length - 1]!.message, /without a terminator/);
});

test('an unbacked directory gives an issue and nothing else', () => {
  const { modules, issues } = read(delayPe([{ dll: 'a.dll', thunks: ['A'] }]), 0x7000);
  assert.deepEqual(modules, []);
  assert.equal(issues[0]!.structure, 'delay import directory');
});
