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
