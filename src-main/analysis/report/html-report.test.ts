import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentHtml, escapeHtml } from './html-report.ts';
import { failedFileReport } from './build-file-report.ts';
import { SCHEMA_VERSION } from './report-document.ts';

test('escapeHtml neutralises markup in names taken from hostile files', () => {
  assert.equal(escapeHtml(`<img src=x onerror="alert('1')">&`), '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
});

test('the HTML report is self-contained: no scripts and no external resources', () => {
  const html = documentHtml({
    schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: 't' }, generatedAt: '2026-01-01T00:00:00Z',
    results: [failedFileReport('<script>evil()</script>.dll', 'not-pe', 'a text file, not a Windows DLL', 4)],
  });
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /\b(src|href)=["']?(https?:)?\/\//i);
  assert.match(html, /&lt;script&gt;evil\(\)&lt;\/script&gt;\.dll/);
  assert.match(html, /Content-Security-Policy/);
});

test('a report of a cancelled run says it is incomplete; a whole one says nothing of the kind', () => {
  const head = { schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk' as const, version: 't' }, generatedAt: '2026-01-01T00:00:00Z', results: [failedFileReport('a.dll', 'not-pe', 'not a DLL', 4)] };
  assert.match(documentHtml({ ...head, incomplete: { reason: 'cancelled', filesDone: 1, filesFound: 682 } }), /<p class="incomplete"><strong>Incomplete: the triage was cancelled after 1 of 682 files; the 681 not reached are not in this report\.<\/strong><\/p>/);
  assert.doesNotMatch(documentHtml(head), /Incomplete/);
});
