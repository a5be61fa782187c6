// The supervisor against the real agent: natively on Linux (gcc-built .so over the host's node),
// and under Wine with the staged win32 runtimes (MinGW-built DLLs). Absent pieces skip with a reason.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Supervisor, SupervisorOptions } from './supervisor.ts';
import { type AgentArch, locateRuntime } from './runtime-locator.ts';
import { descendantPids, exercisesRuntime, memoryGrowthOver, nativeFixture, nativeRuntime, runtimeSkip, stagedRuntimeSkip, waitFor, pastWineStartStop, windowsFixtures, withSupervisor, withSupervisorUnderWine } from './test-support.ts';
import { buildWindowsFixtures } from '../../../src-agent32/testing/dll-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'thunk-real-agent-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const native = nativeRuntime();
const so = nativeFixture();
const nativeSkip = runtimeSkip('linux-x64', native.runtime ? (so.path ? false : so.reason) : native.reason);
if (nativeSkip) console.log(`# native agent tests skipped: ${nativeSkip}`);

describe('real native agent (linux-x64)', { skip: nativeSkip }, () => {
  const arch = 'linux-x64' as const;
  exercisesRuntime(arch);
  const opts = (extra: SupervisorOptions = {}): SupervisorOptions => ({ locate: () => native.runtime!, ...extra });
  let lib = '';
  let lib2 = '';
  before(() => {
    lib = so.path!;
    lib2 = join(dir, 'libsecond.so');
    copyFileSync(lib, lib2);
  });

  it('loads a library and calls it; a missing one is an error', () =>
    withSupervisor(opts(), async (s) => {
      const loaded = await s.load(lib);
      assert.equal(loaded.kind, 'result', JSON.stringify(loaded));
      assert.equal(loaded.agent?.arch, arch);
      const sum = await s.call(lib, 'int add(int a, int b)', [40, 2]);
      assert.equal(sum.kind === 'result' && sum.result.value, 42);
      const shout = await s.call(lib, 'int shout(const char *text)', ['hi']);
      assert.deepEqual(shout.logs, [{ stream: 'stdout', text: 'shout:hi\n' }]);
      const missing = await s.load(join(dir, 'nope.so'), { arch });
      assert.equal(missing.kind, 'error');
    }));

  it('reports a crash, restarts, and restores the modules loaded before', () =>
    withSupervisor(opts(), async (s) => {
      await s.load(lib);
      await s.load(lib2);
      const crashed = await s.call(lib2, 'int crash_write(int v)', [1]);
      assert.equal(crashed.kind, 'crash', JSON.stringify(crashed));
      const after = await s.call(lib, 'int add(int a, int b)', [1, 2]);
      assert.equal(after.kind === 'result' && after.result.value, 3);
      const modules = s.status().agents[0]!.modules;
      assert.deepEqual(modules, [lib]);
    }));

  it('kills a hung call after its deadline, restarts, and ran it exactly once', () =>
    withSupervisor(opts(), async (s) => {
      const counter = join(dir, 'hang-count');
      const hung = await s.call(lib, 'int count_hang(const char *path)', [counter], { timeoutMs: 300 });
      assert.equal(hung.kind === 'error' && hung.error.code, 'TIMEOUT');
      assert.equal((await s.call(lib2, 'int add(int a, int b)', [1, 2])).kind, 'result');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(readFileSync(counter, 'utf8'), 'x');
    }));

  it('gives a call whose agent is killed an error outcome', () =>
    withSupervisor(opts(), async (s) => {
      await s.load(lib);
      const pending = s.call(lib, 'int count_hang(const char *path)', [join(dir, 'killed-count')]);
      await waitFor(() => existsSync(join(dir, 'killed-count')));
      process.kill(s.status().agents[0]!.pid!, 'SIGKILL');
      const outcome = await pending;
      assert.equal(outcome.kind === 'error' && outcome.error.code, 'AGENT_EXITED');
    }));

  it('reports abort(), an illegal instruction and a division by zero by their signals, serving again after each', () =>
    // A breaker that stays closed: three crashes of one library in a row would open the default one.
    withSupervisor(opts({ breaker: { threshold: 100, windowMs: 1000, cooldownMs: 1 } }), async (s) => {
      for (const [prototype, args, signal] of [['void abort_now(void)', [], 'SIGABRT'], ['int illegal(void)', [], 'SIGILL'], ['int divide(int a, int b)', [1, 0], 'SIGFPE']] as const) {
        const crashed = await s.call(lib, prototype, [...args]);
        assert.equal(crashed.kind, 'crash', `${prototype}: ${JSON.stringify(crashed)}`);
        if (crashed.kind === 'crash') assert.deepEqual([crashed.crash.name, crashed.crash.exit.signal], [signal, signal]);
        const again = await s.call(lib, 'int add(int a, int b)', [1, 2]);
        assert.equal(again.kind === 'result' && again.result.value, 3, JSON.stringify(again));
      }
    }));

  it('reports a stack overflow as a crash and serves again', () =>
    withSupervisor(opts(), async (s) => {
      const overflowed = await s.call(lib, 'int recurse(int depth)', [0], { timeoutMs: 20_000 });
      assert.equal(overflowed.kind, 'crash', JSON.stringify(overflowed));
      if (overflowed.kind === 'crash') assert.equal(overflowed.crash.exit.signal, 'SIGSEGV');
      const again = await s.call(lib, 'int add(int a, int b)', [1, 2]);
      assert.equal(again.kind === 'result' && again.result.value, 3);
    }));

  it('survives 200 crash/restart cycles without leaking processes', { timeout: 300_000 }, () =>
    withSupervisor(opts(CYCLE_OPTIONS), (s) => crashRestartCycles(s, lib2, lib)));

  it('keeps host heap and agent RSS flat over 50,000 calls', { timeout: 120_000 }, () =>
    withSupervisor(opts({ maxQueue: 5000 }), (s) => flatOverManyCalls(s, lib, arch)));

  it('opens the breaker for a crashing library and resets it', () =>
    withSupervisor(opts({ breaker: { threshold: 2, windowMs: 60_000, cooldownMs: 60_000 } }), async (s) => {
      await s.call(lib2, 'int crash_write(int v)', [1]);
      await s.call(lib2, 'int crash_write(int v)', [1]);
      const refused = await s.call(lib2, 'int add(int a, int b)', [1, 2]);
      assert.equal(refused.kind === 'error' && refused.error.code, 'CIRCUIT_OPEN');
      assert.equal((await s.call(lib, 'int add(int a, int b)', [1, 2])).kind, 'result');
      s.resetBreaker(lib2);
      assert.equal((await s.call(lib2, 'int add(int a, int b)', [1, 2])).kind, 'result');
    }));

  it('rejects with QUEUE_FULL beyond the queue bound', () =>
    withSupervisor(opts({ maxQueue: 10, maxInFlight: 1 }), async (s) => {
      await s.load(lib);
      const outcomes = await Promise.all(Array.from({ length: 15 }, (_, i) => s.call(lib, 'int add(int a, int b)', [i, 0])));
      const full = outcomes.filter((o) => o.kind === 'error' && o.error.code === 'QUEUE_FULL').length;
      assert.equal(full, 4);
      assert.equal(outcomes.filter((o) => o.kind === 'result').length, 11);
    }));
});

function wineSkip(arch: AgentArch): string | false {
  const missing = stagedRuntimeSkip(arch);
  if (missing) return missing;
  const fixtures = windowsFixtures(arch === 'win32-ia32' ? 'x86' : 'x64');
  return runtimeSkip(arch, fixtures.dlls ? false : fixtures.reason);
}

for (const [arch, bits] of [['win32-ia32', 'x86'], ['win32-x64', 'x64']] as const) {
  const skip = wineSkip(arch);
  if (skip) console.log(`# ${arch} agent tests skipped: ${skip}`);
  // Under Wine a crash costs seconds (winedbg ends a crashed 64-bit agent; a 32-bit one starts again
  // under emulation): fewer cycles and calls there, with the counts printed.
  const emulated = !skip && locateRuntime(arch).execution.kind === 'wine-emulated';
  const underWine = process.platform !== 'win32';
  describe(`real ${arch} agent${underWine ? ' under Wine' : ''}`, { skip, timeout: underWine ? 1_500_000 : 600_000 }, () => {
    const other = bits === 'x86' ? 'x64' : 'x86';
    exercisesRuntime(arch);
    it('gives the loader verdicts 193, 126 and 1114', (t) =>
      withSupervisorUnderWine(t, {}, async (s) => {
        const own = windowsFixtures(bits).dlls!;
        const foreign = windowsFixtures(other).dlls;
        const expect = async (path: string, osCode: number) => {
          const outcome = await s.load(path, { arch });
          assert.equal(outcome.kind, 'error', JSON.stringify(outcome));
          if (outcome.kind === 'error') assert.equal(outcome.error.osCode, osCode, outcome.error.message);
        };
        assert.equal((await s.load(own.supervised)).kind, 'result');
        await expect(own.needsAbsent, 126);
        await expect(own.initFails, 1114);
        if (foreign) await expect(foreign.supervised, 193);
        const sum = await s.call(own.supervised, 'int __stdcall Add(int a, int b)', [2, 3]);
        assert.equal(sum.kind === 'result' && sum.result.value, 5);
      }));

    it('kills a hung call after its deadline, restarts, and ran it exactly once; an agent killed mid-call gives an error', (t) =>
      withSupervisorUnderWine(t, {}, async (s) => {
        const own = windowsFixtures(bits).dlls!;
        const counter = join(dir, `hang-count-${bits}`);
        const hung = await s.call(own.supervised, 'int count_hang(const char *path)', [counter], { timeoutMs: 2000 });
        assert.equal(hung.kind === 'error' && hung.error.code, 'TIMEOUT', JSON.stringify(hung));
        const sum = pastWineStartStop(await s.call(own.supervised, 'int add(int a, int b)', [1, 2]));
        assert.equal(sum.kind === 'result' && sum.result.value, 3);
        assert.equal(readFileSync(counter, 'utf8'), 'x', 'the hung call ran once and was not retried');
        const killedCounter = join(dir, `killed-count-${bits}`);
        const pending = s.call(own.supervised, 'int count_hang(const char *path)', [killedCounter]);
        // The file appears before its byte is written: under emulation a kill can fall in between.
        const counted = () => existsSync(killedCounter) && readFileSync(killedCounter, 'utf8') === 'x';
        assert.ok(await waitFor(counted, 15_000), 'the call started');
        process.kill(s.status().agents[0]!.pid!, 'SIGKILL');
        const killed = await pending;
        assert.equal(killed.kind === 'error' && killed.error.code, 'AGENT_EXITED', JSON.stringify(killed));
        assert.equal(readFileSync(killedCounter, 'utf8'), 'x');
      }));

    const cycles = emulated ? 10 : underWine ? 50 : 200;
    const calls = emulated ? 20_000 : 50_000;
    it(`survives ${cycles} crash/restart cycles without leaking processes`, { timeout: 600_000 }, (t) =>
      withSupervisorUnderWine(t, CYCLE_OPTIONS, async (s) => {
        // A copy under another name: the crashing module is dropped from the restore, the other stays.
        const crashing = join(dir, `crashing-${bits}.dll`);
        copyFileSync(windowsFixtures(bits).dlls!.supervised, crashing);
        await crashRestartCycles(s, crashing, windowsFixtures(bits).dlls!.supervised, cycles);
        console.log(`# ${arch}${emulated ? ' (emulated)' : underWine ? ' (Wine)' : ''}: ${cycles} crash/restart cycles`);
      }));

    it(`keeps host heap and agent RSS flat over ${calls.toLocaleString('en')} calls`, { timeout: 300_000 }, (t) =>
      withSupervisorUnderWine(t, { maxQueue: 5000 }, (s) => flatOverManyCalls(s, windowsFixtures(bits).dlls!.supervised, arch, calls)));

    it('turns a fault in DllMain into a load error that says where it faulted, without a restart', (t) =>
      withSupervisorUnderWine(t, {}, async (s) => {
        const own = windowsFixtures(bits).dlls!;
        const crashing = buildWindowsFixtures(bits === 'x86' ? 'ia32' : 'x64').dllmainCrash;
        const failed = await s.load(crashing, { arch });
        assert.equal(failed.kind === 'error' && failed.error.osCode, 998, JSON.stringify(failed));
        assert.deepEqual([failed.handledFault?.name, failed.handledFault?.module, failed.handledFault?.accessKind], ['STATUS_ACCESS_VIOLATION', 'dllmain-crash.dll', 'write']);
        const sum = await s.call(own.supervised, 'int add(int a, int b)', [2, 3]);
        assert.equal(sum.kind === 'result' && sum.result.value, 5);
        assert.equal(sum.handledFault, undefined);
        assert.deepEqual([s.status().agents[0]!.starts, s.status().agents[0]!.crashes], [1, 0]);
      }));

    it('reports an access violation with module and offset, then serves again', (t) =>
      withSupervisorUnderWine(t, {}, async (s) => {
        const own = windowsFixtures(bits).dlls!;
        const crashed = await s.call(own.supervised, 'int crash_write(int v)', [1]);
        assert.equal(crashed.kind, 'crash', JSON.stringify(crashed));
        if (crashed.kind === 'crash') {
          assert.equal(crashed.crash.name, 'STATUS_ACCESS_VIOLATION');
          assert.equal(crashed.crash.module?.toLowerCase(), 'supervised.dll');
          assert.ok((crashed.crash.offset ?? 0) > 0);
        }
        const again = pastWineStartStop(await s.call(own.supervised, 'int add(int a, int b)', [1, 2]));
        assert.equal(again.kind === 'result' && again.result.value, 3, JSON.stringify(again));
      }));

    it('reports a crash on a thread of the DLL after its call returned, and restores the DLL', (t) =>
      withSupervisorUnderWine(t, {}, async (s) => {
        const own = windowsFixtures(bits).dlls!;
        const crashes: { dll: string | null; name: string }[] = [];
        s.on('crash', (event) => crashes.push({ dll: event.dll, name: event.crash.name }));
        const started = await s.call(own.supervised, 'int crash_on_thread(int delay_ms)', [100]);
        assert.equal(started.kind === 'result' && started.result.value, 0, JSON.stringify(started));
        assert.ok(await waitFor(() => crashes.length > 0, 15_000), 'no crash reported');
        assert.deepEqual(crashes, [{ dll: null, name: 'STATUS_ACCESS_VIOLATION' }]);
        assert.equal(s.status().agents[0]!.lastExit?.status, 'STATUS_ACCESS_VIOLATION');
        const again = pastWineStartStop(await s.call(own.supervised, 'int add(int a, int b)', [1, 2]));
        assert.equal(again.kind === 'result' && again.result.value, 3, JSON.stringify(again));
      }));

    // Wine ends only the overflowing thread and leaves the agent alive; without its err line the
    // call would end as hung at its deadline (20 s here) instead of as a crash.
    it('reports a stack overflow as a crash in the DLL, not as a hang', (t) =>
      withSupervisorUnderWine(t, {}, async (s) => {
        const own = windowsFixtures(bits).dlls!;
        const overflowed = await s.call(own.supervised, 'int recurse(int depth)', [0], { timeoutMs: 20_000 });
        assert.equal(overflowed.kind, 'crash', JSON.stringify(overflowed));
        if (overflowed.kind === 'crash') {
          assert.deepEqual([overflowed.crash.name, overflowed.crash.code], ['STATUS_STACK_OVERFLOW', 0xc00000fd]);
          assert.equal(overflowed.crash.module?.toLowerCase(), 'supervised.dll');
        }
        const again = pastWineStartStop(await s.call(own.supervised, 'int add(int a, int b)', [1, 2]));
        assert.equal(again.kind === 'result' && again.result.value, 3, JSON.stringify(again));
      }));
  });
}

const CYCLE_OPTIONS: SupervisorOptions = { breaker: { threshold: 10_000, windowMs: 1000, cooldownMs: 1 } };

/** `cycles` times: a crash in `crashing`, then a call into `healthy`; then no agent is left behind. */
async function crashRestartCycles(s: Supervisor, crashing: string, healthy: string, cycles = 200): Promise<void> {
  for (let i = 0; i < cycles; i++) {
    const crashed = pastWineStartStop(await s.call(crashing, 'int crash_write(int v)', [i]));
    assert.equal(crashed.kind, 'crash', `cycle ${i}: ${JSON.stringify(crashed)}`);
    const ok = pastWineStartStop(await s.call(healthy, 'int add(int a, int b)', [i, 1]));
    assert.equal(ok.kind === 'result' && ok.result.value, i + 1, `cycle ${i}: ${JSON.stringify(ok)}`);
  }
  assert.equal(s.status().agents[0]!.crashes, cycles);
  assert.ok(descendantPids().length <= 1, `agents alive: ${descendantPids().join(', ')}`);
  await s.dispose();
  assert.ok(await waitFor(() => descendantPids().length === 0), `left: ${descendantPids().join(', ')}`);
}

/** `calls` calls of add() in batches of 2,000: host heap and agent RSS stay within bounds. */
async function flatOverManyCalls(s: Supervisor, lib: string, arch: AgentArch, calls = 50_000): Promise<void> {
  const batch = async () => {
    const outcomes = await Promise.all(Array.from({ length: 2000 }, (_, i) => s.call(lib, 'int add(int a, int b)', [i, 1])));
    for (const o of outcomes) assert.equal(o.kind, 'result');
  };
  const { hostMiB, agentMiB } = await memoryGrowthOver(batch, () => s.status().agents[0]!.pid!, calls / 2000);
  console.log(`# ${arch}, ${calls.toLocaleString('en')} calls: host heap ${hostMiB.toFixed(1)} MiB, agent RSS ${agentMiB.toFixed(1)} MiB`);
  assert.ok(hostMiB < 16, `host heap grew ${hostMiB.toFixed(1)} MiB`);
  assert.ok(agentMiB < 32, `agent RSS grew ${agentMiB.toFixed(1)} MiB`);
}
