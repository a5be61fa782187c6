import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readImports } from './imports.ts';
import { SectionWriter, contextFor, type SyntheticPe } from '../../test-support/synthetic-pe.ts';

const IDATA = 0x2000;
type Thunk = string | number;

interface ModuleSpec {
  dll: string;
  thunks: Thunk[];
  /** Put the names only in the IAT (OriginalFirstThunk 0), as old or bound linkers do. */
  iatOnly?: boolean;
  terminate?: boolean;
}

// Descriptors at 0; per module a lookup table and an IAT at 0x400 + 0x200*i; strings from 0x1800.
function importPe(modules: ModuleSpec[], options: { is64?: boolean; terminator?: boolean; size?: number } = {}): SyntheticPe {
  const is64 = options.is64 ?? false;
  const width = is64 ? 8 : 4;
  const w = new SectionWriter(IDATA, options.size ?? 0x2000);
  let strings = 0x1800;
  modules.forEach((module, i) => {
    const lookup = 0x400 + i * 0x200;
    const iat = lookup + 0x100;
    module.thunks.forEach((thunk, j) => {
      let value: bigint;
      if (typeof thunk === 'number') value = (is64 ? 1n << 63n : 1n << 31n) | BigInt(thunk);
      else {
        value = BigInt(w.hintName(strings, j + 100, thunk));
        strings += thunk.length + 3 + (thunk.length % 2);
      }
      for (const table of [lookup, iat]) {
        if (is64) w.u64(table + j * width, value);
        else w.u32(table + j * width, Number(value));
      }
    });
    if (module.terminate === false) {
      for (let j = module.thunks.length; (j + 1) * width <= 0x100; j++) {
        for (const table of [lookup, iat]) (is64 ? w.u64(table + j * width, 0x7777n) : w.u32(table + j * width, 0x7777));
      }
    }
    const name = w.str(strings, module.dll);
    strings += module.dll.length + 1;
    w.u32(i * 20, module.iatOnly ? 0 : w.at(lookup)).u32(i * 20 + 12, name).u32(i * 20 + 16, w.at(iat));
  });
  return { is64, sections: [{ name: '.idata', rva: IDATA, data: w.data }] };
}

function read(pe: SyntheticPe, rva = IDATA) {
  const ctx = contextFor(pe);
  const modules = readImports(ctx, { index: 1, name: 'import', rva, size: 20 });
  return { modules, issues: ctx.issues.list() };
}

for (const is64 of [false, true]) {
  test(`reads names with hints and ordinals from ${is64 ? '64' : '32'}-bit thunks`, () => {
    const { modules, issues } = read(importPe([
      { dll: 'KERNEL32.dll', thunks: ['GetProcAddress', 'LoadLibraryW'] },
      { dll: 'WS2_32.dll', thunks: [23, 'WSAStartup', 0xffff] },
    ], { is64 }));
    assert.deepEqual(issues, []);
    assert.deepEqual(modules, [
      { dll: 'KERNEL32.dll', functions: [{ name: 'GetProcAddress', hint: 100, ordinal: null }, { name: 'LoadLibraryW', hint: 101, ordinal: null }] },
      { dll: 'WS2_32.dll', functions: [{ name: null, hint: null, ordinal: 23 }, { name: 'WSAStartup', hint: 101, ordinal: null }, { name: null, hint: null, ordinal: 0xffff }] },
    ]);
  });
}

test('a descriptor without a lookup table is read through its IAT', () => {
  const { modules } = read(importPe([{ dll: 'old.dll', thunks: ['OldFunc'], iatOnly: true }]));
  assert.deepEqual(modules[0]!.functions.map((f) => f.name), ['OldFunc']);
});

test('the walk stops at the zero descriptor whatever the directory size says', () => {
  const { modules } = read(importPe([{ dll: 'a.dll', thunks: ['A'] }, { dll: 'b.dll', thunks: ['B'] }, { dll: 'c.dll', thunks: ['C'] }]));
  assert.deepEqual(modules.map((m) => m.dll), ['a.dll', 'b.dll', 'c.dll']);
});

test('descriptors that run off the end of the file without a terminator are reported', () => {
  const pe = importPe([{ dll: 'a.dll', thunks: ['A'] }]);
  // A last section filled to the end of the file with non-zero, unreadable descriptors.
  pe.sections.push({ name: '.tail', rva: 0x5000, data: Buffer.alloc(0x200, 0x11) });
  const { modules, issues } = read(pe, 0x5000);
  assert.deepEqual(modules, []);
  const last = issues[issues.length - 1]!;
  assert.equal(last.structure, 'import directory');
  assert.match(last.message, /without a terminator/);
  const fileSize = contextFor(pe).reader.size;
  assert.equal(last.offset, fileSize - 0x200 + 25 * 20);
  assert.equal(issues.filter((i) => /descriptor skipped/.test(i.message)).length, 25);
});

test('an unreadable module name skips that descriptor with an issue at its offset', () => {
  const pe = importPe([{ dll: 'a.dll', thunks: ['A'] }, { dll: 'b.dll', thunks: ['B'] }]);
  pe.sections[0]!.data.writeUInt32LE(0x9000, 12);
  const { modules, issues } = read(pe);
  assert.deepEqual(modules.map((m) => m.dll), ['b.dll']);
  assert.equal(issues[0]!.structure, 'import descriptor #0');
  assert.equal(issues[0]!.offset, 0x200);
});

test('a thunk table without a terminator ends at the end of the file with an issue', () => {
  const pe = importPe([{ dll: 'a.dll', thunks: ['A'], terminate: false }], { size: 0x1900 });
  const { modules, issues } = read(pe);
  assert.equal(modules[0]!.functions[0]!.name, 'A');
  assert.ok(issues.some((i) => i.structure === 'imports of a.dll' && /no readable hint\/name/.test(i.message)));
});

test('an unbacked directory gives no modules and one issue', () => {
  const { modules, issues } = read(importPe([{ dll: 'a.dll', thunks: ['A'] }]), 0x9000);
  assert.deepEqual(modules, []);
  assert.equal(issues.length, 1);
});
