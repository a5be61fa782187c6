import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Supervisor } from '../agent/supervisor.ts';
import { exercised, isWineStartStop, skipForWineStartStop, stagedRuntimeSkip } from '../agent/test-support.ts';
import { fixturePath } from '../../test-support/fixtures.ts';
import type { LogLine } from '../../contract/call-contract.ts';
import { CallSession } from './call-session.ts';

const dll = fixturePath('call-console', 'x64');

function session(): { calls: CallSession; supervisor: Supervisor; pushed: LogLine[] } {
  const supervisor = new Supervisor({ pingIntervalMs: 0 });
  const pushed: LogLine[] = [];
  return { calls: new CallSession(() => supervisor, (lines) => pushed.push(...lines)), supervisor, pushed };
}

test('a file that is not a saved session is refused in words, and the history is kept', async () => {
  const { calls, supervisor } = session();
  calls.saveDeclarations(dll, 'struct P { int x; };');
  assert.throws(() => calls.load('{"format":"something-else"}'), /not a Thunk session \(format: .*\)\. Choose a file saved with "Save session"/);
  assert.throws(() => calls.load('not json'), /not JSON/);
  assert.equal(Object.values(calls.history().declarations)[0], 'struct P { int x; };');
  calls.dispose();
  await supervisor.dispose();
});

test('the prefill finds a decorated export and brings the DLL\'s remembered declarations', async () => {
  const { calls, supervisor } = session();
  calls.saveDeclarations(fixturePath('call-console', 'x86'), 'typedef struct Size { int width; int height; } Size;');
  const prefill = calls.prefill(fixturePath('call-console', 'x86'), 'add_numbers');
  assert.equal(prefill.prototype, 'int __stdcall add_numbers(int a1, int a2)');
  assert.match(prefill.declarations, /struct Size/);
  assert.match(calls.prefill(dll, 'no_such_export').note, /has no export named "no_such_export"/);
  calls.dispose();
  await supervisor.dispose();
});


test('declarations are remembered per DLL as typed; empty text forgets them', async () => {
  const { calls, supervisor } = session();
  const other = fixturePath('calling-conventions', 'x86');
  calls.saveDeclarations(dll, 'typedef struct Size { int width; int height; } Size;');
  assert.match(calls.declarationsOf(dll), /struct Size/);
  assert.equal(calls.declarationsOf(other), '', 'another DLL does not get them');
  calls.saveDeclarations(dll, '  ');
  assert.equal(calls.declarationsOf(dll), '');
  assert.deepEqual(calls.history().declarations, {});
  calls.dispose();
  await supervisor.dispose();
});
const skip = stagedRuntimeSkip('win32-x64');
test('real 64-bit agent under Wine: results, output lines tied to their call, a crash card, and a saved session that reopens', { skip, timeout: 240_000 }, async (t) => {
  exercised(t, 'win32-x64');
  const { calls, supervisor, pushed } = session();
  try {
    const base = { dll, declarations: '', repeat: 1, timeoutMs: 60_000 };
    const said = await calls.invoke({ ...base, prototype: 'int say(const char *text)', args: ['hello'] });
    assert.equal(said.kind, 'result');
    assert.equal(said.value, 11);
    const failed = await calls.invoke({ ...base, prototype: 'int fail_with(int code)', args: [5], repeat: 3 });
    assert.equal(failed.lastError?.code, 5);
    assert.equal(failed.timing?.runs, 3);
    const crashed = await calls.invoke({ ...base, prototype: 'int crash_here(int value)', args: [1] });
    assert.equal(crashed.kind, 'crash');
    assert.equal(crashed.crash?.name, 'STATUS_ACCESS_VIOLATION');
    assert.equal(crashed.crash?.accessAddress, '0x10');
    assert.ok(crashed.crash?.frames.some((f) => f.symbol?.startsWith('crash_here')), JSON.stringify(crashed.crash?.frames));
    // What the supervisor did: the crashed call had the agent busy, so it starts a new one at once, the first restart.
    assert.deepEqual([crashed.crash!.supervisor.agentState, crashed.crash!.supervisor.restarts], ['starting', 1], JSON.stringify(crashed.crash!.supervisor));
    const after = await calls.invoke({ ...base, prototype: 'int trivial(void)', args: [] });
    if (isWineStartStop(after.error)) return skipForWineStartStop(t, after.error!.message);
    assert.equal(after.value, 42, JSON.stringify(after));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(pushed.filter((l) => l.kind === 'stdout').map((l) => [l.text, l.callId]), [['say: hello', said.id]]);
    assert.ok(pushed.some((l) => l.kind === 'event' && l.text.startsWith('crash: STATUS_ACCESS_VIOLATION')));
    const saved = JSON.stringify(calls.snapshot());
    const reopened = new CallSession(() => supervisor, () => undefined);
    assert.deepEqual(reopened.load(saved).calls.map((c) => c.kind), ['result', 'result', 'crash', 'result']);
    reopened.dispose();
  } finally {
    calls.dispose();
    await supervisor.dispose();
  }
});

test('real 32-bit agent: a crash leaves a minidump the session serves for saving; one named by a loaded session is refused', { skip: stagedRuntimeSkip('win32-ia32'), timeout: 240_000 }, async (t) => {
  exercised(t, 'win32-ia32');
  const dumps = mkdtempSync(join(tmpdir(), 'thunk-session-dumps-'));
  const supervisor = new Supervisor({ pingIntervalMs: 0, minidumpDir: dumps });
  const calls = new CallSession(() => supervisor, () => undefined);
  try {
    const crashed = await calls.invoke({ dll: fixturePath('call-console', 'x86'), declarations: '', repeat: 1, timeoutMs: 120_000, prototype: 'int crash_here(int value)', args: [1] });
    assert.equal(crashed.kind, 'crash', JSON.stringify(crashed));
    assert.equal(crashed.crash?.minidumpError, null);
    assert.equal(dirname(crashed.crash!.minidump!), dumps);
    const dump = await calls.minidump(crashed.id);
    const bytes = Buffer.from(dump.base64, 'base64');
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'MDMP');
    assert.deepEqual([dump.bytes, dump.fileName], [bytes.length, basename(crashed.crash!.minidump!)]);
    // A saved session's record names a path this session did not write: refused, the file never read.
    const snapshot = calls.snapshot();
    snapshot.calls[0]!.crash!.minidump = '/etc/passwd';
    calls.load(JSON.stringify(snapshot));
    await assert.rejects(calls.minidump(crashed.id), /written by the session that was saved, not by this one: it is at \/etc\/passwd/);
    await assert.rejects(calls.minidump('no-such-call'), /no call no-such-call in this session/);
  } finally {
    calls.dispose();
    await supervisor.dispose();
    rmSync(dumps, { recursive: true, force: true });
  }
});
