// The doctor against this machine's real runtimes, and against runtimes made unusable one way each.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRuntime, runDoctor } from './runtime-doctor.ts';
import { locateRuntime } from './runtime-locator.ts';
import { exercised, stagedRuntimeSkip } from './test-support.ts';

const empty = mkdtempSync(join(tmpdir(), 'thunk-doctor-'));
after(() => rmSync(empty, { recursive: true, force: true }));

describe('thunk doctor, in code', () => {
  it('starts every runtime that is staged here and says how it ran', { timeout: 300_000 }, async (t) => {
    const report = await runDoctor();
    assert.deepEqual(report.runtimes.map((r) => r.arch), ['linux-x64', 'win32-ia32', 'win32-x64']);
    for (const check of report.runtimes) {
      if (stagedRuntimeSkip(check.arch)) continue;
      exercised(t, check.arch);
      assert.ok(check.runs, `${check.arch}: ${check.problem}`);
      assert.ok(check.coldStartMs! > 0);
      assert.equal(check.execution?.kind, locateRuntime(check.arch).execution.kind);
      assert.equal(check.startTimeoutMs, locateRuntime(check.arch).startTimeoutMs);
      if (check.arch !== 'linux-x64' && process.platform !== 'win32') assert.ok(check.winePrefix);
    }
    assert.equal(report.allRun, report.runtimes.every((r) => r.runs || !r.applicable));
    if (process.platform === 'linux') assert.equal(typeof report.ia32?.runs, 'boolean');
  });

  it('an unstaged runtime: not run, with the staging command as the fix', async () => {
    const check = await checkRuntime('win32-ia32', { root: empty, platform: 'linux' });
    assert.equal(check.runs, false);
    assert.match(check.problem ?? '', /build\/agents\/win32-ia32 not found/);
    assert.deepEqual(check.fix, ['npm run stage:agents']);
  });

  it('no Wine: not run, with the package to install', { skip: stagedRuntimeSkip('win32-x64') }, async () => {
    const check = await checkRuntime('win32-x64', { wine64Command: join(empty, 'wine64'), platform: 'linux' });
    assert.deepEqual([check.runs, check.problem, check.fix], [false, `Wine is not installed (no ${join(empty, 'wine64')})`, ['sudo apt-get install wine wine64']]);
  });

  it('the Linux agent is not applicable on other hosts, and does not count against them', async () => {
    const check = await checkRuntime('linux-x64', { platform: 'darwin', hostArch: 'arm64' });
    assert.deepEqual([check.runs, check.applicable], [false, false]);
  });
});
