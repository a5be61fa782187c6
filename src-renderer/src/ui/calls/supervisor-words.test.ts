import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallRecord } from '../../../../src-main/contract/api-contract.ts';
import { supervisorWords } from './supervisor-words.ts';

function crashed(supervisor: NonNullable<CallRecord['crash']>['supervisor'], dll = '/x/vendor.dll'): CallRecord {
  return {
    id: 'c', dll, prototype: 'int crash_here(int v)', declarations: '', args: [7], repeat: 1, timeoutMs: 1000, startedAt: '', kind: 'crash', outs: [], lastError: null, errno: null,
    durationMs: null, timing: null, error: null, elapsedMs: 5, logLines: 0, agent: null,
    crash: {
      summary: 's', name: 'STATUS_ACCESS_VIOLATION', code: '0xC0000005', module: 'vendor.dll', offset: '0x10', symbol: null, address: null, accessAddress: null, accessKind: null,
      cause: null, registers: {}, minidump: null, minidumpError: null, exit: 'exit status 5', frames: [], supervisor,
    },
  };
}

test('the restart under way when the crash was answered is named, with its number', () => {
  const words = supervisorWords(crashed({ agentState: 'starting', restarts: 1, modulesRestored: [], breaker: 'closed', breakerFailures: 1 }))!;
  assert.equal(words.agent, 'died (exit status 5); a new agent is starting (its restart 1 in this session)');
  assert.match(supervisorWords(crashed({ agentState: 'backoff', restarts: 4, modulesRestored: [], breaker: 'closed', breakerFailures: 4 }))!.agent, /after a pause.*restart 4/);
  assert.equal(supervisorWords(crashed({ agentState: 'stopped', restarts: 0, modulesRestored: [], breaker: 'closed', breakerFailures: 1 }))!.agent, 'died (exit status 5); no new agent yet: one starts with the next call');
});

test('the DLL that crashed is said to load again with its next call; the other modules are restored', () => {
  const words = supervisorWords(crashed({ agentState: 'starting', restarts: 1, modulesRestored: ['C:\\app\\helper.dll'], breaker: 'closed', breakerFailures: 1 }, 'C:\\app\\vendor.dll'))!;
  assert.equal(words.modules, 'vendor.dll is not loaded again until the next call to it (it crashed); restored in the new agent: helper.dll');
  assert.equal(supervisorWords(crashed({ agentState: 'ready', restarts: 1, modulesRestored: ['/x/VENDOR.dll'], breaker: 'closed', breakerFailures: 1 }))!.modules, 'restored in the new agent: VENDOR.dll');
});

test('an open breaker says calls are refused until it closes or is reset', () => {
  const words = supervisorWords(crashed({ agentState: 'backoff', restarts: 3, modulesRestored: [], breaker: 'open', breakerFailures: 3 }))!;
  assert.equal(words.breakerOpen, true);
  assert.equal(words.breaker, 'open (3 recent failures): calls to this DLL are refused until it closes or you reset it');
  assert.equal(supervisorWords({ ...crashed({ agentState: 'ready', restarts: 0, modulesRestored: [], breaker: 'closed', breakerFailures: 0 }), crash: null }), null);
});
