import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../contract/call-contract.ts';
import { CallLog, LOG_BATCH_LIMIT, LOG_EVENT_LINES, LOG_HISTORY_LIMIT } from './call-log.ts';

function collecting(): { log: CallLog; batches: { lines: LogLine[]; dropped: number }[] } {
  const batches: { lines: LogLine[]; dropped: number }[] = [];
  return { log: new CallLog((lines, dropped) => batches.push({ lines, dropped }), 5), batches };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

test('chunks become lines tied to their call; a partial line waits for its end or the call\'s', async () => {
  const { log, batches } = collecting();
  log.output('win32-x64', 'stdout', 'one\r\ntw', 'call-1');
  log.output('win32-x64', 'stdout', 'o\nthree', 'call-1');
  log.endCall('win32-x64');
  await settle();
  assert.deepEqual(batches.flatMap((b) => b.lines.map((l) => [l.text, l.callId])), [['one', 'call-1'], ['two', 'call-1'], ['three', 'call-1']]);
  assert.equal(log.countFor('call-1'), 3);
  log.dispose();
});

test('agent events sit between the lines, in order', async () => {
  const { log, batches } = collecting();
  log.output('win32-ia32', 'stdout', 'before\n', 'a');
  log.event('win32-ia32', 'agent restarting in 0 ms (attempt 1)');
  log.output('win32-ia32', 'stderr', 'after\n', 'b');
  await settle();
  assert.deepEqual(batches.flatMap((b) => b.lines.map((l) => l.kind)), ['stdout', 'event', 'stderr']);
  log.dispose();
});

test('a flood is batched: one window\'s lines in events of a few hundred, capped, the rest counted; the history stays bounded', async () => {
  const { log, batches } = collecting();
  for (let i = 0; i < LOG_HISTORY_LIMIT + 3000; i++) log.output('win32-x64', 'stdout', `line ${i}\n`, 'flood');
  await settle();
  assert.equal(batches.length, Math.ceil(LOG_BATCH_LIMIT / LOG_EVENT_LINES));
  assert.ok(batches.every((b) => b.lines.length <= LOG_EVENT_LINES));
  assert.equal(batches.reduce((n, b) => n + b.lines.length, 0), LOG_BATCH_LIMIT);
  assert.equal(batches.reduce((n, b) => n + b.dropped, 0), LOG_HISTORY_LIMIT + 3000 - LOG_BATCH_LIMIT);
  const kept = log.lines();
  assert.ok(kept.length <= LOG_HISTORY_LIMIT + 1000, `history holds ${kept.length}`);
  assert.equal(kept.at(-1)!.text, `line ${LOG_HISTORY_LIMIT + 2999}`);
  log.dispose();
});

test('the contract\'s check of pushed lines accepts what the log makes and refuses a malformed line', async () => {
  const { CALL_EVENTS } = await import('../../contract/call-contract.ts');
  const good = { seq: 1, at: 2, arch: 'win32-x64', kind: 'stdout', callId: null, text: 'x' };
  assert.equal(CALL_EVENTS['call.logs'].safeParse({ lines: [good], dropped: 0 }).success, true);
  assert.equal(CALL_EVENTS['call.logs'].safeParse({ lines: [{ ...good, kind: 'debug' }], dropped: 0 }).success, false);
  assert.equal(CALL_EVENTS['call.logs'].safeParse({ lines: [{ ...good, text: 3 }], dropped: 0 }).success, false);
});
