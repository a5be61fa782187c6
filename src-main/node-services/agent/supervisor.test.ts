// Supervisor logic against a stand-in agent: a real child process speaking the protocol
// (fixtures/agent-supervisor/fake-agent.ts), so pipes, exits and kills are real.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor, type SupervisorOptions } from './supervisor.ts';
import { START_RETRY_PAUSES_MS } from './supervisor-options.ts';
import { descendantPids, fakeRuntime, memoryGrowthOver, waitFor, withSupervisor } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'thunk-supervisor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function dll(name: string, content = 'plain'): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const arch = 'linux-x64' as const;
const fake = fakeRuntime();

function supervisor(options: SupervisorOptions = {}): Supervisor {
  return new Supervisor({ locate: () => fake, pingIntervalMs: 0, ...options });
}

function withFake(options: SupervisorOptions, body: (s: Supervisor) => Promise<void>): Promise<void> {
  return withSupervisor({ locate: () => fake, ...options }, body);
}

describe('supervisor with a stand-in agent', () => {
  it('loads and calls, reporting the agent', () =>
    withFake({}, async (s) => {
      const path = dll('a.dll');
      const loaded = await s.load(path, { arch });
      assert.equal(loaded.kind, 'result');
      const outcome = await s.call(path, 'int add(int a, int b)', [2, 3], { arch });
      assert.equal(outcome.kind, 'result');
      if (outcome.kind === 'result') assert.equal(outcome.result.value, 5);
      assert.equal(outcome.agent?.arch, arch);
      assert.ok(outcome.agent?.pid);
    }));

  it('refuses a request it cannot send (too large, or not JSON) before sending it, and goes on', () =>
    withFake({}, async (s) => {
      const path = dll('unsendable.dll');
      const huge = await s.call(path, 'int str_len(const char *s)', ['x'.repeat(17 * 1024 * 1024)], { arch });
      assert.equal(huge.kind === 'error' && huge.error.code, 'bad-request');
      assert.match(huge.kind === 'error' ? huge.error.message : '', /too large to send/);
      const bigint = await s.call(path, 'int add(int a, int b)', [1n as unknown as number, 2], { arch });
      assert.equal(bigint.kind === 'error' && bigint.error.code, 'bad-request');
      assert.match(bigint.kind === 'error' ? bigint.error.message : '', /cannot be encoded: .*BigInt/);
      const after = await s.call(path, 'int add(int a, int b)', [2, 3], { arch });
      assert.equal(after.kind === 'result' && after.result.value, 5);
    }));

  it('loads on demand and passes load errors through', () =>
    withFake({}, async (s) => {
      assert.equal((await s.call(dll('b.dll'), 'int add(int, int)', [1, 1], { arch })).kind, 'result');
      const missing = await s.call(join(dir, 'missing.dll'), 'int add(int, int)', [1, 1], { arch });
      assert.equal(missing.kind, 'error');
      if (missing.kind === 'error') {
        assert.equal(missing.error.code, 'path-missing');
        assert.equal(missing.error.osCode, 126);
      }
    }));

  it('turns a crash into a crash outcome, restarts and restores the other modules', () =>
    withFake({}, async (s) => {
      const good = dll('good.dll');
      const bad = dll('bad.dll');
      await s.load(good, { arch });
      await s.load(bad, { arch });
      const pid = s.status().agents[0]!.pid;
      const crashed = await s.call(bad, 'int crash(void)', [], { arch });
      assert.equal(crashed.kind, 'crash');
      if (crashed.kind === 'crash') {
        assert.equal(crashed.crash.name, 'STATUS_ACCESS_VIOLATION');
        assert.equal(crashed.crash.module, 'bad.dll');
        assert.equal(crashed.crash.offset, 0x1234);
        assert.equal(crashed.crash.frames.length, 1);
      }
      const after = await s.call(good, 'int add(int, int)', [20, 22], { arch });
      assert.equal(after.kind, 'result');
      assert.notEqual(after.agent?.pid, pid);
      const modules = await s.modules(arch);
      assert.equal(modules.kind, 'result');
      if (modules.kind === 'result') assert.deepEqual(modules.result.modules.map((m) => m.path), [good]);
    }));

  it('reports a signal death with no crash event as a crash', () =>
    withFake({}, async (s) => {
      const outcome = await s.call(dll('segv.dll'), 'int segv(void)', [], { arch });
      assert.equal(outcome.kind, 'crash');
      if (outcome.kind === 'crash') {
        assert.equal(outcome.crash.name, 'SIGSEGV');
        assert.equal(outcome.crash.source, 'exit-status');
      }
    }));

  it('kills a hung call, reports TIMEOUT, restarts, and never retries it', () =>
    withFake({}, async (s) => {
      const counter = join(dir, 'hang-count');
      const path = dll('hang.dll');
      const outcome = await s.call(path, 'int count_hang(const char *path)', [counter], { arch, timeoutMs: 300 });
      assert.equal(outcome.kind, 'error');
      if (outcome.kind === 'error') assert.equal(outcome.error.code, 'TIMEOUT');
      assert.equal((await s.call(dll('other.dll'), 'int add(int, int)', [1, 2], { arch })).kind, 'result');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(readFileSync(counter, 'utf8'), 'x');
      assert.equal(s.status().agents[0]!.timeouts, 1);
    }));

  it('gives an agent killed mid-call an error outcome', () =>
    withFake({}, async (s) => {
      const path = dll('slow.dll');
      await s.load(path, { arch });
      const pending = s.call(path, 'int sleep(int ms)', [3000], { arch });
      await new Promise((r) => setTimeout(r, 100));
      process.kill(s.status().agents[0]!.pid!, 'SIGKILL');
      const outcome = await pending;
      assert.equal(outcome.kind, 'error');
      if (outcome.kind === 'error') assert.equal(outcome.error.code, 'AGENT_EXITED');
    }));

  it('restarts an idle agent on request: a new process, its modules loaded again, counted as neither crash nor failure', () =>
    withFake({}, async (s) => {
      const path = dll('restart-idle.dll');
      await s.load(path, { arch });
      const before = s.status().agents[0]!;
      await s.restart(arch);
      const after = s.status().agents[0]!;
      assert.equal(after.state, 'ready');
      assert.notEqual(after.pid, before.pid);
      assert.deepEqual([after.starts, after.crashes, after.consecutiveFailures, after.lastExit?.killedBy], [2, 0, 0, 'restart']);
      const modules = await s.modules(arch);
      assert.deepEqual(modules.kind === 'result' && modules.result.modules.map((m) => m.path), [path]);
    }));

  it('a restart during a hung call ends that call as restarted, never sends it again, and runs the one queued behind it', () =>
    withFake({ breaker: { threshold: 1, windowMs: 60_000, cooldownMs: 60_000 } }, async (s) => {
      const counter = join(dir, 'restart-hang-count');
      const hung = dll('restart-hang.dll');
      const other = dll('restart-other.dll');
      const pending = s.call(hung, 'int count_hang(const char *path)', [counter], { arch, timeoutMs: 60_000 });
      assert.ok(await waitFor(() => existsSync(counter), 10_000), 'the call started');
      const behind = s.call(other, 'int add(int, int)', [40, 2], { arch });
      await s.restart(arch);
      const ended = await pending;
      assert.deepEqual(ended.kind === 'error' && [ended.error.code, ended.error.name], ['AGENT_EXITED', 'AGENT_RESTARTED'], JSON.stringify(ended));
      const ran = await behind;
      assert.equal(ran.kind === 'result' && ran.result.value, 42, JSON.stringify(ran));
      assert.equal(readFileSync(counter, 'utf8'), 'x');
      // The user's restart is not the DLL's fault: with a threshold of one its breaker stays closed.
      const again = await s.call(hung, 'int add(int, int)', [1, 1], { arch });
      assert.equal(again.kind === 'result' && again.result.value, 2, JSON.stringify(again));
      assert.equal(s.status().agents[0]!.timeouts, 0);
    }));

  it('a restart of an agent that was never started starts one', () =>
    withFake({}, async (s) => {
      await s.restart(arch);
      assert.equal(s.status().agents[0]!.state, 'ready');
      assert.equal(s.status().agents[0]!.starts, 1);
    }));

  it('sends the pipelined requests behind a crash to the new agent, each exactly once', () =>
    withFake({}, async (s) => {
      const counter = join(dir, 'pipeline-count');
      const good = dll('pipe-good.dll');
      const bad = dll('pipe-bad.dll');
      await s.load(good, { arch });
      await s.load(bad, { arch });
      const outcomes = await Promise.all([
        s.call(good, 'int count(const char *p)', [counter], { arch }),
        s.call(bad, 'int crash(void)', [], { arch }),
        s.call(good, 'int count(const char *p)', [counter], { arch }),
        s.call(good, 'int count(const char *p)', [counter], { arch }),
      ]);
      assert.deepEqual(outcomes.map((o) => o.kind), ['result', 'crash', 'result', 'result']);
      assert.equal(readFileSync(counter, 'utf8'), 'xxx');
    }));

  it('an agent that reports a crash and then neither dies nor answers is killed after the grace: a crash, not a hang', () =>
    withFake({ crashExitGraceMs: 300, timeoutMs: 20_000 }, async (s) => {
      const path = dll('lingering.dll');
      const started = Date.now();
      const outcome = await s.call(path, 'int crash_and_hang(void)', [], { arch });
      assert.equal(outcome.kind, 'crash', JSON.stringify(outcome));
      if (outcome.kind === 'crash') assert.deepEqual([outcome.crash.name, outcome.crash.source, outcome.crash.exit.signal], ['STATUS_ACCESS_VIOLATION', 'handler', 'SIGKILL']);
      assert.ok(Date.now() - started < 10_000, 'ended by the grace, not by the 20 s deadline');
      assert.equal((await s.call(path, 'int add(int a, int b)', [1, 2], { arch })).kind, 'result');
    }));

  it('a crash event followed by the call\'s answer (the DLL handled its fault) leaves the agent alone', () =>
    withFake({ crashExitGraceMs: 300 }, async (s) => {
      const path = dll('recovering.dll');
      const recovered = await s.call(path, 'int crash_and_recover(int ms)', [50], { arch });
      assert.equal(recovered.kind === 'result' && recovered.result.value, 7, JSON.stringify(recovered));
      // The fault it reported is handed back with the result, where it happened.
      assert.deepEqual([recovered.handledFault?.name, recovered.handledFault?.module, recovered.handledFault?.accessKind], ['STATUS_ACCESS_VIOLATION', 'recovering.dll', 'write']);
      const pid = s.status().agents[0]!.pid;
      await new Promise((r) => setTimeout(r, 600));
      const plain = await s.call(path, 'int add(int a, int b)', [1, 2], { arch });
      assert.equal(plain.kind, 'result');
      assert.equal(plain.handledFault, undefined, 'a fault belongs to its own request only');
      assert.deepEqual([s.status().agents[0]!.pid, s.status().agents[0]!.crashes], [pid, 0]);
      // Nor is it held against the agent: a later clean exit is not a crash.
      const quit = await s.call(path, 'int quit(void)', [], { arch });
      assert.equal(quit.kind, 'error', JSON.stringify(quit));
      assert.equal(s.status().agents[0]!.lastExit?.crashed, false);
    }));

  it('opens the breaker after repeated crashes, probes half-open and resets', async () => {
    let now = 1_000_000;
    await withFake({ now: () => now, breaker: { threshold: 2, windowMs: 10_000, cooldownMs: 5_000 } }, async (s) => {
      const path = dll('flaky.dll');
      const states: string[] = [];
      s.on('breaker', (e) => states.push(e.state));
      assert.equal((await s.call(path, 'int crash(void)', [], { arch })).kind, 'crash');
      assert.equal((await s.call(path, 'int crash(void)', [], { arch })).kind, 'crash');
      const refused = await s.call(path, 'int add(int, int)', [1, 2], { arch });
      assert.equal(refused.kind === 'error' && refused.error.code, 'CIRCUIT_OPEN');
      now += 5_000;
      assert.equal(s.status().breakers[0]!.state, 'half-open');
      assert.equal((await s.call(path, 'int crash(void)', [], { arch })).kind, 'crash');
      assert.equal(s.status().breakers[0]!.state, 'open');
      now += 5_000;
      const [probe, second] = await Promise.all([s.call(path, 'int add(int, int)', [1, 2], { arch }), s.call(path, 'int add(int, int)', [3, 4], { arch })]);
      assert.equal(probe.kind, 'result');
      assert.equal(second.kind === 'error' && second.error.code, 'CIRCUIT_OPEN');
      assert.equal(s.status().breakers.length, 0);
      await s.call(path, 'int crash(void)', [], { arch });
      await s.call(path, 'int crash(void)', [], { arch });
      assert.equal(s.status().breakers[0]!.state, 'open');
      s.resetBreaker(path);
      assert.equal((await s.call(path, 'int add(int, int)', [1, 2], { arch })).kind, 'result');
      assert.deepEqual(states, ['open', 'half-open', 'open', 'half-open', 'closed', 'open', 'closed']);
    });
  });

  it('rejects with QUEUE_FULL when the queue is full', () =>
    withFake({ maxQueue: 3, maxInFlight: 1 }, async (s) => {
      const path = dll('busy.dll');
      await s.load(path, { arch });
      const calls = Array.from({ length: 6 }, () => s.call(path, 'int sleep(int ms)', [50], { arch }));
      const outcomes = await Promise.all(calls);
      const codes = outcomes.map((o) => (o.kind === 'error' ? o.error.code : o.kind));
      assert.deepEqual(codes, ['result', 'result', 'result', 'result', 'QUEUE_FULL', 'QUEUE_FULL']);
    }));

  it('answers AGENT_UNAVAILABLE when the agent never shakes hands, and backs off', () =>
    withFake({ locate: () => fakeRuntime({ FAKE_NO_HANDSHAKE: '1' }), handshakeTimeoutMs: 200, backoff: { baseMs: 1000, maxMs: 4000, jitter: 0.5 } }, async (s) => {
      const outcome = await s.call(dll('x.dll'), 'int add(int, int)', [1, 2], { arch });
      assert.equal(outcome.kind, 'error');
      if (outcome.kind === 'error') {
        assert.equal(outcome.error.code, 'AGENT_UNAVAILABLE');
        assert.match(outcome.error.message, /no handshake within 200 ms/);
      }
      assert.deepEqual(descendantPids(), []);
    }));

  it('starts an agent that died before its handshake once more, and the call runs once', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'thunk-die-once-')), 'died');
    return withFake({ locate: () => fakeRuntime({ FAKE_EXIT_BEFORE_HANDSHAKE_ONCE: marker }) }, async (s) => {
      const starts: number[] = [];
      s.on('start', (e) => starts.push(e.pid ?? 0));
      const outcome = await s.call(dll('once.dll'), 'int add(int a, int b)', [2, 3], { arch });
      assert.equal(outcome.kind, 'result', JSON.stringify(outcome));
      assert.equal(readFileSync(marker, 'utf8'), 'died\n', 'the first agent died before its handshake');
      assert.equal(starts.length, 1);
    });
  });

  it('gives up after as many starts as pauses allow, all dying before their handshake, and says so', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'thunk-die-always-')), 'died');
    assert.equal(START_RETRY_PAUSES_MS.length + 1, 7, 'seven starts by default');
    return withFake({ locate: () => fakeRuntime({ FAKE_EXIT_BEFORE_HANDSHAKE_ALWAYS: marker }), startRetryPausesMs: [10, 20, 30, 40, 50, 60] }, async (s) => {
      const outcome = await s.call(dll('never.dll'), 'int add(int a, int b)', [2, 3], { arch });
      assert.equal(outcome.kind === 'error' && outcome.error.code, 'AGENT_UNAVAILABLE', JSON.stringify(outcome));
      assert.match(outcome.kind === 'error' ? outcome.error.message : '', /exited before its handshake/);
      assert.equal(readFileSync(marker, 'utf8'), 'died\n'.repeat(7));
    });
  });

  it('after a start stopped at Wine\'s DbgBreakPoint, starts again with Wine\'s exception trace on, and the call runs once', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'thunk-breakpoint-')), 'starts');
    // The stand-in plays node.exe under Wine: the runtime says Wine, the stop is Wine's line on stderr.
    const wineLike = { ...fakeRuntime({ FAKE_WINE_BREAKPOINT_STOPS: `${marker}|1`, WINEDEBUG: '-all,err+virtual' }), wine: { command: 'wine64', version: 'wine-8.0', prefix: dir, env: {} } };
    return withFake({ locate: () => wineLike, prepare: async () => undefined, startRetryPausesMs: [10, 20] }, async (s) => {
      const outcome = await s.call(dll('after-breakpoint.dll'), 'int add(int a, int b)', [2, 3], { arch });
      assert.equal(outcome.kind === 'result' && outcome.result.value, 5, JSON.stringify(outcome));
      assert.deepEqual(readFileSync(marker, 'utf8').split('\n').filter(Boolean), ['-all,err+virtual', '-all,err+virtual,+seh']);
    });
  });

  it('spaces restarts with exponential backoff and jitter', () =>
    withFake({ random: () => 0.5, backoff: { baseMs: 40, maxMs: 100, jitter: 0.5 }, breaker: { threshold: 100, windowMs: 1000, cooldownMs: 1 } }, async (s) => {
      const delays: number[] = [];
      s.on('restart', (e) => delays.push(e.delayMs));
      const path = dll('loop.dll');
      for (let i = 0; i < 4; i++) await s.call(path, 'int crash(void)', [], { arch });
      assert.deepEqual(delays, [0, 30, 60, 75]);
    }));

  it('survives 200 crash/restart cycles without leaking processes', { timeout: 120_000 }, () =>
    withFake({ breaker: { threshold: 1000, windowMs: 1000, cooldownMs: 1 } }, async (s) => {
      const good = dll('cycle-good.dll');
      const bad = dll('cycle-bad.dll');
      for (let i = 0; i < 200; i++) {
        assert.equal((await s.call(bad, 'int crash(void)', [], { arch })).kind, 'crash');
        const ok = await s.call(good, 'int add(int, int)', [i, 1], { arch });
        assert.equal(ok.kind === 'result' && ok.result.value, i + 1);
      }
      assert.equal(s.status().agents[0]!.crashes, 200);
      assert.equal(descendantPids().length, 1);
      await s.dispose();
      assert.ok(await waitFor(() => descendantPids().length === 0), `left: ${descendantPids().join(', ')}`);
    }));

  it('keeps memory flat over a long run of calls', { timeout: 120_000 }, () =>
    withFake({ maxQueue: 5000 }, async (s) => {
      const path = dll('mem.dll');
      const batch = async () => {
        const calls = Array.from({ length: 2000 }, (_, i) => s.call(path, 'int add(int, int)', [i, 1], { arch }));
        for (const o of await Promise.all(calls)) assert.equal(o.kind, 'result');
      };
      const { hostMiB: hostGrowthMiB, agentMiB: agentGrowthMiB } = await memoryGrowthOver(batch, () => s.status().agents[0]!.pid!);
      assert.ok(hostGrowthMiB < 16, `host heap grew ${hostGrowthMiB.toFixed(1)} MiB over 50,000 calls`);
      assert.ok(agentGrowthMiB < 16, `agent RSS grew ${agentGrowthMiB.toFixed(1)} MiB over 50,000 calls`);
    }));

  it('fails queued and in-flight requests on dispose and leaves no process', async () => {
    const s = supervisor();
    const path = dll('dispose.dll');
    await s.load(path, { arch });
    const pending = s.call(path, 'int hang(void)', [], { arch });
    await new Promise((r) => setTimeout(r, 50));
    await s.dispose();
    const outcome = await pending;
    assert.equal(outcome.kind === 'error' && outcome.error.code, 'DISPOSED');
    assert.deepEqual(descendantPids(), []);
    const late = await s.call(path, 'int add(int, int)', [1, 2], { arch });
    assert.equal(late.kind === 'error' && late.error.code, 'DISPOSED');
  });

  it('pings an idle agent and replaces one that stopped answering', () =>
    withFake({ pingIntervalMs: 50, pingTimeoutMs: 100 }, async (s) => {
      const path = dll('ping.dll');
      await s.load(path, { arch });
      const pid = s.status().agents[0]!.pid!;
      process.kill(pid, 'SIGSTOP');
      assert.ok(await waitFor(() => s.status().agents[0]!.timeouts === 1, 3000));
      assert.ok(await waitFor(() => s.status().agents[0]!.state === 'ready' && s.status().agents[0]!.pid !== pid, 3000));
      assert.equal((await s.call(path, 'int add(int, int)', [1, 2], { arch })).kind, 'result');
    }));
});
