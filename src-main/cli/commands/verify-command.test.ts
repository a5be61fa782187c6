import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../../test-support/fixtures.ts';
import { builtCliSkip, thunk } from '../../test-support/run-cli.ts';
import { createSignedSamples, signingToolsMissing } from '../../test-support/test-signing.ts';

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
