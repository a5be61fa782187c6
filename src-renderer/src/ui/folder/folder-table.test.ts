import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FolderRow } from '../../../../src-main/contract/api-contract.ts';
import { cellText, filesPerSecond, hasProblem, visibleRows } from './folder-table.ts';

const row = (index: number, name: string, change: Partial<FolderRow> = {}): FolderRow => ({
  index, name, file: `/app/${name}`, status: 'analysed', machine: 'x86', blocking: false,
  verdicts: { x86: { mood: 'loads', error: null }, x64: { mood: 'not-for-host', error: '193 ERROR_BAD_EXE_FORMAT' } },
  problems: { error: 0, warning: 0, info: 1 }, ...change,
});

const rows = [
  row(0, 'b.dll'),
  row(1, 'a.dll', { blocking: true, problems: { error: 1, warning: 0, info: 0 }, verdicts: { x86: { mood: 'fails', error: '126 ERROR_MOD_NOT_FOUND' } } }),
  row(2, 'c.dll', { problems: { error: 0, warning: 2, info: 0 } }),
];

test('default sort (errors, descending) puts the blocking file first, ties by name', () => {
  assert.deepEqual(visibleRows(rows, { sort: { key: 'error', descending: true }, text: '', problemsOnly: false }).map((r) => r.name), ['a.dll', 'b.dll', 'c.dll']);
});

test('sort by name both ways, by warnings, and by a host verdict (fails first when descending)', () => {
  const names = (key: 'name' | 'warning' | 'x86', descending: boolean) => visibleRows(rows, { sort: { key, descending }, text: '', problemsOnly: false }).map((r) => r.name);
  assert.deepEqual(names('name', false), ['a.dll', 'b.dll', 'c.dll']);
  assert.deepEqual(names('name', true), ['c.dll', 'b.dll', 'a.dll']);
  assert.deepEqual(names('warning', true), ['c.dll', 'a.dll', 'b.dll']);
  assert.deepEqual(names('x86', true), ['a.dll', 'b.dll', 'c.dll']);
});

test('"problems only" keeps blocking files and files with warnings; text filters by path or error', () => {
  assert.deepEqual(visibleRows(rows, { sort: { key: 'name', descending: false }, text: '', problemsOnly: true }).map((r) => r.name), ['a.dll', 'c.dll']);
  assert.deepEqual(visibleRows(rows, { sort: { key: 'name', descending: false }, text: 'MOD_NOT', problemsOnly: false }).map((r) => r.name), ['a.dll']);
  assert.deepEqual(visibleRows(rows, { sort: { key: 'name', descending: false }, text: 'c.d', problemsOnly: false }).map((r) => r.name), ['c.dll']);
  assert.equal(hasProblem(rows[0]!), false);
});

test('cells in words, and files per second', () => {
  assert.deepEqual([cellText(rows[1]!.verdicts.x86), cellText(rows[0]!.verdicts.x64), cellText(rows[0]!.verdicts.x86), cellText(undefined)], ['126 ERROR_MOD_NOT_FOUND', 'not for this host', 'loads', '—']);
  assert.equal(filesPerSecond(50, 2000), 25);
  assert.equal(filesPerSecond(0, 0), 0);
});
