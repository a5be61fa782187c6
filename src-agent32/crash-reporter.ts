// Reports native crashes of the DLL under test as a `crash` event, written synchronously from a
// vectored exception handler before Windows (or Wine) ends the process.
//
// Which exceptions are reported (a vectored handler sees every first-chance exception, including
// those the code will handle itself):
// - only codes that end the process when nobody handles them (FATAL_CODES);
// - hardware faults whose instruction is outside ntdll/kernel32/kernelbase are reported at once,
//   from the vectored handler: at that point nothing has run yet that could fail (unwinding through
//   JIT frames, a smashed stack), and C DLLs rarely catch their own faults;
// - software exceptions (RaiseException: C++ 0xE06D7363 and the like, whose address is inside
//   kernelbase) and faults inside the core system DLLs (IsBadReadPtr & co. probe memory under
//   their own handlers) are usually caught, so they are reported from the unhandled-exception
//   filter instead, which runs only when no handler took them.
// A DLL that catches its own hardware faults (SEH __try) therefore produces a crash event followed
// by a normal response; the supervisor should treat a crash event as final only once the agent dies.
//
// abort() (which a failed assert() calls too) raises no exception: the C runtime runs its SIGABRT
// handler and then exits with code 3. The agent's handler in each C runtime reports it first, placed
// at the first frame outside the runtimes.
//
// Only the main thread's exceptions reach the JS handlers (see crash/thread-dispatch.ts). On the
// DLL's own threads an exception goes on to that thread's handlers, and one nobody handles ends the
// process at once with the exception code as its exit status: no crash event, but no debugger or
// error dialog either that could keep a dead agent around.
import type { AgentContext } from './agent.ts';
import type { CrashEvent, CrashFrame } from './protocol/messages.ts';
import { ntstatusName } from './protocol/ntstatus.ts';
import { koffi } from './native/koffi.ts';
import { AddVectoredExceptionHandler, GetCurrentThreadId, SetUnhandledExceptionFilter } from './native/kernel32.ts';
import { backtrace } from './crash/backtrace.ts';
import { type ExceptionInfo, decodeException, registers } from './crash/context.ts';
import { hex } from './crash/memory.ts';
import { locate, locateReturnAddress } from './crash/modules.ts';
import { MinidumpWriter } from './crash/minidump.ts';
import { mainThreadOnly, signalHandlerWithRegisters } from './crash/thread-dispatch.ts';

const EXCEPTION_CONTINUE_SEARCH = 0;
const EXCEPTION_EXECUTE_HANDLER = 1;
const SOFTWARE_CODES = new Set([0xe06d7363, 0xc0000409, 0xc0000374, 0xc0000417, 0xc0000420, 0xc0000025]);
const HARDWARE_CODES = new Set([
  0xc0000005, 0xc0000006, 0xc000001d, 0xc0000096, 0xc0000094, 0xc0000095, 0xc000008c, 0xc000008d, 0xc000008e,
  0xc000008f, 0xc0000090, 0xc0000091, 0xc0000092, 0xc0000093, 0x80000002, 0x80000003, 0xc00000fd,
]);
const CORE_MODULES = new Set(['ntdll.dll', 'kernel32.dll', 'kernelbase.dll']);
/** Frames that are abort()'s machinery or the agent's own, not the code that called abort(). */
const RUNTIME_MODULES = new Set([...CORE_MODULES, 'msvcrt.dll', 'ucrtbase.dll', 'koffi.node', 'node.exe']);
/** What Windows error reporting records for abort(); the exit status itself is 3. */
const STATUS_FATAL_APP_EXIT = 0x40000015;
/** The exit code when the exception record cannot be read. */
const STATUS_UNHANDLED_EXCEPTION = 0xc0000144;
const ACCESS_KINDS: Record<number, CrashEvent['accessKind']> = { 0: 'read', 1: 'write', 8: 'execute' };

export function installCrashReporter(ctx: AgentContext): void {
  const Handler = koffi.proto('__stdcall', 'ThunkExceptionHandler', 'long', ['void *']);
  const reporter = new CrashReporter(ctx, MinidumpWriter.fromEnvironment());
  const vectored = koffi.register((p: bigint) => reporter.onFirstChance(p), koffi.pointer(Handler));
  const filter = koffi.register((p: bigint) => reporter.onUnhandled(p), koffi.pointer(Handler));
  AddVectoredExceptionHandler(1, onMainThread(vectored, EXCEPTION_CONTINUE_SEARCH));
  SetUnhandledExceptionFilter(onMainThread(filter, EXCEPTION_EXECUTE_HANDLER));
  installAbortHandler(ctx, reporter);
}

// abort() on another thread returns from the handler at once and exits with 3, unreported.
function installAbortHandler(ctx: AgentContext, reporter: CrashReporter): void {
  if (!ctx.platform.setAbortHandler) return;
  const handler = signalHandlerWithRegisters((registersAtAbort) => reporter.onAbort(registersAtAbort));
  if (handler !== null) ctx.platform.setAbortHandler(handler);
}

function onMainThread(callback: unknown, foreignResult: number): bigint {
  const address = BigInt(koffi.address(callback));
  return mainThreadOnly(address, foreignResult) ?? address;
}

class CrashReporter {
  private busy = false;
  /** request:code:address of the last report: the unhandled filter sees the same exception again. */
  private lastReported: string | null = null;

  constructor(
    private readonly ctx: AgentContext,
    private readonly minidumps: MinidumpWriter | null,
  ) {}

  onFirstChance(pointers: bigint): number {
    return this.guarded(pointers, (info) => HARDWARE_CODES.has(info.code) && !inCoreModule(info.address));
  }

  /**
   * Reports the fault, then ends the process with its code, as Windows does when no debugger is
   * set: no AeDebug debugger (winedbg) is started, which halved the time of a crash/restart cycle
   * under Wine x64, and Wine x64 never unwinds the crashed main thread through V8's frames.
   */
  onUnhandled(pointers: bigint): number {
    this.guarded(pointers, (info) => HARDWARE_CODES.has(info.code) || SOFTWARE_CODES.has(info.code));
    return this.ctx.platform.exit(unhandledCode(pointers));
  }

  /** `registersAtAbort`: the CONTEXT of the code that called raise(SIGABRT), if it could be read. */
  onAbort(registersAtAbort: Buffer | null): void {
    if (this.busy) return;
    this.busy = true;
    try {
      // Every frame is a return address here, the first one into raise().
      const frames = registersAtAbort ? backtrace(registersAtAbort).map((address) => frameAt(address, 1)) : [];
      const caller = frames.find((f) => f.module !== null && !RUNTIME_MODULES.has(f.module.toLowerCase())) ?? frames[0];
      const event: CrashEvent = {
        type: 'event', event: 'crash', callId: this.ctx.currentCall, code: STATUS_FATAL_APP_EXIT, name: 'ABORT',
        address: caller?.address ?? '0x0', module: caller?.module ?? null, offset: caller?.offset ?? null, symbol: caller?.symbol ?? null,
        registers: registersAtAbort ? registers(registersAtAbort) : {}, frames, jsStack: jsStack(), threadId: GetCurrentThreadId() as number,
        cause: 'abort() was called (a failed assert() calls it too); the C runtime then ends the process with exit code 3',
      };
      // Unlike a fault, abort() comes from C code at a call boundary, not from inside the C runtime
      // holding a stream's lock; its message (assert's) may still sit in a stream buffer.
      this.ctx.platform.flushCrt();
      this.send(event);
    } catch {
      // Best effort: the exit status 3 still tells the supervisor the agent died.
    } finally {
      this.busy = false;
    }
  }

  // Never throws into native code, and never re-enters (a fault while reporting is not reported).
  private guarded(pointers: bigint, wanted: (info: ExceptionInfo) => boolean): number {
    if (this.busy) return EXCEPTION_CONTINUE_SEARCH;
    this.busy = true;
    try {
      const info = decodeException(BigInt(pointers));
      if (info && wanted(info)) this.report(info, BigInt(pointers));
    } catch {
      // Reporting is best effort; the exit status still tells the supervisor what happened.
    } finally {
      this.busy = false;
    }
    return EXCEPTION_CONTINUE_SEARCH;
  }

  private report(info: ExceptionInfo, pointers: bigint): void {
    // The same fault in a later request (a DLL whose DllMain faults, loaded again) is news again.
    const key = `${this.ctx.currentCall}:${info.code}:${info.address}`;
    if (key === this.lastReported) return;
    this.lastReported = key;
    const event = crashEvent(info, this.ctx.currentCall, jsStack());
    event.threadId = GetCurrentThreadId() as number;
    if (this.minidumps) Object.assign(event, this.minidumps.write(info.code, pointers));
    this.send(event);
  }

  /** The DLL's output so far, then the event. */
  private send(event: CrashEvent): void {
    for (const chunk of this.ctx.capture.drainQuickly()) {
      this.ctx.send({ type: 'event', event: 'log', callId: this.ctx.currentCall, stream: chunk.stream, text: chunk.text });
    }
    this.ctx.send(event);
  }
}

function unhandledCode(pointers: bigint): number {
  try {
    return decodeException(pointers)?.code ?? STATUS_UNHANDLED_EXCEPTION;
  } catch {
    return STATUS_UNHANDLED_EXCEPTION;
  }
}

function inCoreModule(address: bigint): boolean {
  const name = locate(address)?.name.toLowerCase();
  return name !== undefined && CORE_MODULES.has(name);
}

function jsStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error('native crash').stack ?? '';
  Error.stackTraceLimit = limit;
  const lines = stack.split('\n').slice(1);
  // Drop the reporter's own frames: the stack of interest starts at the native call.
  const own = lines.findIndex((line) => /\bCrashReporter\.on(FirstChance|Unhandled|Abort)\b/.test(line));
  return lines.slice(own < 0 ? 0 : own + 2).join('\n');
}

export function crashEvent(info: ExceptionInfo, callId: number | null, stack: string): CrashEvent {
  const where = frameAt(info.address);
  const event: CrashEvent = {
    type: 'event',
    event: 'crash',
    callId,
    code: info.code >>> 0,
    name: ntstatusName(info.code) ?? `EXCEPTION_${hex(info.code >>> 0).slice(2).toUpperCase()}`,
    address: where.address,
    module: where.module,
    offset: where.offset,
    symbol: where.symbol,
    registers: registers(info.context),
    frames: backtrace(info.context).map(frameAt),
    jsStack: stack,
  };
  if (info.code === 0xc0000005 && info.params.length >= 2) {
    event.accessAddress = hex(info.params[1]);
    const kind = ACCESS_KINDS[Number(info.params[0])];
    if (kind) event.accessKind = kind;
  }
  return event;
}

/** `depth` 0 is where the thread was; the frames below it are return addresses. */
function frameAt(address: bigint, depth = 0): CrashFrame {
  const at = depth === 0 ? locate(address) : locateReturnAddress(address);
  return { address: hex(address), module: at?.name ?? null, offset: at?.offset ?? null, symbol: at?.symbol ?? null };
}
