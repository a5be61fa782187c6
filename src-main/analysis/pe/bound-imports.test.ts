import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBoundImports } from './bound-imports.ts';
import { contextFor, layout, type SyntheticPe } from '../../test-support/synthetic-pe.ts';

// Bound import directories live in the headers; their name offsets count from the directory start.
function boundPe(entries: { dll: string; time: number; refs: { dll: string; time: number }[] }[], extra = 0): { pe: SyntheticPe; at: number } {
  const records: Buffer[] = [];
  const names: string[] = [];
  const nameOffsets = new Map<string, number>();
  const count = entries.reduce((n, e) => n + 1 + e.refs.length, 1);
  let nameAt = count * 8 + extra;
  const offsetOf = (dll: string): number => {
    if (!nameOffsets.has(dll)) {
      nameOffsets.set(dll, nameAt);
      names.push(dll);
      nameAt += dll.length + 1;
    }
    return nameOffsets.get(dll)!;
  };
  for (const entry of entries) {
    const record = Buffer.alloc(8);
    record.writeUInt32LE(entry.time, 0);
    record.writeUInt16LE(offsetOf(entry.dll), 4);
    record.writeUInt16LE(entry.refs.length, 6);
    records.push(record);
    for (const ref of entry.refs) {
      const r = Buffer.alloc(8);
      r.writeUInt32LE(ref.time, 0);
      r.writeUInt16LE(offsetOf(ref.dll), 4);
      records.push(r);
    }
  }
  const bytes = Buffer.concat([...records, Buffer.alloc(8 + extra), Buffer.from(names.map((n) => `${n}\0`).join(''), 'latin1')]);
  const spec: SyntheticPe = { sections: [{ name: '.text', rva: 0x1000, data: Buffer.alloc(0x10) }] };
  const at = layout(spec).sectionTable + 40;
  spec.headerPatches = [{ offset: at, bytes }];
  return { pe: spec, at };
}

function read(pe: SyntheticPe, at: number) {
  const ctx = contextFor(pe);
  return { bound: readBoundImports(ctx, { index: 11, name: 'bound import', rva: at, size: 0x40 }), issues: ctx.issues.list() };
}

test('reads bound descriptors and their forwarder references', () => {
  const { pe, at } = boundPe([
    { dll: 'KERNEL32.dll', time: 0x4a5bc60f, refs: [{ dll: 'NTDLL.DLL', time: 0x4a5bdadb }] },
    { dll: 'USER32.dll', time: 0x4a5bdb3c, refs: [] },
  ]);
  const { bound, issues } = read(pe, at);
  assert.deepEqual(issues, []);
  assert.deepEqual(bound, [
    { dll: 'KERNEL32.dll', timeDateStamp: 0x4a5bc60f, forwarderRefs: [{ dll: 'NTDLL.DLL', timeDateStamp: 0x4a5bdadb }] },
    { dll: 'USER32.dll', timeDateStamp: 0x4a5bdb3c, forwarderRefs: [] },
  ]);
});

test('an empty directory (terminator only) gives nothing', () => {
  const { pe, at } = boundPe([]);
  assert.deepEqual(read(pe, at).bound, []);
});

test('an unreadable name becomes "?" rather than failing the whole table', () => {
  const { pe, at } = boundPe([{ dll: 'A.dll', time: 1, refs: [] }]);
  pe.headerPatches![0]!.bytes.writeUInt16LE(0xfff0, 4);
  assert.deepEqual(read(pe, at).bound, [{ dll: '?', timeDateStamp: 1, forwarderRefs: [] }]);
});

test('a directory outside the file gives an issue', () => {
  const { pe } = boundPe([]);
  const { bound, issues } = read(pe, 0x9000);
  assert.deepEqual(bound, []);
  assert.equal(issues[0]!.structure, 'bound import directory');
});

test('a reference count larger than the file holds stops at the end of the file', () => {
  const { pe, at } = boundPe([{ dll: 'A.dll', time: 1, refs: [] }]);
  pe.headerPatches![0]!.bytes.writeUInt16LE(0xffff, 6);
  const { bound } = read(pe, at);
  assert.equal(bound[0]!.dll, 'A.dll');
  assert.ok(bound[0]!.forwarderRefs.length < 0xffff);
});
