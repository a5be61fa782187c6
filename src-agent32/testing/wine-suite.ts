// The agent under Wine, over pipes with the real protocol; shared by the per-architecture test files
// so that the two run in parallel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentHarness } from './agent-harness.ts';
import { type WindowsArch, type WindowsFixtures, buildWindowsFixtures } from './dll-fixtures.ts';
import { spawnWineAgent, wineSkipReason } from './wine-agents.ts';
import type { CallResult, CrashEvent, LoadResult, LogEvent, Response } from '../protocol/messages.ts';

/** The exit code, or 'SIGKILL' when Wine's debugger ended the faulting process instead (it sometimes does). */
type Crash = CrashEvent & { exit: number | 'SIGKILL' | null };

/** Runs one call that is expected to kill the agent; returns the crash event and the exit status. */
async function crashingCall(arch: WindowsArch, dll: string, prototype: string, args: unknown[]): Promise<Crash> {
  const agent = spawnWineAgent(arch);
  try {
    await agent.handshake();
    await agent.ok('load', { path: dll });
    const id = agent.post('call', { handle: 'lib1', prototype, args });
    const { code, signal } = await agent.exited;
    const crash = agent.messages.find((m): m is CrashEvent => m.type === 'event' && m.event === 'crash');
    assert.ok(crash, `no crash event (exit ${code}); stderr: ${agent.stderr.slice(0, 500)}`);
    assert.equal(crash.callId, id);
    assert.ok(!agent.messages.some((m) => m.type === 'response' && m.id === id), 'a crashed call has no response');
    return { ...crash, exit: signal === 'SIGKILL' ? signal : code };
  } finally {
    agent.kill();
  }
}

export function defineWineSuite(arch: WindowsArch): void {
  const skip = wineSkipReason(arch);
  if (skip) console.log(`# agent under Wine (${arch}) skipped: ${skip}`);
  describe(`agent under Wine, win32-${arch}`, { skip: skip ?? false }, () => {
    let agent: AgentHarness;
    let dlls: WindowsFixtures;
    const other: WindowsArch = arch === 'ia32' ? 'x64' : 'ia32';
    const call = (prototype: string, args: unknown[], extra: object = {}) => agent.ok<CallResult>('call', { handle: 'lib1', prototype, args, ...extra });

    before(async () => {
      dlls = buildWindowsFixtures(arch);
      agent = spawnWineAgent(arch);
      await agent.handshake();
    });
    after(() => agent?.kill());

    test('handshake names the Windows runtime and architecture', async () => {
      const h = await agent.handshake();
      assert.equal(h.arch, arch);
      assert.equal(h.runtime.platform, 'win32');
      assert.equal(h.protocolVersion, 1);
    });

    test('load succeeds with base, loader path and the modules that came in', async () => {
      const r = await agent.ok<LoadResult>('load', { path: dlls.calls });
      assert.equal(r.handle, 'lib1');
      assert.match(r.base ?? '', /^0x[0-9a-f]+$/);
      assert.match(r.path, /^Z:\\.*\\calls\.dll$/i);
      assert.ok(r.newModules.some((m) => /\\calls\.dll$/i.test(m.path) && m.base === r.base));
    });

    test('cdecl, stdcall and fastcall calls, plain and decorated names', async () => {
      assert.equal((await call('int add(int a, int b)', [2, 40])).value, 42);
      const std = await call('int __stdcall add_std(int a, int b)', [3, 4]);
      assert.equal(std.value, 7);
      assert.equal(std.symbol, arch === 'ia32' ? 'add_std@8' : 'add_std');
      const fast = await call('int __fastcall add_fast(int a, int b)', [5, 6]);
      assert.equal(fast.value, 11);
      assert.equal(fast.symbol, arch === 'ia32' ? '@add_fast@8' : 'add_fast');
      if (arch === 'ia32') {
        assert.equal((await call('int __stdcall add_std@8(int a, int b)', [1, 1])).value, 2);
        const msvc = await call('int __stdcall msvc_style(int a, int b)', [6, 7]);
        assert.equal(msvc.value, 42);
        const resolved = await agent.ok<{ name: string }>('resolve', { handle: 'lib1', symbol: '_msvc_style@8' });
        assert.equal(resolved.name, '_msvc_style@8');
      }
    });

    test('a struct by value and an out-buffer', async () => {
      const declarations = 'struct Point { int32_t x; int32_t y; };';
      assert.equal((await call('int point_sum(struct Point p)', [{ x: 20, y: 22 }], { declarations })).value, 42);
      const filled = await call('int fill_buffer(char *buf, int size)', [{ size: 32 }, 32]);
      assert.equal(filled.value, 9);
      assert.match(JSON.stringify(filled.outs), /filled:32/);
    });

    test('GetLastError is reported after the call', async () => {
      const r = await call('int set_error(int code)', [5]);
      assert.deepEqual([r.lastError?.code, r.lastError?.name], [5, 'ERROR_ACCESS_DENIED']);
    });

    test('DLL output through printf and WriteFile(GetStdHandle) arrives as log events', async () => {
      const { response, logs } = await agent.request('call', { handle: 'lib1', prototype: 'int write_both(const char *t)', args: ['hey'] });
      assert.ok(response.ok);
      const text = logs.filter((l) => l.stream === 'stdout').map((l) => l.text).join('');
      assert.equal(text, 'printf:hey\nwritefile:hey\n');
    });

    test('pipelined calls each get their own output, and output capture never falls behind', async () => {
      // Silent calls between the chatty ones: the drains then idle between sentinels, as in a plain run of calls.
      const ids = Array.from({ length: 600 }, (_, i) => (i % 3 === 0
        ? agent.post('call', { handle: 'lib1', prototype: 'int write_both(const char *t)', args: [`n${i}`] })
        : agent.post('call', { handle: 'lib1', prototype: 'int add(int a, int b)', args: [i, 1] })));
      const last = ids[ids.length - 1];
      await agent.waitFor((m): m is Response => m.type === 'response' && m.id === last, 120_000);
      const logs = agent.messages.filter((m): m is LogEvent => m.type === 'event' && m.event === 'log');
      ids.forEach((id, i) => {
        const text = logs.filter((l) => l.callId === id && l.stream === 'stdout').map((l) => l.text).join('');
        assert.equal(text, i % 3 === 0 ? `printf:n${i}\nwritefile:n${i}\n` : '');
      });
      const behind = logs.filter((l) => /output capture/.test(l.text));
      assert.deepEqual(behind.map((l) => l.text), []);
    });

    test('exceptions the DLL or the system handle themselves are not reported', async () => {
      assert.equal((await call('int throw_and_catch(void)', [])).value, 7);
      assert.equal((await call('int probe_bad_pointer(void)', [])).value, 1);
      assert.ok(!agent.messages.some((m) => m.type === 'event' && m.event === 'crash'));
    });

    test('loader verdicts: other bitness 193, missing dependency 126, DllMain FALSE 1114', async () => {
      const wrong = await loadError(agent, buildWindowsFixtures(other).calls);
      assert.deepEqual([wrong.code, wrong.osCode, wrong.name], ['wrong-bitness', 193, 'ERROR_BAD_EXE_FORMAT']);
      assert.match(wrong.advice ?? '', new RegExp(`win32-${other}`));
      const missing = await loadError(agent, dlls.needsAbsent);
      assert.deepEqual([missing.code, missing.osCode, missing.name], ['load-failed', 126, 'ERROR_MOD_NOT_FOUND']);
      const refused = await loadError(agent, dlls.dllmainFalse);
      assert.deepEqual([refused.code, refused.osCode, refused.name], ['load-failed', 1114, 'ERROR_DLL_INIT_FAILED']);
      const absent = await loadError(agent, '/no/such/file.dll');
      assert.equal(absent.code, 'path-missing');
    });

    test('an access violation sends a crash event before the agent dies', async () => {
      const crash = await crashingCall(arch, dlls.calls, 'int crash_nested(int v)', [3]);
      assert.equal(crash.name, 'STATUS_ACCESS_VIOLATION');
      assert.equal(crash.code, 0xc0000005);
      assert.equal(crash.module, 'calls.dll');
      assert.ok(typeof crash.offset === 'number' && crash.offset > 0);
      assert.deepEqual([crash.accessAddress, crash.accessKind], ['0x0', 'write']);
      assert.ok(crash.frames.length >= 2, JSON.stringify(crash.frames));
      assert.equal(crash.frames[0].address, crash.address);
      assert.ok(crash.frames.some((f) => f.module === 'calls.dll' && /^crash_nested\+0x/.test(f.symbol ?? '')), JSON.stringify(crash.frames));
      assert.ok(arch === 'ia32' ? 'eip' in crash.registers : 'rip' in crash.registers);
      assert.match(crash.jsStack, /runCall/);
      assert.ok(crash.exit === 5 || crash.exit === 'SIGKILL', `Wine exits with the low byte of 0xC0000005, got ${crash.exit}`);
    });

    test('an integer division by zero is reported with the faulting export', async () => {
      const crash = await crashingCall(arch, dlls.calls, 'int divide(int a, int b)', [1, 0]);
      assert.equal(crash.name, 'STATUS_INTEGER_DIVIDE_BY_ZERO');
      assert.match(crash.symbol ?? '', /^divide\+0x/);
      assert.ok(crash.exit === 0x94 || crash.exit === 'SIGKILL', `Wine exits with the low byte of 0xC0000094, got ${crash.exit}`);
    });

    test('an unhandled C++ exception is reported from the unhandled-exception filter', async () => {
      const crash = await crashingCall(arch, dlls.calls, 'void throw_cpp(void)', []);
      assert.equal(crash.name, 'MSVC_CPP_EXCEPTION');
      assert.ok(crash.frames.some((f) => /^throw_cpp\+0x/.test(f.symbol ?? '')), JSON.stringify(crash.frames));
    });

    test('the agent exits with 0 when its stdin closes', async () => {
      agent.closeStdin();
      assert.deepEqual(await agent.exited, { code: 0, signal: null });
    });
  });
}

async function loadError(agent: AgentHarness, path: string) {
  const { response } = await agent.request('load', { path });
  assert.ok(!response.ok, `load of ${path} succeeded`);
  return response.error;
}
