// The agent under Wine, over pipes with the real protocol; shared by the per-architecture test files
// so that the two run in parallel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentHarness } from './agent-harness.ts';
import { type WindowsArch, type WindowsFixtures, buildWindowsFixtures } from './dll-fixtures.ts';
import { startedWineAgent, wineSkipReason } from './wine-agents.ts';
import { exercisesRuntime } from '../../src-main/node-services/agent/test-support.ts';
import { checkCases, typeFamilyCases } from './type-family-cases.ts';
import { type AgentMessage, type CallResult, type CrashEvent, type LoadResult, type LogEvent, type Response, PROTOCOL_VERSION } from '../protocol/messages.ts';
import { decodeExitCode } from '../protocol/ntstatus.ts';

/**
 * The exit code, or the signal when Wine's debugger or wineserver ended the faulting process instead
 * (seen now and then when other Wine processes share the wineserver: SIGKILL, and once one not captured).
 */
type Exit = number | NodeJS.Signals | null;
type Crash = CrashEvent & { exit: Exit; pid: number };

interface Death {
  id: number;
  pid: number;
  exit: Exit;
  messages: AgentMessage[];
  stderr: string;
}

const isCrash = (m: AgentMessage): m is CrashEvent => m.type === 'event' && m.event === 'crash';

/** Runs one call that is expected to end the agent; returns what the agent sent and how it ended. */
async function dyingCall(arch: WindowsArch, dll: string, prototype: string, args: unknown[], env: Record<string, string> = {}): Promise<Death> {
  const agent = await startedWineAgent(arch, env);
  try {
    const { pid } = await agent.handshake();
    await agent.ok('load', { path: dll });
    const id = agent.post('call', { handle: 'lib1', prototype, args });
    const { code, signal } = await exitWithin(agent, 20_000);
    return { id, pid, exit: code ?? signal, messages: agent.messages, stderr: agent.stderr };
  } finally {
    agent.kill();
  }
}

/** Runs one call that is expected to kill the agent; returns the crash event and the exit status. */
async function crashingCall(arch: WindowsArch, dll: string, prototype: string, args: unknown[], env: Record<string, string> = {}): Promise<Crash> {
  const death = await dyingCall(arch, dll, prototype, args, env);
  const crash = death.messages.find(isCrash);
  assert.ok(crash, `no crash event (exit ${death.exit}); stderr: ${death.stderr.slice(0, 500)}`);
  assert.equal(crash.callId, death.id);
  assert.ok(!death.messages.some((m) => m.type === 'response' && m.id === death.id), 'a crashed call has no response');
  return { ...crash, exit: death.exit, pid: death.pid };
}

/** The agent's exit, or a failure (instead of a test that never ends) when it is still alive after `ms`. */
async function exitWithin(agent: AgentHarness, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the agent was still alive ${ms} ms later; stderr: ${agent.stderr.slice(0, 500)}`)), ms);
  });
  try {
    return await Promise.race([agent.exited, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** The exception stream (type 6) of a minidump: just enough of the format to compare it with the crash event. */
function minidumpException(file: Buffer): { threadId: number; code: number; address: bigint } {
  assert.equal(file.toString('latin1', 0, 4), 'MDMP');
  assert.equal(file.readUInt32LE(4) & 0xffff, 0xa793, 'MINIDUMP_VERSION');
  const streams = file.readUInt32LE(8);
  const directory = file.readUInt32LE(12);
  for (let i = 0; i < streams; i++) {
    const entry = directory + i * 12;
    if (file.readUInt32LE(entry) !== 6) continue;
    // MINIDUMP_EXCEPTION_STREAM: ThreadId, alignment, then MINIDUMP_EXCEPTION (code, flags, record, address).
    const at = file.readUInt32LE(entry + 8);
    return { threadId: file.readUInt32LE(at), code: file.readUInt32LE(at + 8), address: file.readBigUInt64LE(at + 24) };
  }
  assert.fail('the minidump has no exception stream');
}

/**
 * Known defect, not fixed yet: on this project's Linux machines (kernel 6.18, Wine 8.0), the x64
 * agent's MiniDumpWriteDump from its crash handler writes the dump but never returns, so the crash
 * is not reported. It did not happen on the earlier machines (older kernels); the 32-bit agent is
 * not affected. README: "Known problems".
 */
export const WINE_X64_MINIDUMP_HANG = 'known defect: under Wine x64 on this machine MiniDumpWriteDump in the crash handler does not return (the dump is written, the crash is never reported); see README, Known problems';

export function defineWineSuite(arch: WindowsArch): void {
  const skip = wineSkipReason(arch);
  if (skip) console.log(`# agent under Wine (${arch}) skipped: ${skip}`);
  describe(`agent under Wine, win32-${arch}`, { skip: skip ?? false }, () => {
    let agent: AgentHarness;
    let dlls: WindowsFixtures;
    const other: WindowsArch = arch === 'ia32' ? 'x64' : 'ia32';
    exercisesRuntime(`win32-${arch}`);
    const call = (prototype: string, args: unknown[], extra: { declarations?: string; options?: object } = {}) => agent.ok<CallResult>('call', { handle: 'lib1', prototype, args, ...extra });

    before(async () => {
      dlls = buildWindowsFixtures(arch);
      agent = await startedWineAgent(arch);
      await agent.handshake();
    });
    after(() => agent?.kill());

    test('handshake names the Windows runtime and architecture', async () => {
      const h = await agent.handshake();
      assert.equal(h.arch, arch);
      assert.equal(h.runtime.platform, 'win32');
      assert.equal(h.protocolVersion, PROTOCOL_VERSION);
    });

    test('load succeeds with base, loader path and the modules that came in', async () => {
      const r = await agent.ok<LoadResult>('load', { path: dlls.calls });
      assert.equal(r.handle, 'lib1');
      assert.match(r.base ?? '', /^0x[0-9a-f]+$/);
      assert.match(r.path, /^Z:\\.*\\calls\.dll$/i);
      assert.ok(r.newModules.some((m) => /\\calls\.dll$/i.test(m.path) && m.base === r.base));
    });

    test('cdecl, stdcall, fastcall and thiscall calls, plain and decorated names', async () => {
      assert.equal((await call('int add(int a, int b)', [2, 40])).value, 42);
      const std = await call('int __stdcall add_std(int a, int b)', [3, 4]);
      assert.equal(std.value, 7);
      assert.equal(std.symbol, arch === 'ia32' ? 'add_std@8' : 'add_std');
      const fast = await call('int __fastcall add_fast(int a, int b)', [5, 6]);
      assert.equal(fast.value, 11);
      assert.equal(fast.symbol, arch === 'ia32' ? '@add_fast@8' : 'add_fast');
      // `this` goes in ECX on x86: called as cdecl, the method would read its object from the stack.
      const method = await call('int __thiscall point_move_x(struct Point *self, int dx)', [{ x: 1, y: 2 }, 5], { declarations: 'struct Point { int32_t x; int32_t y; };' });
      assert.deepEqual([method.value, method.outs[0]?.value], [602, { x: 6, y: 2 }]);
      if (arch === 'ia32') {
        assert.equal((await call('int __stdcall add_std@8(int a, int b)', [1, 1])).value, 2);
        const msvc = await call('int __stdcall msvc_style(int a, int b)', [6, 7]);
        assert.equal(msvc.value, 42);
        const resolved = await agent.ok<{ name: string }>('resolve', { handle: 'lib1', symbol: '_msvc_style@8' });
        assert.equal(resolved.name, '_msvc_style@8');
      }
    });

    // The table the native agent runs too (agent.test.ts), here on the Windows ABIs.
    for (const [family, cases] of Object.entries(typeFamilyCases({ pointerBits: arch === 'ia32' ? 32 : 64, wcharBits: 16 }))) {
      test(family, () => checkCases(call, cases));
    }

    test('GetLastError is reported after the call', async () => {
      const r = await call('int set_error(int code)', [5]);
      assert.deepEqual([r.lastError?.code, r.lastError?.name], [5, 'ERROR_ACCESS_DENIED']);
    });

    test('DLL output through printf and WriteFile(GetStdHandle) arrives as log events', async () => {
      const { response, logs } = await agent.request('call', { handle: 'lib1', prototype: 'int write_both(const char *t)', args: ['hey'] });
      assert.ok(response.ok);
      const text = logs.filter((l) => l.stream === 'stdout').map((l) => l.text).join('');
      // The C runtime's stdout is in text mode, as in any process whose stdout is a pipe: "\n" becomes "\r\n".
      assert.equal(text, 'printf:hey\r\nwritefile:hey\n');
    });

    test('a DLL flooding stdout, fake frame magic included, arrives whole as its call\'s output', async () => {
      const lines = 5000;
      const flood = await agent.request('call', { handle: 'lib1', prototype: 'int flood(int lines)', args: [lines] });
      assert.ok(flood.response.ok, JSON.stringify(flood.response));
      const out = flood.logs.filter((l) => l.stream === 'stdout').map((l) => l.text).join('');
      assert.equal(out.split('\r\n').length - 1, lines);
      assert.match(out, /flood line 4999 THNK x+\r\n$/);
      assert.equal(flood.logs.filter((l) => l.stream === 'stderr').map((l) => l.text).join(''), 'flood done\r\n');
      assert.deepEqual(agent.garbage, []);
      assert.ok((await agent.ok<{ pong: boolean }>('ping')).pong);
    });

    test('a missing export is refused with 127 before anything is called, under each decoration tried', async () => {
      const missing = await agent.request('call', { handle: 'lib1', prototype: 'int __stdcall not_there(int a)', args: [1] });
      assert.ok(!missing.response.ok);
      assert.deepEqual([missing.response.error.code, missing.response.error.osCode, missing.response.error.name], ['symbol-not-found', 127, 'ERROR_PROC_NOT_FOUND']);
      assert.equal(missing.response.error.message, arch === 'ia32' ? 'no export named not_there / not_there@4 / _not_there@4 / _not_there' : 'no export named not_there');
      const ordinal = await agent.request('resolve', { handle: 'lib1', symbol: '#9999' });
      assert.equal(!ordinal.response.ok && ordinal.response.error.code, 'symbol-not-found');
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
        assert.equal(text, i % 3 === 0 ? `printf:n${i}\r\nwritefile:n${i}\n` : '');
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

    // The loader catches an exception in DllMain and fails the load with 998, on Windows as under
    // Wine; the agent's first-chance report of it is what says where it happened.
    test('a fault in DllMain fails the load with 998, reported where it happened, and the agent lives on', async () => {
      const { response } = await agent.request('load', { path: dlls.dllmainCrash });
      assert.ok(!response.ok, 'the load failed');
      assert.deepEqual([response.error.code, response.error.osCode, response.error.name], ['load-failed', 998, 'ERROR_NOACCESS']);
      assert.match(response.error.advice ?? '', /DllMain/);
      const fault = agent.messages.find((m): m is CrashEvent => isCrash(m) && m.callId === response.id);
      assert.ok(fault, 'a crash event for the load');
      assert.deepEqual([fault.name, fault.module, fault.accessKind, fault.accessAddress], ['STATUS_ACCESS_VIOLATION', 'dllmain-crash.dll', 'write', '0x0']);
      assert.ok(agent.messages.indexOf(fault) < agent.messages.indexOf(response), 'reported before the answer');
      assert.ok((await agent.ok<{ pong: boolean }>('ping')).pong);
      // Loaded again, it faults again, at the same place, and that is reported again.
      const again = await agent.request('load', { path: dlls.dllmainCrash });
      assert.equal(!again.response.ok && again.response.error.osCode, 998);
      const second = agent.messages.find((m): m is CrashEvent => isCrash(m) && m.callId === again.response.id);
      assert.equal(second?.address, fault.address);
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
      assert.ok(crash.exit === 5 || typeof crash.exit === 'string', `Wine exits with the low byte of 0xC0000005, got ${crash.exit}`);
    });

    test('an integer division by zero is reported with the faulting export', async () => {
      const crash = await crashingCall(arch, dlls.calls, 'int divide(int a, int b)', [1, 0]);
      assert.equal(crash.name, 'STATUS_INTEGER_DIVIDE_BY_ZERO');
      assert.match(crash.symbol ?? '', /^divide\+0x/);
      assert.ok(crash.exit === 0x94 || typeof crash.exit === 'string', `Wine exits with the low byte of 0xC0000094, got ${crash.exit}`);
    });

    test('an unhandled C++ exception is reported from the unhandled-exception filter', async () => {
      const crash = await crashingCall(arch, dlls.calls, 'void throw_cpp(void)', []);
      assert.equal(crash.name, 'MSVC_CPP_EXCEPTION');
      assert.ok(crash.frames.some((f) => /^throw_cpp\+0x/.test(f.symbol ?? '')), JSON.stringify(crash.frames));
    });

    test('an illegal instruction and a breakpoint are reported at the faulting export', async () => {
      for (const [prototype, name, symbol] of [['int illegal(void)', 'STATUS_ILLEGAL_INSTRUCTION', /^illegal(\+0x|$)/], ['int breakpoint(void)', 'STATUS_BREAKPOINT', /^breakpoint(\+0x|$)/]] as const) {
        const crash = await crashingCall(arch, dlls.calls, prototype, []);
        assert.equal(crash.name, name);
        assert.equal(crash.module, 'calls.dll');
        assert.match(crash.symbol ?? '', symbol);
      }
    });

    test('heap corruption, raised as Windows heap raises it, is reported with the DLL in its backtrace', async () => {
      const crash = await crashingCall(arch, dlls.calls, 'void heap_corruption(void)', []);
      assert.deepEqual([crash.name, crash.code], ['STATUS_HEAP_CORRUPTION', 0xc0000374]);
      assert.ok(crash.frames.some((f) => f.module === 'calls.dll' && /^heap_corruption\+0x/.test(f.symbol ?? '')), JSON.stringify(crash.frames));
    });

    // Fail-fast skips every exception handler, on Windows as under Wine: only the exit status is left.
    test('fail-fast ends the agent with the status of its kind, without a crash event', async () => {
      for (const [prototype, args, status] of [['void fail_fast(int code)', [7], 'STATUS_STACK_BUFFER_OVERRUN'], ['void raise_fail_fast(void)', [], 'STATUS_FAIL_FAST_EXCEPTION']] as const) {
        const death = await dyingCall(arch, dlls.calls, prototype, [...args]);
        assert.equal(typeof death.exit, 'number', `${prototype}: exit ${death.exit}`);
        assert.equal(decodeExitCode(death.exit as number, true).status, status, `${prototype}: exit ${death.exit}`);
        assert.ok(!death.messages.some((m) => m.type === 'response' && m.id === death.id), 'the call has no response');
      }
    });

    test('abort() is reported as ABORT at its caller, with a backtrace, before the C runtime exits with 3', async () => {
      const crash = await crashingCall(arch, dlls.calls, 'void abort_now(void)', []);
      assert.deepEqual([crash.name, crash.code, crash.module, crash.exit], ['ABORT', 0x40000015, 'calls.dll', 3]);
      // abort() never returns, so the return address after its call may already be the next export's first byte.
      assert.match(crash.symbol ?? '', /^abort_now\+0x/);
      assert.match(crash.cause ?? '', /abort\(\)/);
      const names = crash.frames.map((f) => `${f.module}!${f.symbol}`);
      assert.ok(names.some((n) => /^msvcrt\.dll!abort\+/.test(n)) && names.some((n) => /^calls\.dll!abort_now\+/.test(n)), names.join(' < '));
      assert.ok(arch === 'ia32' ? 'esp' in crash.registers : 'rsp' in crash.registers);
    });

    test('a failed assert() is reported as ABORT with its message as the call\'s output, readable text', async () => {
      const death = await dyingCall(arch, dlls.calls, 'int assert_zero(int v)', [3]);
      const crash = death.messages.find(isCrash);
      assert.equal(crash?.name, 'ABORT', `exit ${death.exit}; stderr: ${death.stderr.slice(0, 300)}`);
      assert.match(crash.symbol ?? '', /^assert_zero\+0x/);
      const stderr = death.messages.filter((m): m is LogEvent => m.type === 'event' && m.event === 'log' && m.callId === death.id && m.stream === 'stderr');
      assert.match(stderr.map((l) => l.text).join(''), /Assertion failed: v == 0, file .*calls\.c, line \d+/);
      // The message comes before the crash event.
      assert.ok(death.messages.indexOf(stderr[0]!) < death.messages.indexOf(crash));
    });

    test('with THUNK_MINIDUMP_DIR a crash writes a minidump of the same exception before the event', { skip: arch === 'x64' ? WINE_X64_MINIDUMP_HANG : false }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'thunk-dumps-'));
      try {
        const crash = await crashingCall(arch, dlls.calls, 'int crash_nested(int v)', [3], { THUNK_MINIDUMP_DIR: dir });
        assert.equal(crash.minidumpError, undefined);
        assert.equal(crash.minidump, join(dir, `thunk-${crash.pid}-c0000005.dmp`));
        assert.ok(existsSync(crash.minidump));
        const recorded = minidumpException(readFileSync(crash.minidump));
        assert.equal(recorded.code, crash.code);
        assert.equal(recorded.threadId, crash.threadId);
        assert.equal(BigInt.asUintN(arch === 'ia32' ? 32 : 64, recorded.address), BigInt(crash.address));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a minidump that cannot be written does not hold back the crash event', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'thunk-dumps-'));
      try {
        const missing = join(dir, 'missing');
        const crash = await crashingCall(arch, dlls.calls, 'int crash_write(int v)', [1], { THUNK_MINIDUMP_DIR: missing });
        assert.equal(crash.name, 'STATUS_ACCESS_VIOLATION');
        assert.equal(crash.minidump, undefined);
        assert.match(crash.minidumpError ?? '', /ERROR_PATH_NOT_FOUND/);
        assert.deepEqual(readdirSync(dir), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('without THUNK_MINIDUMP_DIR no minidump is written', async () => {
      const crash = await crashingCall(arch, dlls.calls, 'int crash_write(int v)', [1]);
      assert.equal(crash.name, 'STATUS_ACCESS_VIOLATION');
      assert.deepEqual([crash.minidump, crash.minidumpError], [undefined, undefined]);
      assert.deepEqual(readdirSync(process.cwd()).filter((f) => f.startsWith(`thunk-${crash.pid}-`)), []);
    });

    test('a crash on a thread of the DLL after the call returned ends the agent at once, with the status', async () => {
      const own = await startedWineAgent(arch);
      try {
        await own.handshake();
        await own.ok('load', { path: dlls.calls });
        const r = await own.ok<CallResult>('call', { handle: 'lib1', prototype: 'int crash_on_thread(int delay_ms)', args: [50] });
        assert.equal(r.value, 0);
        // Before the agent's own filter answered other threads natively, the faulting thread waited
        // forever for koffi to run the JS handler on the main thread, and the agent lived on.
        const exit = await exitWithin(own, 10_000);
        // Only the main thread reaches the JS reporter, so there is no crash event. The filter ends
        // the process with the exception code itself, without Wine's debugger, so the status is
        // always 5 (the low byte of 0xC0000005), never the debugger's SIGKILL.
        assert.deepEqual(exit, { code: 5, signal: null }, `stderr: ${own.stderr.slice(0, 500)}`);
        assert.equal(decodeExitCode(exit.code!, true).status, 'STATUS_ACCESS_VIOLATION');
        assert.doesNotMatch(own.stderr, /starting debugger/);
        assert.ok(!own.messages.some((m) => isCrash(m) && m.callId !== null), 'no call is blamed');
      } finally {
        own.kill();
      }
    });

    test('a DLL that calls ExitProcess ends the agent with its code, and no crash is reported', async () => {
      const death = await dyingCall(arch, dlls.calls, 'void exit_process(int code)', [7]);
      assert.equal(death.exit, 7);
      assert.ok(!death.messages.some(isCrash), JSON.stringify(death.messages.filter(isCrash)));
      assert.ok(!death.messages.some((m) => m.type === 'response' && m.id === death.id), 'the call has no response');
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
