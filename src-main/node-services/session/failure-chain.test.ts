import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../../test-support/fixtures.ts';
import { analyseFile } from '../../analysis/triage/analyse-file.ts';
import { failureChain } from './failure-chain.ts';

test('the chain leads from the DLL to the missing dependency its root cause names', () => {
  const report = analyseFile(fixturePath('needs-missing-dep', 'x86'), { hosts: ['x86', 'x64'], searchDirs: [] });
  assert.deepEqual(failureChain(report, 'x86').map((n) => n.toLowerCase()), ['needs-missing-dep.dll', 'missing-dep.dll']);
  assert.deepEqual(failureChain(report, 'x64'), [], 'wrong bitness: the DLL itself is the problem');
});

test('two levels deep: the chain passes through the dependency that needs the missing one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'thunk-chain-'));
  // delay-load.dll is not the subject; needs-wrong-bitness-dep.dll -> bitness-dep.dll (other arch) is.
  copyFileSync(fixturePath('needs-wrong-bitness-dep', 'x64'), join(dir, 'needs-wrong-bitness-dep.dll'));
  copyFileSync(fixturePath('bitness-dep', 'x64'), join(dir, 'bitness-dep.dll'));
  const report = analyseFile(join(dir, 'needs-wrong-bitness-dep.dll'), { hosts: ['x64'], searchDirs: [] });
  assert.equal(report.verdicts.x64!.error!.code, 193);
  assert.deepEqual(failureChain(report, 'x64').map((n) => n.toLowerCase()), ['needs-wrong-bitness-dep.dll', 'bitness-dep.dll']);
  rmSync(dir, { recursive: true, force: true });
});

test('a DLL that loads has no chain', () => {
  const report = analyseFile(fixturePath('calling-conventions', 'x64'), { hosts: ['x64'], searchDirs: [] });
  assert.deepEqual(failureChain(report, 'x64'), []);
});
