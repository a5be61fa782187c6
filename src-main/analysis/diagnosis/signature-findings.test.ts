import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFileReport } from '../report/build-file-report.ts';
import { documentHtml } from '../report/html-report.ts';
import { documentMarkdown } from '../report/markdown-report.ts';
import { hasBlockingProblem, SCHEMA_VERSION, type ReportDocument } from '../report/report-document.ts';
import { documentText } from '../report/text-report.ts';
import { fixturePath } from '../../test-support/fixtures.ts';
import { createSignedSamples, signingToolsMissing } from '../../test-support/test-signing.ts';
import { diagnose } from './diagnose.ts';

const missing = signingToolsMissing();

function triage(path: string) {
  const result = diagnose(path, { hosts: ['x64'], windowsDir: null });
  return { result, report: buildFileReport(path, result) };
}

describe('signature findings through diagnose and the reports', { skip: missing ? `signing tools missing: ${missing}` : false }, () => {
  let dir = '';
  let signed = '';
  let modified = '';
  let expired = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'thunk-signature-findings-'));
    ({ signed, modified, expired } = createSignedSamples(dir, fixturePath('forward-target', 'x64')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('modified after signing: a blocking error with both digests as evidence', () => {
    const { result, report } = triage(modified);
    const found = result.findings.find((f) => f.code === 'THK-SIGNATURE-MODIFIED');
    assert.ok(found, result.findings.map((f) => f.code).join(', '));
    assert.equal(found.severity, 'error');
    const digest = result.signature!.signatures[0]!.digest;
    assert.ok(found.evidence.some((e) => e.includes(digest.signed!)) && found.evidence.some((e) => e.includes(digest.computed!)));
    assert.equal(report.verdicts.x64?.loads, true, 'it would still load');
    assert.equal(hasBlockingProblem(report), true, 'but a modified file is a blocking problem');
    assert.equal(hasBlockingProblem(triage(signed).report), false);
  });

  test('expired without a timestamp: THK-SIGNATURE-INVALID whose fix asks for a timestamped build', () => {
    const found = triage(expired).result.findings.find((f) => f.code === 'THK-SIGNATURE-INVALID');
    assert.ok(found);
    assert.match(found.title, /expired/);
    assert.match(found.fix, /timestamp/);
  });

  test('a valid signature from a root outside the list: an information finding naming the root and its thumbprints', () => {
    const { result, report } = triage(signed);
    const found = result.findings.find((f) => f.code === 'THK-SIGNATURE-ROOT-UNKNOWN');
    assert.equal(found?.severity, 'info');
    assert.ok(found.evidence.some((e) => /^SHA-1 [0-9A-F]{40}$/.test(e)), found.evidence.join('; '));
    assert.equal(report.signature?.status, 'valid');
    assert.equal(result.findings.some((f) => f.code === 'THK-UNSIGNED'), false);
  });

  test('text, Markdown and HTML reports show the signature section; unsigned files do not', () => {
    const document: ReportDocument = { schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: 'test' }, generatedAt: 'now', results: [triage(modified).report] };
    for (const rendered of [documentText(document), documentMarkdown(document), documentHtml(document)]) {
      assert.match(rendered, /Authenticode/);
      assert.match(rendered, /MISMATCH/);
      assert.match(rendered, /Thunk Test Code Signing/);
    }
    const unsigned: ReportDocument = { ...document, results: [triage(fixturePath('forward-target', 'x64')).report] };
    assert.doesNotMatch(documentText(unsigned), /Authenticode\n/);
    assert.match(documentText(unsigned), /Signature\s+not signed \(may be catalog-signed\)/);
  });
});
