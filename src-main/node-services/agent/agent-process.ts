// One agent child process: handshake, framed requests matched by id, events, exit decoding.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { FrameDecoder, FrameTooLargeError, FrameWriter } from '../../../src-agent32/protocol/framing.ts';
import { appendRequest } from '../../../src-agent32/protocol/message-frames.ts';
import {
  type CrashEvent,
  type EmptyParams,
  type ErrorResponse,
  type Handshake,
  type LogEvent,
  type Op,
  type ProgressEvent,
  type Request,
  type ResultByOp,
  PROTOCOL_VERSION,
  validateAgentMessage,
  validateResult,
} from '../../../src-agent32/protocol/messages.ts';
import { decodeExitCode } from '../../../src-agent32/protocol/ntstatus.ts';
import type { AgentRuntime } from './runtime-locator.ts';
import { recordRuntimeUse } from './runtime-ledger.ts';

export type ParamsOf<O extends Op> = Extract<Request, { op: O }>['params'];

/**
 * How a request ended. `fault`: a crash event the agent sent for this request before answering it
 * after all: the exception was caught (by the DLL's own handler, or by the loader around DllMain).
 */
export type Reply<O extends Op> =
  | { kind: 'ok'; result: ResultByOp[O]; fault?: CrashEvent }
  | { kind: 'error'; error: ErrorResponse['error']; fault?: CrashEvent }
  | { kind: 'exit'; exit: AgentExit };

export interface AgentExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** NTSTATUS or signal name when the status looks like a crash, else null. */
  status: string | null;
  /** True for statuses that mean the process died of an exception/signal. */
  crashed: boolean;
  /** Only the low byte of the NTSTATUS was visible (Wine). */
  lowByteOnly: boolean;
  /** The crash event the agent wrote before dying, if any. */
  crash: CrashEvent | null;
  /** Why the host ended it ('dispose', 'timeout', 'killed') or null when it died by itself. */
  killedBy: string | null;
  /** The end of the agent's stderr (Wine's and node's own messages). */
  stderrTail: string;
}

export interface AgentProcessEvents {
  log: [LogEvent];
  progress: [ProgressEvent];
  exit: [AgentExit];
  /** Bytes on the frame channel that were not frames (a DLL writing to the agent's stdout). */
  garbage: [string];
}

export type SpawnAgent = (runtime: AgentRuntime) => ChildProcess;

export const spawnAgent: SpawnAgent = (runtime) =>
  spawn(runtime.command, runtime.args, { env: { ...process.env, ...runtime.env }, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });

/** How a start failure by the agent's death reads (the supervisor starts such an agent once more). */
export const EXITED_BEFORE_HANDSHAKE = 'the agent exited before its handshake';

export class AgentStartError extends Error {
  constructor(message: string, readonly stderrTail = '') {
    super(stderrTail ? `${message}\n${stderrTail}` : message);
    this.name = 'AgentStartError';
  }
}

// Wine ends only the thread whose stack overflowed (virtual_setup_exception, then abort_thread) and
// leaves the agent alive on its worker threads; its err channel says so (see runtime-locator's WINEDEBUG).
/** Wine's words when a start stops on the int3 at ntdll's DbgBreakPoint (README, Known problems). */
export const WINE_BREAKPOINT_STOP = /Unhandled exception 0x80000003 /;
export const WINE_STACK_OVERFLOW = /virtual_setup_exception stack overflow \d+ bytes addr (?:0x)?([0-9a-f]+)/i;
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGTRAP', 'SIGSYS']);
const STDERR_TAIL = 4000;
const live = new Set<AgentProcess>();
let exitHookInstalled = false;

// Agents die with the host even when it exits without dispose (stdin closing alone would also
// end them, but not one stuck in a native call).
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const agent of live) agent.kill('host exit');
  });
}

interface Pending {
  op: Op;
  settle: (reply: Reply<Op>) => void;
}

export interface StartOptions {
  handshakeTimeoutMs?: number;
  spawnAgent?: SpawnAgent;
  /** How long an agent that reported a crash may take to die (or answer) before it is killed. */
  crashExitGraceMs?: number;
}

/** killedBy of an agent ended by a restart the user asked for: not a crash, not the DLL's fault. */
export const USER_RESTART = 'restart';

/** killedBy for an agent that sent a crash event and then neither died nor answered. */
export const CRASHED_NOT_EXITING = 'crashed but did not exit';
const DEFAULT_CRASH_EXIT_GRACE_MS = 5000;

export class AgentProcess extends EventEmitter<AgentProcessEvents> {
  readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly decoder = new FrameDecoder();
  private stderrTail = '';
  private crash: CrashEvent | null = null;
  private killedBy: string | null = null;
  private stackOverflow = false;
  private exitInfo: AgentExit | null = null;
  private readonly exited: Promise<AgentExit>;
  private onHandshake: ((h: Handshake) => void) | null = null;
  private readonly outgoing = new FrameWriter();
  private crashExitTimer: NodeJS.Timeout | null = null;

  private constructor(readonly runtime: AgentRuntime, private readonly child: ChildProcess, private readonly crashExitGraceMs: number) {
    super();
    live.add(this);
    installExitHook();
    this.exited = new Promise((resolveExit) => this.watchExit(resolveExit));
    child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.onStderr(chunk));
    child.stdin!.on('error', () => undefined);
  }

  /** Spawns the agent and resolves once its handshake arrived; kills it on failure. */
  static async start(runtime: AgentRuntime, options: StartOptions = {}): Promise<{ agent: AgentProcess; handshake: Handshake }> {
    const child = (options.spawnAgent ?? spawnAgent)(runtime);
    const agent = new AgentProcess(runtime, child, options.crashExitGraceMs ?? DEFAULT_CRASH_EXIT_GRACE_MS);
    const timeoutMs = options.handshakeTimeoutMs ?? runtime.startTimeoutMs;
    try {
      const handshake = await agent.awaitHandshake(timeoutMs);
      recordRuntimeUse({ kind: 'agent-start', arch: runtime.arch, how: runtime.description });
      return { agent, handshake };
    } catch (error) {
      agent.kill('start failed');
      await agent.exited;
      throw new AgentStartError((error as Error).message, agent.stderrTail.trim());
    }
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  /**
   * Sends a request; `settle` gets the response, or how the agent ended before answering, exactly
   * once. It runs synchronously as the reply is decoded, so requests it sends leave in the same write.
   */
  send<O extends Op>(op: O, params: ParamsOf<O> | EmptyParams, settle: (reply: Reply<O>) => void): number {
    const id = this.nextId++;
    const exit = this.exitInfo;
    if (exit) {
      queueMicrotask(() => settle({ kind: 'exit', exit }));
      return id;
    }
    // Replies settle in a burst (one chunk from the agent) and each frees a slot the supervisor
    // fills at once: the frames sent from those reactions leave together, in one write.
    const first = this.outgoing.length === 0;
    try {
      appendRequest(this.outgoing, id, op, params);
    } catch (error) {
      // Too large, or not JSON at all (a BigInt argument): refused here, never half-sent.
      const e = error as Error;
      const message = error instanceof FrameTooLargeError ? `the request is too large to send: ${e.message}` : `the request cannot be encoded: ${e.message}`;
      const refused = { code: 'bad-request', name: e.name, message } as const;
      queueMicrotask(() => settle({ kind: 'error', error: refused }));
      return id;
    }
    if (first) queueMicrotask(this.flushSoon);
    this.pending.set(id, { op, settle: settle as (r: Reply<Op>) => void });
    return id;
  }

  /** send() as a promise. */
  request<O extends Op>(op: O, params: ParamsOf<O> | EmptyParams = {}): { id: number; reply: Promise<Reply<O>> } {
    let id = 0;
    const reply = new Promise<Reply<O>>((settle) => (id = this.send(op, params, settle)));
    return { id, reply };
  }

  private readonly flushSoon = (): void => this.flush();

  private flush(): void {
    if (this.outgoing.length === 0) return;
    // A copy: the stream keeps the buffer until the pipe takes it, and the writer reuses its own.
    const bytes = Buffer.from(this.outgoing.view());
    this.outgoing.clear();
    if (!this.exitInfo && this.child.stdin!.writable) this.child.stdin!.write(bytes);
  }

  /** Ends the agent now (SIGKILL); `reason` is reported in the exit. */
  kill(reason: string): void {
    if (this.exitInfo) return;
    this.killedBy ??= reason;
    this.child.kill('SIGKILL');
  }

  /** Closes stdin so the agent exits by itself; kills it if it has not after `graceMs`. */
  async dispose(graceMs = 1000, reason = 'dispose'): Promise<AgentExit> {
    if (!this.exitInfo) {
      this.killedBy ??= reason;
      this.flush();
      this.child.stdin!.end();
      const timer = setTimeout(() => this.kill(reason), graceMs);
      timer.unref();
      await this.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }

  private awaitHandshake(timeoutMs: number): Promise<Handshake> {
    return new Promise((resolveHandshake, reject) => {
      const timer = setTimeout(() => reject(new Error(`the agent sent no handshake within ${timeoutMs} ms (its start deadline: raise it with THUNK_AGENT_START_TIMEOUT_MS or --start-timeout)`)), timeoutMs);
      const fail = (message: string) => {
        clearTimeout(timer);
        reject(new Error(message));
      };
      this.child.once('error', (error) => fail(`could not start ${this.runtime.command}: ${error.message}`));
      void this.exited.then((exit) => fail(`${EXITED_BEFORE_HANDSHAKE} (${describeExit(exit)})`));
      this.onHandshake = (handshake) => {
        clearTimeout(timer);
        if (handshake.protocolVersion !== PROTOCOL_VERSION) fail(`the agent speaks protocol ${handshake.protocolVersion}, the host ${PROTOCOL_VERSION}: rebuild the agent (npm run stage:agents)`);
        else resolveHandshake(handshake);
      };
    });
  }

  private onStderr(chunk: Buffer): void {
    this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    if (this.runtime.wine && !this.stackOverflow && !this.exitInfo && WINE_STACK_OVERFLOW.test(this.stderrTail)) {
      this.stackOverflow = true;
      this.child.kill('SIGKILL');
    }
  }

  // Bad frames and malformed or unmatched messages are dropped: a request they should have
  // answered ends by its deadline or by the agent's exit.
  private onData(chunk: Buffer): void {
    for (const item of this.decoder.push(chunk)) {
      if (item.kind === 'frame') this.onMessage(item.message);
      else if (item.kind === 'garbage') this.emit('garbage', item.bytes.toString('utf8'));
    }
  }

  private onMessage(raw: unknown): void {
    if (this.onSuccess(raw)) return;
    const checked = validateAgentMessage(raw);
    if (!checked.ok) return;
    const message = checked.value;
    if (message.type === 'handshake') {
      this.onHandshake?.(message);
      this.onHandshake = null;
    } else if (message.type === 'response') {
      if (message.ok) this.settleAnswer(message.id, true, message.result);
      else this.settleAnswer(message.id, false, message.error);
    } else if (message.event === 'log') {
      this.emit('log', message);
    } else if (message.event === 'progress') {
      this.emit('progress', message);
    } else {
      this.onCrash(message);
    }
  }

  // A crash event is final once the agent dies, which it does at once: the event is written just
  // before the process ends. One that lives on without answering (seen under Wine, once, with
  // suites sharing the wineserver) would otherwise hold the call until its deadline and be reported
  // as hung. A response after the event means the DLL handled its own fault and the agent goes on.
  private onCrash(event: CrashEvent): void {
    this.crash = event;
    if (this.crashExitTimer) clearTimeout(this.crashExitTimer);
    this.crashExitTimer = setTimeout(() => this.kill(CRASHED_NOT_EXITING), this.crashExitGraceMs);
    this.crashExitTimer.unref();
  }

  /**
   * A response means the agent lives on. If it answers the request a crash event was sent for, that
   * exception was caught after all: it is handed back as the request's fault, not kept for the exit.
   */
  private answered(id: number): CrashEvent | undefined {
    if (this.crashExitTimer) {
      clearTimeout(this.crashExitTimer);
      this.crashExitTimer = null;
    }
    if (this.crash?.callId !== id) return undefined;
    const fault = this.crash;
    this.crash = null;
    return fault;
  }

  /**
   * The common case, a successful response: its result is checked once, against its request's op,
   * instead of as generic JSON first. Anything else (or anything odd) takes the full check.
   */
  private onSuccess(raw: unknown): boolean {
    const message = raw as { type?: unknown; id?: unknown; ok?: unknown; result?: unknown };
    if (typeof raw !== 'object' || raw === null || message.type !== 'response' || message.ok !== true || !Number.isSafeInteger(message.id)) return false;
    this.settleAnswer(message.id as number, true, message.result);
    return true;
  }

  /** `body`: the ok response's result (checked here against the op) or the error response's error. */
  private settleAnswer(id: number, ok: boolean, body: unknown): void {
    const fault = this.answered(id);
    const pending = this.takePending(id);
    if (!pending) return;
    const reply: Reply<Op> = ok ? okReply(pending.op, body) : { kind: 'error', error: body as ErrorResponse['error'] };
    pending.settle(fault && reply.kind !== 'exit' ? { ...reply, fault } : reply);
  }

  private takePending(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (pending) this.pending.delete(id);
    return pending;
  }

  private watchExit(resolveExit: (exit: AgentExit) => void): void {
    let done = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      live.delete(this);
      if (this.crashExitTimer) clearTimeout(this.crashExitTimer);
      // Under Wine the wineserver may still hold the pipes; they must not keep the host alive.
      for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) stream?.destroy();
      for (const item of this.decoder.end()) if (item.kind === 'garbage') this.emit('garbage', item.bytes.toString('utf8'));
      const exit = this.describe(code, signal);
      this.exitInfo = exit;
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.settle({ kind: 'exit', exit });
      }
      this.emit('exit', exit);
      resolveExit(exit);
    };
    this.child.on('error', () => {
      if (this.child.exitCode === null && this.child.pid === undefined) finish(null, null);
    });
    // 'close' waits for stdout to drain (the crash frame); a grandchild holding the pipe open
    // (Wine's debugger) must not delay the verdict for long.
    this.child.on('exit', (code, signal) => {
      const timer = setTimeout(() => finish(code, signal), 250);
      this.child.once('close', () => {
        clearTimeout(timer);
        finish(code, signal);
      });
    });
  }

  private describe(code: number | null, signal: NodeJS.Signals | null): AgentExit {
    const base = { code, signal, crash: this.crash, killedBy: this.killedBy, stderrTail: this.stderrTail.trim() };
    // Wine's debugger sometimes ends a faulting process with SIGKILL instead of the status.
    const wineFault = this.runtime.wine !== null && /Unhandled (page fault|exception)/.test(this.stderrTail);
    if (this.stackOverflow) return { ...base, status: 'STATUS_STACK_OVERFLOW', crashed: true, lowByteOnly: false };
    if (signal) {
      const status = wineFault ? wineStatus(this.stderrTail) : signal;
      const killedOnPurpose = this.killedBy !== null && this.killedBy !== CRASHED_NOT_EXITING;
      return { ...base, status, crashed: (CRASH_SIGNALS.has(signal) || wineFault || this.crash !== null) && !killedOnPurpose, lowByteOnly: false };
    }
    if (code === null || code === 0) return { ...base, status: null, crashed: this.crash !== null, lowByteOnly: false };
    const lowByteOnly = this.runtime.wine !== null;
    const decoded = decodeExitCode(code, lowByteOnly);
    // Under Wine, 5 could be ExitProcess(5): only a named exception status counts as a crash.
    return { ...base, status: decoded.status, crashed: this.crash !== null || (decoded.status !== null && !this.killedBy), lowByteOnly };
  }
}

/** An ok response's result, checked against its request's op. */
function okReply(op: Op, raw: unknown): Reply<Op> {
  const result = validateResult(op, raw);
  if (result.ok) return { kind: 'ok', result: result.value };
  return { kind: 'error', error: { code: 'internal', name: 'BAD_RESULT', message: `the agent's ${op} result is malformed: ${result.error}` } };
}

function wineStatus(stderr: string): string {
  if (/page fault/.test(stderr)) return 'STATUS_ACCESS_VIOLATION';
  if (/divide by zero/.test(stderr)) return 'STATUS_INTEGER_DIVIDE_BY_ZERO';
  if (/illegal instruction/.test(stderr)) return 'STATUS_ILLEGAL_INSTRUCTION';
  return 'unhandled exception';
}

/** "killed (SIGKILL)", "exit 5 (STATUS_ACCESS_VIOLATION?)", ... */
export function describeExit(exit: AgentExit): string {
  const how = exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`;
  const status = exit.status && !exit.signal ? ` (${exit.status}${exit.lowByteOnly ? '?' : ''})` : '';
  const by = exit.killedBy === USER_RESTART ? ', ended by a restart on request' : exit.killedBy ? `, killed by the host: ${exit.killedBy}` : '';
  return `${how}${status}${by}`;
}
