import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentMarkdown, escapeMarkdown } from './markdown-report.ts';
import { failedFileReport } from './build-file-report.ts';
import { SCHEMA_VERSION } from './report-document.ts';

test('escapeMarkdown keeps table cells intact', () => {
  assert.equal(escapeMarkdown('a|b*c_d`e'), 'a\\|b\\*c\\_d\\`e');
  assert.equal(escapeMarkdown('line1\nline2'), 'line1 line2');
});

test('a file that could not be analysed says why', () => {
  const md = documentMarkdown({
    schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: 't' }, generatedAt: 'now',
    results: [failedFileReport('x.dll', 'unreadable', 'x.dll: permission denied', null)],
  });
  assert.match(md, /## x\.dll/);
  assert.match(md, /\*\*Not analysed:\*\* x\.dll: permission denied/);
});

test('names from a hostile file cannot break out of the dependency tree or a table row', () => {
  const evil = 'evil.dll\n```\n![](http://evil.example/pixel)\r# heading';
  const report = {
    ...failedFileReport('x.dll', 'not-pe', '', 1),
    status: 'analysed' as const, error: null,
    dependencies: { x64: { name: evil, path: null, strategy: 'not-found' as const, machine: null, children: [] } },
    exports: [{ ordinal: 1, name: evil, kind: 'code' as const }],
  };
  const md = documentMarkdown({ schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: 't' }, generatedAt: 'now', results: [report] });
  assert.ok(!md.split(/\r\n?|\n/).some((line) => /^(!\[|# heading|```)/.test(line)), md);
});

test('a report of a cancelled run says it is incomplete, under the heading', () => {
  const head = { schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk' as const, version: 't' }, generatedAt: '2026-01-01T00:00:00Z', results: [failedFileReport('a.dll', 'not-pe', 'not a DLL', 4)] };
  const text = documentMarkdown({ ...head, incomplete: { reason: 'cancelled', filesDone: 3, filesFound: 10 } });
  assert.ok(text.includes('**Incomplete: the triage was cancelled after 3 of 10 files; the 7 not reached are not in this report.**'), text.slice(0, 400));
  assert.ok(!documentMarkdown(head).includes('Incomplete'));
});
