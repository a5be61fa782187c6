import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentView, AgentsStatus } from '../../../../src-main/contract/api-contract.ts';
import { agentUptime, baseName, stateTone, summary, uptimeText } from './agent-words.ts';

const agent = (over: Partial<AgentView>): AgentView => ({
  arch: 'win32-x64', label: 'x64', state: 'ready', panelState: 'ready', pid: 42, runtime: 'r', execution: 'wine', how: 'under Wine 8.0', startedAt: 1_000,
  starts: 1, restarts: 0, crashes: 0, timeouts: 0, queued: 0, inFlight: 0, modules: [], openBreakers: [], lastExit: null, ...over,
});

test('uptime in seconds, minutes and hours, from the service\'s clock', () => {
  assert.equal(uptimeText(4_900), '4 s');
  assert.equal(uptimeText(125_000), '2 min 5 s');
  assert.equal(uptimeText(3_780_000), '1 h 3 min');
  const status: AgentsStatus = { agents: [], breakers: [], now: 61_000 };
  assert.equal(agentUptime(agent({}), status), '1 min 0 s');
  assert.equal(agentUptime(agent({ startedAt: null }), status), '—');
});

test('the app bar summary names the worst state and its agents', () => {
  assert.deepEqual(summary(null), { text: 'none running', tone: 'idle' });
  const status = (agents: AgentView[]): AgentsStatus => ({ agents, breakers: [], now: 0 });
  assert.deepEqual(summary(status([agent({}), agent({ label: 'x86', panelState: 'not-started' })])), { text: 'x64 ready', tone: 'ok' });
  assert.deepEqual(summary(status([agent({}), agent({ label: 'x86', panelState: 'crashed' })])), { text: 'x86 crashed', tone: 'fail' });
  assert.equal(stateTone('starting'), 'busy');
  assert.equal(baseName('Z:\\a\\b\\dllmain-false.dll'), 'dllmain-false.dll');
});
