import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallRecord, LogLine } from '../../contract/call-contract.ts';
import type { ReportDocument } from '../../analysis/report/report-document.ts';
import { analyseFile } from '../../analysis/triage/analyse-file.ts';
import { fixturePath } from '../../test-support/fixtures.ts';
import { exportReport } from './report-export.ts';

const dll = fixturePath('calling-conventions', 'x86');

function record(id: string, kind: CallRecord['kind'], extra: Partial<CallRecord> = {}): CallRecord {
  return {
    id, dll, prototype: 'int __stdcall Add(int a, int b)', declarations: '', args: [2, 3], repeat: 1, timeoutMs: 10000, startedAt: '2026-12-03T00:00:00Z', kind,
    outs: [], lastError: null, errno: null, durationMs: null, timing: null, error: null, crash: null,
    agent: { arch: 'win32-ia32', pid: 42, runtime: 'node.exe under wine', execution: 'wine-emulated' }, elapsedMs: 3, logLines: 1, ...extra,
  };
}

const crash = {
  summary: 'STATUS_ACCESS_VIOLATION (0xC0000005) at calling-conventions.dll+0x1234 (Add+0x4)', name: 'STATUS_ACCESS_VIOLATION', code: '0xC0000005', module: 'calling-conventions.dll', offset: '0x1234', symbol: 'Add+0x4',
  address: '0x10001234', accessAddress: '0x10', accessKind: 'write', cause: null, registers: { eip: '0x10001234' }, minidump: null, minidumpError: null, exit: 'exit status 5',
  frames: [{ address: '0x10001234', module: 'calling-conventions.dll', offset: 0x1234, symbol: 'Add+0x4' }],
  supervisor: { agentState: 'starting', restarts: 0, modulesRestored: [], breaker: 'closed', breakerFailures: 1 },
};

const calls = [record('c1', 'result', { value: 5 }), record('c2', 'crash', { crash })];
const logs: LogLine[] = [{ seq: 1, at: 0, arch: 'win32-ia32', kind: 'stdout', callId: 'c1', text: 'adding <2> & 3' }];

async function document(): Promise<ReportDocument> {
  const report = analyseFile(dll, { hosts: ['x86'], searchDirs: [] });
  return { schemaVersion: 1, tool: { name: 'thunk', version: 'test' }, generatedAt: 'now', results: [report] };
}

test('JSON: the session section holds the calls, their outcomes and their lines', async () => {
  const json = JSON.parse(exportReport(await document(), 'json', false, { calls, logs }).content) as { session: { calls: CallRecord[]; logs: LogLine[] }; file: string };
  assert.equal(json.file, dll);
  assert.deepEqual(json.session.calls.map((c) => c.kind), ['result', 'crash']);
  assert.equal(json.session.logs[0]!.text, 'adding <2> & 3');
});

test('Markdown: one entry per call, the crash with its backtrace, the output in a code block', async () => {
  const md = exportReport(await document(), 'markdown', false, { calls, logs }).content;
  assert.match(md, /## Session: calls made/);
  assert.match(md, /### Call 1: `int __stdcall Add\(int a, int b\)`/);
  assert.match(md, /returned 5/);
  assert.match(md, /#0 0x10001234 calling-conventions\.dll\+0x1234 Add\+0x4/);
  assert.match(md, /```\nadding <2> & 3\n```/);
});

test('HTML: the session section inside the page, escaped', async () => {
  const html = exportReport(await document(), 'html', false, { calls, logs }).content;
  assert.match(html, /<section class="session" id="session"><h2>Session: calls made<\/h2>/);
  assert.match(html, /adding &lt;2&gt; &amp; 3/);
  assert.match(html, /CRASH STATUS_ACCESS_VIOLATION/);
  assert.ok(html.trimEnd().endsWith('</body></html>'));
});

test('no calls on the report\'s files: no session section', async () => {
  const other = [record('x', 'result', { dll: '/elsewhere/other.dll', value: 1 })];
  const json = JSON.parse(exportReport(await document(), 'json', false, { calls: other, logs: [] }).content) as Record<string, unknown>;
  assert.equal('session' in json, false);
});
