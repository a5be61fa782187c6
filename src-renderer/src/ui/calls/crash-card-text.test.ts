import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallRecord } from '../../../../src-main/contract/api-contract.ts';
import { crashCardText } from './crash-card-text.ts';

test('the crash card as text: exception, access, backtrace, registers and what the supervisor did', () => {
  const call = {
    id: 'c', dll: '/x/vendor.dll', prototype: 'int crash_here(int v)', declarations: '', args: [7], repeat: 1, timeoutMs: 1000, startedAt: '', kind: 'crash', outs: [], lastError: null, errno: null,
    durationMs: null, timing: null, error: null, elapsedMs: 5, logLines: 0, agent: { arch: 'win32-ia32', pid: 9, runtime: 'node.exe', execution: 'wine' },
    crash: {
      summary: 'STATUS_ACCESS_VIOLATION (0xC0000005) at vendor.dll+0x14e0', name: 'STATUS_ACCESS_VIOLATION', code: '0xC0000005', module: 'vendor.dll', offset: '0x14e0', symbol: null, address: '0x1', accessAddress: '0x10', accessKind: 'write',
      cause: null, registers: { eip: '0x646014e0' }, minidump: null, minidumpError: null, exit: 'exit status 5',
      frames: [{ address: '0x646014e0', module: 'vendor.dll', offset: 0x14e0, symbol: null }, { address: '0x64601619', module: 'vendor.dll', offset: 0x1619, symbol: 'crash_here+0x9' }],
      supervisor: { agentState: 'ready', restarts: 1, modulesRestored: ['/x/vendor.dll'], breaker: 'closed', breakerFailures: 1 },
    },
  } satisfies CallRecord;
  const text = crashCardText(call);
  assert.match(text, /^CRASH: STATUS_ACCESS_VIOLATION \(0xC0000005\) at vendor\.dll\+0x14e0\n/);
  assert.match(text, /write access to 0x10/);
  assert.match(text, /  #1 0x64601619 vendor\.dll\+0x1619 crash_here\+0x9/);
  assert.match(text, /eip=0x646014e0/);
  assert.match(text, /^the agent died \(exit status 5\); a new agent is running \(its restart 1 in this session\)$/m);
  assert.match(text, /^modules: restored in the new agent: vendor\.dll$/m);
  assert.match(text, /^circuit breaker: closed \(1 recent failure\)$/m);
});
