import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../../test-support/fixtures.ts';
import { builtCliSkip, thunk } from '../../test-support/run-cli.ts';
import { createSignedSamples, signingToolsMissing } from '../../test-support/test-signing.ts';
import { exercisesRuntime } from '../../node-services/agent/test-support.ts';
import { wineSkipReason } from '../../../src-agent32/testing/wine-agents.ts';

const missing = signingToolsMissing();

describe('thunk verify', { skip: builtCliSkip || (missing ? `signing tools missing: ${missing}` : false) }, () => {
  let dir = '';
  let signed = '';
  let modified = '';
  let expired = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'thunk-verify-cli-'));
    ({ signed, modified, expired } = createSignedSamples(dir, fixturePath('delay-target', 'x64'), { timestamp: true }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a valid signature: exit 0, the signer and the timestamp in the text', () => {
    const run = thunk('verify', signed);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /signed\.dll: valid/);
    assert.match(run.stdout, /signer: CN=Thunk Test Code Signing/);
    assert.match(run.stdout, /timestamp \(RFC 3161\): .* by Thunk Test Timestamping Authority, valid/);
    assert.match(run.stdout, /not in Thunk's list of Windows code-signing roots/);
  });

  test('modified after signing: exit 1, and --json holds both digests', () => {
    const run = thunk('verify', modified, '--json');
    assert.equal(run.status, 1, run.stderr);
    const doc = JSON.parse(run.stdout);
    assert.equal(doc.status, 'invalid');
    const [signature] = doc.signature.signatures;
    assert.equal(signature.digest.matches, false);
    assert.match(signature.digest.signed, /^[0-9a-f]{64}$/);
    assert.match(signature.digest.computed, /^[0-9a-f]{64}$/);
    assert.notEqual(signature.digest.signed, signature.digest.computed);
  });

  test('exit codes: 4 unsigned, 3 not a PE file, 1 when any file is invalid, 2 without files', () => {
    assert.equal(thunk('verify', fixturePath('delay-target', 'x64')).status, 4);
    const notPe = thunk('verify', join(dir, 'pki', 'ca.pem'));
    assert.equal(notPe.status, 3);
    assert.match(notPe.stdout, /not a Windows DLL/);
    assert.equal(thunk('verify', signed, fixturePath('delay-target', 'x64')).status, 4);
    const mixed = thunk('verify', signed, expired, '--json');
    assert.equal(mixed.status, 1);
    assert.deepEqual(JSON.parse(mixed.stdout).results.map((r: { status: string }) => r.status), ['valid', 'invalid']);
    assert.equal(thunk('verify').status, 2);
  });

  test('a folder is scanned for PE files: here the signed, expired and modified copies', () => {
    const run = thunk('verify', dir, '--json');
    assert.equal(run.status, 1);
    const statuses = Object.fromEntries(JSON.parse(run.stdout).results.map((r: { file: string; status: string }) => [r.file.split('/').pop(), r.status]));
    assert.deepEqual(statuses, { 'expired.dll': 'invalid', 'modified.dll': 'invalid', 'signed.dll': 'valid' });
  });
});

describe('thunk verify --ask-windows (the 64-bit agent under Wine)', { skip: builtCliSkip || wineSkipReason('x64') || (missing ? `signing tools missing: ${missing}` : false), timeout: 180_000 }, () => {
  exercisesRuntime('win32-x64');
  let dir = '';
  let samples: ReturnType<typeof createSignedSamples>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'thunk-verify-ask-'));
    samples = createSignedSamples(dir, fixturePath('delay-target', 'x64'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('Wine\'s verdict beside Thunk\'s, for a modified and an unsigned file, with the note that it is Wine\'s', () => {
    const run = thunk('verify', '--ask-windows', samples.modified, fixturePath('delay-target', 'x64'));
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /modified\.dll: invalid[\s\S]*(Wine's WinVerifyTrust: |Windows \(WinVerifyTrust\): \(Wine's, not Windows'\) )TRUST_E_BAD_DIGEST/);
    assert.match(run.stdout, /delay-target\.dll: unsigned[\s\S]*Wine's WinVerifyTrust: TRUST_E_NOSIGNATURE: .*catalogs: no system catalog holds the file's hash/);
    assert.match(run.stdout, /Note: Windows' own verdict under Wine is Wine's implementation, not Windows'/);
  });

  test('--json: a windows object per file with the HRESULT, the catalog search and the note', () => {
    const run = thunk('verify', '--ask-windows', '--json', samples.signed);
    assert.equal(run.status, 0, run.stderr);
    const { windows, signature } = JSON.parse(run.stdout);
    assert.match(signature.signatures[0].trust.windowsVerdict, /^\(Wine's, not Windows'\) ERROR_SUCCESS: Wine accepts the signature/);
    assert.equal(windows.kind, 'answered');
    assert.equal(windows.underWine, true);
    assert.equal(windows.result.embedded.hresult, 0);
    assert.match(windows.result.catalogSearch, /embedded signature/);
    assert.match(windows.note, /Wine's implementation/);
  });

  test('off Windows it is off unless asked', () => {
    assert.equal(JSON.parse(thunk('verify', '--json', samples.signed).stdout).windows, undefined);
  });
});
