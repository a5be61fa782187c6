import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readExports } from './exports.ts';
import { CODE, DATA, SectionWriter, contextFor, type SyntheticPe } from '../../test-support/synthetic-pe.ts';

const EDATA = 0x2000;

interface ExportSpec {
  base?: number;
  /** A number is an RVA; a string is a forwarder placed inside the directory. */
  functions: (number | string)[];
  names?: [string, number][];
  declaredFunctions?: number;
  declaredNames?: number;
  patch?: (w: SectionWriter) => void;
  directorySize?: number;
}

// Directory at 0, address table at 0x40, names at 0x400, ordinals at 0x600, strings from 0x800.
function exportPe(spec: ExportSpec): { pe: SyntheticPe; size: number } {
  const w = new SectionWriter(EDATA, 0x1000);
  let strings = 0x800;
  const put = (text: string): number => {
    const rva = w.str(strings, text);
    strings += text.length + 1;
    return rva;
  };
  w.u32(12, put('synthetic.dll')).u32(16, spec.base ?? 1);
  w.u32(20, spec.declaredFunctions ?? spec.functions.length).u32(24, spec.declaredNames ?? (spec.names ?? []).length);
  w.u32(28, w.at(0x40)).u32(32, w.at(0x400)).u32(36, w.at(0x600));
  spec.functions.forEach((f, i) => w.u32(0x40 + i * 4, typeof f === 'number' ? f : put(f)));
  (spec.names ?? []).forEach(([name, index], i) => {
    w.u32(0x400 + i * 4, put(name));
    w.u16(0x600 + i * 2, index);
  });
  spec.patch?.(w);
  const size = spec.directorySize ?? strings;
  const pe: SyntheticPe = {
    sections: [
      { name: '.text', rva: 0x1000, data: Buffer.alloc(0x200, 0xcc), characteristics: CODE },
      { name: '.edata', rva: EDATA, data: w.data },
      { name: '.data', rva: 0x3000, data: Buffer.alloc(0x200), characteristics: DATA },
    ],
  };
  return { pe, size };
}

function read(spec: ExportSpec) {
  const { pe, size } = exportPe(spec);
  const ctx = contextFor(pe);
  const result = readExports(ctx, { index: 0, name: 'export', rva: EDATA, size });
  return { result, issues: ctx.issues.list() };
}

test('named, ordinal-only and forwarded exports with ordinal base, hint, section and kind', () => {
  const { result, issues } = read({
    base: 10,
    functions: [0x1010, 0x3004, 0, 0x1020, 'other.Func', 'other.#12'],
    names: [['Alpha', 0], ['Beta', 1], ['Fwd', 4], ['FwdOrd', 5]],
  });
  assert.deepEqual(issues, []);
  assert.equal(result!.dllName, 'synthetic.dll');
  assert.equal(result!.ordinalBase, 10);
  assert.deepEqual(result!.entries, [
    { ordinal: 10, name: 'Alpha', hint: 0, rva: 0x1010, forwarder: null, section: '.text', kind: 'code' },
    { ordinal: 11, name: 'Beta', hint: 1, rva: 0x3004, forwarder: null, section: '.data', kind: 'data' },
    { ordinal: 13, name: null, hint: null, rva: 0x1020, forwarder: null, section: '.text', kind: 'code' },
    { ordinal: 14, name: 'Fwd', hint: 2, rva: null, forwarder: 'other.Func', section: null, kind: 'forwarder' },
    { ordinal: 15, name: 'FwdOrd', hint: 3, rva: null, forwarder: 'other.#12', section: null, kind: 'forwarder' },
  ]);
});

test('an RVA outside every section is kind unknown', () => {
  const { result } = read({ functions: [0x9000] });
  assert.deepEqual(result!.entries[0], { ordinal: 1, name: null, hint: null, rva: 0x9000, forwarder: null, section: null, kind: 'unknown' });
});

test('a named export with a zero RVA is kept; an unnamed one is a gap', () => {
  const { result } = read({ functions: [0, 0], names: [['Zero', 1]] });
  assert.deepEqual(result!.entries.map((e) => [e.ordinal, e.name, e.rva]), [[2, 'Zero', 0]]);
});

test('the first of two names for one function wins', () => {
  const { result } = read({ functions: [0x1010], names: [['First', 0], ['Second', 0]] });
  assert.deepEqual(result!.entries.map((e) => e.name), ['First']);
});

test('a name whose ordinal index is past the functions is reported and dropped', () => {
  const { result, issues } = read({ functions: [0x1010], names: [['Good', 0], ['Bad', 7]] });
  assert.deepEqual(result!.entries.map((e) => e.name), ['Good']);
  assert.equal(issues[0]!.structure, 'export ordinal table');
  assert.match(issues[0]!.message, /function index 7, past the 1 functions/);
});

test('a string inside the directory that is not dll.name is reported and kept as an RVA', () => {
  const { result, issues } = read({ functions: ['not a forwarder'] });
  assert.deepEqual([result!.entries[0]!.kind, result!.entries[0]!.section, result!.entries[0]!.forwarder], ['data', '.edata', null]);
  assert.equal(issues[0]!.structure, 'export address table');
});

test('huge NumberOfFunctions is capped and bounded by what the file holds', () => {
  const started = Date.now();
  const { result, issues } = read({ functions: [0x1010], declaredFunctions: 0xffffffff, declaredNames: 0xffffffff });
  assert.ok(Date.now() - started < 2000);
  assert.ok(result!.entries.length < 0x1000);
  assert.ok(issues.some((i) => /capped at 65536/.test(i.message)));
  assert.ok(issues.some((i) => i.structure === 'export address table' && /only \d+ readable/.test(i.message)));
});

test('an export directory whose tables point back at itself terminates', () => {
  const { result, issues } = read({
    functions: [],
    declaredFunctions: 10,
    declaredNames: 10,
    patch: (w) => w.u32(28, EDATA).u32(32, EDATA).u32(36, EDATA),
    directorySize: 0x1000,
  });
  assert.ok(result);
  assert.ok(result.entries.length <= 10);
  assert.ok(issues.length > 0);
});

test('an unbacked directory RVA yields null and an issue', () => {
  const { pe } = exportPe({ functions: [0x1010] });
  const ctx = contextFor(pe);
  assert.equal(readExports(ctx, { index: 0, name: 'export', rva: 0x8000, size: 0x100 }), null);
  assert.match(ctx.issues.list()[0]!.message, /0x8000 is not backed/);
});

test('unbacked name tables leave the functions readable by ordinal', () => {
  const { result, issues } = read({ functions: [0x1010], names: [['Lost', 0]], patch: (w) => w.u32(32, 0x9000) });
  assert.deepEqual(result!.entries.map((e) => [e.ordinal, e.name]), [[1, null]]);
  assert.equal(issues[0]!.structure, 'export name table');
});
