import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportRow } from '../../../../src-main/contract/api-contract.ts';
import { EXPORT_COLUMNS, SearchResultCache, cellText, filterRows, moveColumn, orderedColumns, rangeKeys, rowsAsCsv, rowsAsText, searchMatcher, searchable, sortRows, type SearchResult } from './export-table-model.ts';

const search = (query: string, regex: boolean): number[] => filterRows(searchable(rows), searchMatcher(query, regex)).map((r) => r.ordinal);

const rows: ExportRow[] = [
  { ordinal: 3, name: '_Add@8', demangled: 'Add', callingConvention: '__stdcall', argumentBytes: 8, rva: 0x1010, section: '.text', kind: 'code' },
  { ordinal: 1, name: '_ZN5thunk6Widget3addEii', demangled: 'thunk::Widget::add(int, int)', rva: 0x1000, section: '.text', kind: 'code' },
  { ordinal: 2, name: 'Counter', rva: 0x3000, section: '.data', kind: 'data' },
  { ordinal: 4, name: 'HeapAlloc', forwarder: 'kernel32.HeapAlloc', kind: 'forwarder' },
  { ordinal: 5, kind: 'code', rva: 0x1020, section: '.text' },
];

test('substring search is case-insensitive over raw and undecorated names', () => {
  assert.deepEqual(search('widget::', false), [1]);
  assert.deepEqual(search('add', false), [3, 1]);
  assert.equal(search('', false).length, rows.length);
});

test('#N finds ordinal N (how an ordinal forwarder names its target), also an export with no name', () => {
  assert.deepEqual(search('#5', false), [5]);
  assert.deepEqual(search(' #2 ', false), [2]);
  assert.deepEqual(search('#99', false), []);
  assert.deepEqual(search('#5', true), [], 'as a regular expression it is text');
});

test('regular expression search, and a bad one reported in words instead of thrown', () => {
  assert.deepEqual(search('^heap|^count', true), [2, 4]);
  assert.deepEqual(search('^add$', true), [3], 'the undecorated name counts too');
  const bad = searchMatcher('add(', true);
  assert.equal(bad.matches, null);
  assert.match(bad.error!, /Unterminated group/);
  assert.equal(search('add(', true).length, rows.length, 'an invalid search filters nothing');
});

test('sorting by any column, both ways, ties in ordinal order', () => {
  assert.deepEqual(sortRows(rows, { column: 'ordinal', direction: 'descending' }).map((r) => r.ordinal), [5, 4, 3, 2, 1]);
  assert.deepEqual(sortRows(rows, { column: 'rva', direction: 'ascending' }).map((r) => r.ordinal), [4, 1, 3, 5, 2]);
  assert.deepEqual(sortRows(rows, { column: 'kind', direction: 'ascending' }).map((r) => r.ordinal), [1, 3, 5, 2, 4]);
  assert.deepEqual(sortRows(rows, { column: 'name', direction: 'ascending' }).map((r) => r.ordinal), [5, 3, 1, 2, 4]);
});

test('cells: RVA in hex, the decoration in words, empty for what a row lacks', () => {
  assert.equal(cellText(rows[0]!, 'rva'), '0x00001010');
  assert.equal(cellText(rows[0]!, 'demangled'), 'Add (__stdcall, 8 bytes of arguments)');
  assert.equal(cellText(rows[2]!, 'demangled'), '');
  assert.equal(cellText(rows[3]!, 'rva'), '');
});

test('copy as CSV quotes what needs quoting; as text is tab-separated', () => {
  const csv = rowsAsCsv([rows[1]!], EXPORT_COLUMNS);
  assert.equal(csv, 'Ordinal,Name,Signature,RVA,Section,Kind,Forwarder\r\n1,_ZN5thunk6Widget3addEii,"thunk::Widget::add(int, int)",0x00001000,.text,code,\r\n');
  assert.equal(rowsAsText([rows[3]!], EXPORT_COLUMNS.filter((c) => c.id === 'name' || c.id === 'forwarder')), 'HeapAlloc\tkernel32.HeapAlloc\n');
});

test('shift-click ranges work both ways', () => {
  assert.deepEqual(rangeKeys(rows, 3, 1), [1, 2, 4]);
  assert.deepEqual(rangeKeys(rows, 0, 0), [3]);
});

test('columns move one place at a time, stay put at the ends, and an order missing a column gets it last', () => {
  const ids = EXPORT_COLUMNS.map((c) => c.id);
  assert.deepEqual(moveColumn(ids, 'name', -1).slice(0, 3), ['name', 'ordinal', 'demangled']);
  assert.deepEqual(moveColumn(ids, 'ordinal', -1), ids);
  assert.deepEqual(moveColumn(ids, 'forwarder', 1), ids);
  assert.deepEqual(moveColumn(ids, 'rva', 1).slice(3, 5), ['section', 'rva']);
  assert.deepEqual(orderedColumns(['name', 'ordinal']).map((c) => c.id), ['name', 'ordinal', 'demangled', 'rva', 'section', 'kind', 'forwarder']);
});

test('the search cache gives what filterRows gives, typing on and deleting back, in both modes', () => {
  const entries = searchable(rows);
  const cache = new SearchResultCache(entries);
  const steps: [string, boolean][] = [['a', false], ['ad', false], ['add', false], ['ad', false], ['a', false], ['', false], ['#', false], ['#3', false], ['H', false], ['He', false], ['^h', true], ['^he', true], ['(', true], ['', true]];
  for (const [query, regex] of steps) {
    const search = searchMatcher(query, regex);
    assert.deepEqual(cache.rows(query, regex, search).map((r) => r.ordinal), filterRows(entries, search).map((r) => r.ordinal), `${regex ? 'regex' : 'text'} "${query}"`);
  }
});

test('the search cache narrows a longer search from a shorter one, and finds an earlier search as the same array', () => {
  let looked = 0;
  const counting = (query: string): SearchResult => {
    const search = searchMatcher(query, false);
    return { matches: (entry) => (looked++, search.matches!(entry)), error: null };
  };
  const cache = new SearchResultCache(searchable(rows));
  const first = cache.rows('a', false, counting('a'));
  assert.equal(looked, rows.length);
  looked = 0;
  cache.rows('ad', false, counting('ad'));
  assert.equal(looked, first.length, 'only the rows "a" left are looked at');
  looked = 0;
  assert.equal(cache.rows('a', false, counting('a')), first);
  assert.equal(looked, 0);
});
