import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Supervisor } from '../agent/supervisor.ts';
import type { ArchStatus } from '../agent/supervisor.ts';
import { exercisesRuntime, nativeRuntime, runtimeSkip } from '../agent/test-support.ts';
import { AgentsBoard, panelState } from './agents-board.ts';

const native = nativeRuntime();

describe('the agents board over a supervisor with the real native agent', { skip: runtimeSkip('linux-x64', native.reason), timeout: 60_000 }, () => {
  exercisesRuntime('linux-x64');
  const supervisor = new Supervisor({ pingIntervalMs: 0, locate: () => native.runtime! });
  let made: Supervisor | null = null;
  const board = new AgentsBoard(() => (made = supervisor), () => made);
  board.watch(supervisor);
  after(() => supervisor.dispose());

  test('before any agent ran: the x86 and x64 panels, not started, no native panel', () => {
    const { agents } = board.status();
    assert.deepEqual(agents.map((a) => [a.label, a.panelState, a.pid]), [['x86', 'not-started', null], ['x64', 'not-started', null]]);
  });

  test('a started agent: ready, its pid, native, an uptime from its start event', async () => {
    const before = Date.now();
    assert.equal((await supervisor.ping('linux-x64')).kind, 'result');
    made = supervisor;
    const agent = board.status().agents.find((a) => a.arch === 'linux-x64')!;
    assert.equal(agent.label, 'native');
    assert.equal(agent.panelState, 'ready');
    assert.equal(typeof agent.pid, 'number');
    assert.equal(agent.how, 'native');
    assert.ok(agent.startedAt! >= before && agent.startedAt! <= Date.now());
    assert.equal(agent.restarts, 0);
  });

  test('restart: a new process, counted as a restart and not as a crash', async () => {
    const oldPid = board.status().agents.find((a) => a.arch === 'linux-x64')!.pid;
    const after = await board.restart('linux-x64');
    const agent = after.agents.find((a) => a.arch === 'linux-x64')!;
    assert.notEqual(agent.pid, oldPid);
    assert.equal(agent.panelState, 'ready');
    assert.equal(agent.restarts, 1);
    assert.equal(agent.crashes, 0);
    assert.match(agent.lastExit ?? '', /ended by a restart on request/);
  });
});

test('panel states from the supervisor\'s: busy with work in flight, crashed after a crash exit, breaker open first', () => {
  const base: ArchStatus = {
    arch: 'win32-x64', state: 'ready', pid: 1, runtime: 'r', execution: 'wine', queued: 0, inFlight: 0, starts: 1, crashes: 0, timeouts: 0,
    consecutiveFailures: 0, modules: [], lastExit: null,
  };
  assert.equal(panelState(null, false), 'not-started');
  assert.equal(panelState(base, false), 'ready');
  assert.equal(panelState({ ...base, inFlight: 1 }, false), 'busy');
  assert.equal(panelState({ ...base, state: 'starting' }, false), 'starting');
  assert.equal(panelState({ ...base, state: 'backoff' }, false), 'crashed');
  assert.equal(panelState({ ...base, state: 'stopped', lastExit: { crashed: true } as ArchStatus['lastExit'] }, false), 'crashed');
  assert.equal(panelState(base, true), 'breaker-open');
});
