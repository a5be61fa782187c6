import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileReport } from '../../../src-main/contract/api-contract.ts';
import { codeText, fails, firstFailing, formatBytes, headline, otherFindings } from './verdict-words.ts';

// Hand-made reports: only the fields the words read; the analysis that makes real ones is tested in src-main.
const verdict = (loads: boolean, builtForHost: boolean, code?: number) => ({
  loads, builtForHost, rootCause: null, context: {} as never,
  error: code === undefined ? null : { code, name: code === 126 ? 'ERROR_MOD_NOT_FOUND' : 'ERROR_BAD_EXE_FORMAT', message: '' },
});
const report = (verdicts: FileReport['verdicts'], extra: Partial<FileReport> = {}): FileReport => ({
  file: '/x/a.dll', size: 1, status: 'analysed', error: null, machine: 'x86', summary: null, verdicts, findings: [], exports: [], imports: [], delayImports: [], dependencies: {}, ...extra,
});

test('the headline says where the DLL loads, or the error that stops it', () => {
  assert.deepEqual(headline(report({ x86: verdict(true, true), x64: verdict(true, true) })), { text: 'Loads in 32-bit and 64-bit processes', tone: 'ok' });
  assert.deepEqual(headline(report({ x86: verdict(true, true), x64: verdict(false, false, 193) })), { text: 'Loads in 32-bit processes only', tone: 'partial' });
  assert.deepEqual(headline(report({ x86: verdict(false, true, 126), x64: verdict(false, false, 193) })), { text: 'Does not load: error 126 ERROR_MOD_NOT_FOUND', tone: 'fail' });
  const realFails = report({ x64: verdict(true, true) }, { realLoader: { x64: { loads: false, error: { code: 1114, name: 'ERROR_DLL_INIT_FAILED', message: '' }, runtime: null, agreesWithPrediction: false, modules: [] } } });
  assert.deepEqual(headline(realFails), { text: 'Does not load when loaded for real: error 1114 ERROR_DLL_INIT_FAILED', tone: 'fail' });
});

test('a set opens on its first failing file; unanalysable files count as failing', () => {
  const ok = report({ x86: verdict(true, true) });
  const bad = report({ x86: verdict(false, true, 126) });
  const notPe = report({}, { status: 'not-pe' });
  assert.equal(firstFailing([ok, ok, bad]), 2);
  assert.equal(firstFailing([ok, ok]), 0);
  assert.equal(fails(notPe), true);
});

test('codes, sizes and finding order read the way Windows and support engineers write them', () => {
  assert.equal(codeText(126), '126');
  assert.equal(codeText(0xc0000005), '0xC0000005');
  assert.equal(formatBytes(13312), '13 KB (13,312 bytes)');
  assert.equal(formatBytes(null), 'unknown');
  const f = (severity: 'error' | 'warning' | 'info', rootCause = false) => ({ code: severity, severity, title: '', explanation: '', evidence: [], fix: '', hostArch: null, rootCause });
  assert.deepEqual(otherFindings(report({}, { findings: [f('info'), f('error', true), f('warning'), f('error')] })).map((x) => x.severity), ['error', 'warning', 'info']);
});
