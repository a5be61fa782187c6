// `thunk load` through the built CLI (dist/cli.js), spawned like a user would run it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, nativeFixture, exercised, runtimeSkip, stagedRuntimeSkip, windowsFixtures } from '../../node-services/agent/test-support.ts';
import { builtCliSkip, runCli, thunk } from '../../test-support/run-cli.ts';





describe('thunk load (CLI)', { skip: builtCliSkip }, () => {
  it('exits 2 on usage errors and 1 for a file that is no DLL', () => {
    assert.equal(thunk('load').status, 2);
    assert.equal(thunk('load', 'a.dll', '--arch', 'ia64').status, 2);
    assert.equal(thunk('load', join(ROOT, 'package.json')).status, 1);
  });

  const nativeSkip = stagedRuntimeSkip('linux-x64') || runtimeSkip('linux-x64', nativeFixture().path ? false : nativeFixture().reason);
  it('loads a native library', { skip: nativeSkip }, (t) => {
    exercised(t, 'linux-x64');
    const run = thunk('load', nativeFixture().path!, '--json');
    assert.equal(run.status, 0, run.stderr);
    const doc = JSON.parse(run.stdout);
    assert.match(doc.result.base, /^0x/);
    assert.equal(doc.agent.arch, 'linux-x64');
  });

  for (const [arch, bits, other] of [['win32-ia32', 'x86', 'x64'], ['win32-x64', 'x64', 'x86']] as const) {
    const skip = stagedRuntimeSkip(arch) || runtimeSkip(arch, windowsFixtures(bits).dlls ? false : windowsFixtures(bits).reason);
    it(`gives ${bits} verdicts: loaded, 126, 1114, 193`, { skip, timeout: 120_000 }, (t) => {
      exercised(t, arch);
      const own = windowsFixtures(bits).dlls!;
      const loaded = thunk('load', own.supervised, '--json');
      assert.equal(loaded.status, 0, loaded.stderr);
      assert.equal(JSON.parse(loaded.stdout).agent.arch, arch);
      const code = (path: string, ...extra: string[]) => {
        const run = thunk('load', path, '--json', ...extra);
        assert.equal(run.status, 1, run.stdout);
        return JSON.parse(run.stdout).error.osCode as number;
      };
      assert.equal(code(own.needsAbsent), 126);
      assert.equal(code(own.initFails), 1114);
      assert.equal(code(windowsFixtures(other).dlls!.supervised, '--arch', bits), 193);
      const text = thunk('load', own.needsAbsent);
      assert.match(text.stdout, /error: load-failed ERROR_MOD_NOT_FOUND \(126\)/);
      // Windows' message names no module: the static analysis of the same context does.
      assert.match(text.stdout, /\n  missing: absent\.tmp\.dll not found \(needs-absent\.dll → absent\.tmp\.dll\)/);
      assert.equal(JSON.parse(thunk('load', own.needsAbsent, '--json').stdout).cause, 'absent.tmp.dll not found (needs-absent.dll → absent.tmp.dll)');
    });

    it(`exits 5, not 1, when the ${bits} agent cannot start, and says why`, { skip: process.platform === 'win32' ? 'Wine is not used on Windows' : stagedRuntimeSkip(arch) || (windowsFixtures(bits).dlls ? false : windowsFixtures(bits).reason) }, () => {
      const launcher = arch === 'win32-x64' ? 'THUNK_WINE64' : 'THUNK_WINE';
      const run = runCli(['load', windowsFixtures(bits).dlls!.supervised, '--arch', bits], { env: { [launcher]: '/nonexistent/wine' } });
      assert.equal(run.status, 5, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`AGENT_UNAVAILABLE .*the ${arch} agent could not start: Wine is not installed \\(no /nonexistent/wine\\); to fix: sudo apt-get install wine`));
      assert.match(run.stdout, /thunk doctor/);
      const dll = windowsFixtures(bits).dlls!.supervised;
      const call = runCli(['call', dll, 'int add(int a, int b)', '1', '2', '--json'], { env: { [launcher]: '/nonexistent/wine' } });
      assert.equal(call.status, 5, call.stdout + call.stderr);
      assert.equal(JSON.parse(call.stdout).error.code, 'AGENT_UNAVAILABLE');
      // triage still gives the static verdict, marks the real loader unavailable with the reason, and exits 5.
      const triage = runCli(['triage', dll, '--real-loader', '--host', bits, '--json'], { env: { [launcher]: '/nonexistent/wine' } });
      assert.equal(triage.status, 5, triage.stdout.slice(0, 500) + triage.stderr);
      const row = JSON.parse(triage.stdout).realLoader[bits];
      assert.equal(row.loads, null);
      assert.match(row.unavailable, new RegExp(`the ${arch} agent could not start: Wine is not installed`));
    });
  }
});
