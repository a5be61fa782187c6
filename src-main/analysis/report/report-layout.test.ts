// How the reports read: order of findings, neutral verdicts for a host the file is not built for,
// the several-file summary in every format, Markdown nesting (checked with cmark-gfm, a CommonMark
// renderer, when installed) and the HTML index and print stylesheet. Reports of MinGW fixtures.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fixturePath } from '../../test-support/fixtures.ts';
import { analyseFile } from '../triage/analyse-file.ts';
import { makeTempDir, wineWindowsDir } from '../resolver/test-support/build-fixture.ts';
import { SCHEMA_VERSION, documentJson, type FileReport, type ReportDocument, type SeveralFilesDocument } from './report-document.ts';
import { orderedFindings } from './report-format.ts';
import { documentMarkdown } from './markdown-report.ts';
import { documentHtml } from './html-report.ts';
import { documentText } from './text-report.ts';

let windowsDir = '';
let fine: FileReport;
let broken: FileReport;
let sxs: FileReport;

const doc = (...results: FileReport[]): ReportDocument => ({ schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: 't' }, generatedAt: 'now', results });

before(() => {
  windowsDir = wineWindowsDir(makeTempDir('layout'));
  const options = { hosts: ['x86', 'x64'] as ('x86' | 'x64')[], searchDirs: [], windowsDir };
  fine = analyseFile(fixturePath('calling-conventions', 'x64'), options);
  broken = analyseFile(fixturePath('needs-missing-dep', 'x64'), options);
  sxs = analyseFile(fixturePath('sxs-vc90', 'x64'), options);
});

const cmark = spawnSync('cmark-gfm', ['--version']).error ? 'cmark-gfm is not installed (Debian package cmark-gfm)' : false;

describe('order and mood', () => {
  test('findings run blocking, then warnings, then information; the root cause leads', () => {
    const order = orderedFindings(broken).map((f) => f.severity);
    assert.deepEqual(order, [...order].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
    assert.equal(orderedFindings(broken)[0]!.rootCause, true);
    assert.equal(orderedFindings(broken)[0]!.code, 'THK-MISSING-DEPENDENCY');
  });

  test('a host the file is not built for is neutral ("not for this host"), not a red failure', () => {
    const md = documentMarkdown(doc(fine));
    assert.match(md, /\| 32-bit process \| ➖ not for this host \(193 ERROR\\_BAD\\_EXE\\_FORMAT if tried\) \|/);
    assert.match(documentHtml(doc(fine)), /<td class="neutral">not for this host/);
    assert.doesNotMatch(documentHtml(doc(fine)), /class="fail"/);
  });
});

describe('several files: a summary first in every format, files with blocking problems first', () => {
  test('text', () => {
    const text = documentText(doc(fine, broken));
    assert.match(text, /^2 files: 1 with a blocking problem \(126 ERROR_MOD_NOT_FOUND ×1\), 0 with warnings only, 1 without problems\n {2}✗ .*needs-missing-dep\.dll: 126 ERROR_MOD_NOT_FOUND: missing-dep\.dll not found/);
  });

  test('Markdown, with links to each file\'s section', () => {
    const md = documentMarkdown(doc(fine, broken, sxs));
    const summary = md.slice(md.indexOf('## Summary'), md.indexOf('<a id="file-'));
    assert.match(summary, /3 files: 2 with a blocking problem \(126 ERROR_MOD_NOT_FOUND ×1, 14001 ERROR_SXS_CANT_GEN_ACTCTX ×1\)/);
    const links = [...summary.matchAll(/\]\(#(file-\d)\)/g)].map((m) => m[1]);
    assert.deepEqual(links, ['file-2', 'file-3', 'file-1']);
    for (const id of links) assert.ok(md.includes(`<a id="${id}"></a>`));
    const sections = [...md.matchAll(/<a id="(file-\d)"><\/a>/g)].map((m) => m[1]);
    assert.deepEqual(sections, links, 'the sections follow the summary: blocking files first');
  });

  test('HTML: an index linking the sections, and a print stylesheet (expanded, wrapped, a page per file)', () => {
    const html = documentHtml(doc(fine, broken));
    assert.match(html, /<ol class="index"><li><span class="fail">blocking<\/span> <a href="#file-2">[^<]*needs-missing-dep\.dll<\/a>/);
    assert.match(html, /<section class="file" id="file-2">/);
    const print = html.slice(html.indexOf('@media print'));
    assert.match(print, /section\.file\+section\.file\{break-before:page\}/);
    assert.match(print, /details::details-content\{content-visibility:visible/);
    assert.match(print, /pre\{white-space:pre-wrap/);
  });

  test('JSON: a summary before results[]', () => {
    const json = documentJson(doc(fine, broken)) as SeveralFilesDocument;
    assert.deepEqual(Object.keys(json), ['schemaVersion', 'tool', 'generatedAt', 'summary', 'results']);
    assert.deepEqual(json.summary, { files: 2, blocking: 1, warningsOnly: 0, clean: 1, notAnalysed: 0, byError: { '126 ERROR_MOD_NOT_FOUND': 1 }, filesWithProblems: [{ file: broken.file, blocking: true }] });
  });
});

describe('Markdown nests as a renderer reads it', { skip: cmark }, () => {
  test('each finding\'s explanation, evidence and fix stay inside its list item', () => {
    const html = spawnSync('cmark-gfm', ['-e', 'table'], { input: documentMarkdown(doc(sxs)), encoding: 'utf8' }).stdout;
    const start = html.indexOf('<li>\n<p><strong>ERROR THK-SXS-NOT-FOUND</strong>');
    assert.ok(start >= 0, html.slice(0, 2000));
    const item = html.slice(start, start + 4000);
    // The explanation is a paragraph of the item, the evidence a list nested in it, and the fix a
    // paragraph after that list, still in the item (not swallowed by the last evidence line).
    assert.match(item, /^<li>\n<p><strong>ERROR THK-SXS-NOT-FOUND<\/strong>[^\n]*<\/p>\n<p>The DLL's manifest depends on [^\n]*<\/p>\n<ul>\n<li>looked for: /);
    assert.match(item, /<\/li>\n<\/ul>\n<p><strong>Fix:<\/strong> Install the Microsoft Visual C\+\+ 2008 SP1 Redistributable [^\n]*<\/p>\n<\/li>/);
  });
});
