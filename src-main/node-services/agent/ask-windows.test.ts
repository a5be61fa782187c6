// The agent's 'trust' op for real, in the 64-bit Windows agent under Wine: what Wine's WinVerifyTrust
// and catalog functions answer for files signed, tampered with and unsigned by the tests, and for a
// DLL Wine ships.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../../test-support/fixtures.ts';
import { createSignedSamples, signingToolsMissing } from '../../test-support/test-signing.ts';
import { exercisesRuntime } from '../../node-services/agent/test-support.ts';
import { wineSkipReason } from '../../../src-agent32/testing/wine-agents.ts';
import { type WindowsTrustAnswer, WindowsTrustAsker, windowsVerdictLine } from './ask-windows.ts';

const WINE_KERNEL32 = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/kernel32.dll';
const signing = signingToolsMissing();
const skip = wineSkipReason('x64') || (signing ? `signing tools missing: ${signing}` : false);

function answered(answer: WindowsTrustAnswer): Extract<WindowsTrustAnswer, { kind: 'answered' }> {
  assert.equal(answer.kind, 'answered', answer.kind === 'failed' ? answer.message : '');
  return answer as Extract<WindowsTrustAnswer, { kind: 'answered' }>;
}

describe('asking WinVerifyTrust through the 64-bit agent under Wine', { skip, timeout: 180_000 }, () => {
  exercisesRuntime('win32-x64');
  let dir = '';
  let samples: ReturnType<typeof createSignedSamples>;
  let asker: WindowsTrustAsker;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'thunk-ask-windows-'));
    samples = createSignedSamples(dir, fixturePath('delay-target', 'x64'), { timestamp: true });
    asker = await WindowsTrustAsker.start();
  });
  after(async () => {
    await asker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('runs in the 64-bit agent, under Wine, and says so', () => {
    assert.equal(asker.underWine, true);
    assert.match(asker.description, /win32-x64 under wine/);
  });

  test('an unsigned fixture: TRUST_E_NOSIGNATURE, and no catalog holds it (Wine\'s catalog database is empty)', async () => {
    const { result } = answered(await asker.ask(fixturePath('delay-target', 'x64')));
    assert.equal(result.embedded.name, 'TRUST_E_NOSIGNATURE');
    assert.equal(result.embedded.hresult, 0x800b0100);
    assert.equal(result.catalog, null);
    assert.match(result.catalogSearch, /no system catalog holds the file's hash/);
  });

  // Windows answers CERT_E_UNTRUSTEDROOT here. Wine 8.0 does not hold the chain to its root store;
  // when this starts failing, Wine checks roots now and UNDER_WINE_NOTE should say less.
  test('signed by the tests\' own CA: Wine answers success where Windows says CERT_E_UNTRUSTEDROOT, and the line says so', async () => {
    const answer = answered(await asker.ask(samples.signed));
    assert.equal(answer.result.embedded.name, 'ERROR_SUCCESS');
    assert.match(answer.result.catalogSearch, /embedded signature/);
    assert.match(windowsVerdictLine(answer), /Wine does not check .*root/);
    assert.doesNotMatch(windowsVerdictLine(answer), /trusted root/);
  });

  test('modified after signing: Wine answers with a failure, not success', async () => {
    const answer = answered(await asker.ask(samples.modified));
    assert.notEqual(answer.result.embedded.hresult, 0);
    assert.notEqual(answer.result.embedded.name, 'TRUST_E_NOSIGNATURE');
    console.log(`# Wine's answer for the tampered copy: ${windowsVerdictLine(answer)}`);
  });

  test('a DLL Wine ships (kernel32.dll): unsigned, and in no catalog', { skip: existsSync(WINE_KERNEL32) ? false : `${WINE_KERNEL32} is missing` }, async () => {
    const { result } = answered(await asker.ask(WINE_KERNEL32));
    assert.equal(result.embedded.name, 'TRUST_E_NOSIGNATURE');
    assert.equal(result.catalog, null);
  });

  test('a missing file: a failed answer naming the path, and the agent still answers afterwards', async () => {
    const missing = await asker.ask(join(dir, 'absent.dll'));
    assert.equal(missing.kind, 'failed');
    assert.match(missing.kind === 'failed' ? missing.message : '', /no such file: .*absent\.dll/);
    assert.equal(answered(await asker.ask(fixturePath('delay-target', 'x64'))).result.embedded.name, 'TRUST_E_NOSIGNATURE');
  });
});
