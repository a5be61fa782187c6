// One architecture's agent through its life: started on demand, fed requests in order with one
// deadline at a time, pinged when idle, and after a crash, hang or exit, the request it died on
// answered (never resent), the requests behind it sent again, and a restart with backoff that
// loads its modules again.
import { mkdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { CrashEvent, Handshake, LoadResult, LogEvent, Op } from '../../../src-agent32/protocol/messages.ts';
import { AgentProcess, AgentStartError, EXITED_BEFORE_HANDSHAKE, USER_RESTART, WINE_BREAKPOINT_STOP, type AgentExit, type Reply } from './agent-process.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { JobQueue } from './job-queue.ts';
import { ModuleRegistry } from './module-registry.ts';
import { type AgentInfo, type CrashReport, type OutcomeError, crashReport, exitedError, restartedError, timeoutError } from './outcome.ts';
import type { AgentArch, AgentRuntime } from './runtime-locator.ts';
import {
  type Job, type JobSpec, type ModuleOptions, type OutcomeBody, GUARDED, NEEDS_HANDLE, circuitError, disposedError, loadCrashError, newJob, settleJob,
} from './supervisor-job.ts';
import type { ArchStatus, ResolvedOptions, SlotState, SupervisorEvents } from './supervisor-options.ts';
import { crashFromWineStderr } from './wine-crash-heuristics.ts';

/** What a slot shares with the supervisor that owns it. */
export interface SlotHost {
  readonly options: ResolvedOptions;
  readonly breaker: CircuitBreaker;
  emit<E extends keyof SupervisorEvents>(event: E, ...args: SupervisorEvents[E]): boolean;
  isDisposed(): boolean;
}

/** How long a restarted agent gets to finish by itself (an idle one exits at once) before it is killed. */
const RESTART_GRACE_MS = 1000;

export class AgentSlot {
  state: SlotState = 'stopped';
  readonly queue = new JobQueue<Job>();
  readonly modules = new ModuleRegistry();
  private agent: AgentProcess | null = null;
  private runtime: AgentRuntime | null = null;
  private inFlight: Job[] = [];
  private readonly byId = new Map<number, Job>();
  private failures = 0;
  private starts = 0;
  private crashes = 0;
  private timeouts = 0;
  private lastExit: AgentExit | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private deadlineAt = Infinity;
  private pingTimer: NodeJS.Timeout | null = null;
  private backoffTimer: NodeJS.Timeout | null = null;
  private lastActivity = 0;
  private starting: Promise<void> | null = null;
  private lastStartError: string | null = null;
  /** Why this runtime is asked for no minidump although the supervisor has a folder for them. */
  private minidumpsUnavailable: string | null = null;
  /** The running agent as outcomes name it; one object shared by its outcomes. */
  private info: AgentInfo | null = null;

  constructor(readonly arch: AgentArch, private readonly host: SlotHost) {}

  job(spec: JobSpec, internal: boolean, finish: Job['finish']): Job {
    return newJob(spec, internal, finish, this.host.options.timeoutMs, this.host.options.now());
  }

  enqueue(job: Job): void {
    this.queue.push(job);
    this.kick();
  }

  status(): ArchStatus {
    return {
      arch: this.arch, state: this.state, pid: this.agent?.pid ?? null, runtime: this.runtime?.description ?? null, execution: this.runtime?.execution.kind ?? null,
      queued: this.queue.length, inFlight: this.inFlight.length, starts: this.starts, crashes: this.crashes, timeouts: this.timeouts,
      consecutiveFailures: this.failures, modules: this.modules.names(), lastExit: this.lastExit,
    };
  }

  /** Fails what is queued and ends the agent; resolves when it is gone. */
  dispose(): Promise<unknown> {
    this.clearTimers();
    const exits: Promise<unknown>[] = [];
    if (this.starting) exits.push(this.starting);
    for (const job of this.queue.drain()) this.settleError(job, disposedError());
    if (this.agent) exits.push(this.agent.dispose(500));
    return Promise.all(exits);
  }

  /**
   * Ends the agent on the user's word and starts a new one with its modules loaded again. A request
   * it was running is answered as ended by the restart (never sent again, and not held against the
   * DLL's breaker); those queued behind it go to the new agent. Resolves once the new agent is
   * ready; rejects with why it could not start.
   */
  async restart(): Promise<void> {
    if (this.starting) await this.starting;
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = null;
    if (this.state === 'backoff') this.state = 'stopped';
    this.failures = 0;
    const agent = this.agent;
    if (agent) await agent.dispose(RESTART_GRACE_MS, USER_RESTART);
    if (!this.starting && this.state === 'stopped' && !this.host.isDisposed()) this.start();
    await this.starting;
    if (this.state !== 'ready') throw new AgentStartError(`the ${this.arch} agent did not start again: ${this.lastStartError ?? `it is ${this.state}`}`);
  }

  private kick(): void {
    if (this.state === 'ready') this.pump();
    else if (this.state === 'stopped') this.start();
    // A restart pending only to restore modules must not keep the host alive; one with work must.
    else if (this.state === 'backoff') this.backoffTimer?.ref();
  }

  // ------------------------------------------------------------ agent lifecycle

  private start(): void {
    this.starting = this.startAgent().finally(() => (this.starting = null));
  }

  private async startAgent(): Promise<void> {
    this.state = 'starting';
    const began = performance.now();
    try {
      const located = this.host.options.locate(this.arch);
      this.minidumpsUnavailable = this.host.options.minidumpDir ? minidumpUnavailable(located) : null;
      const runtime = this.minidumpsUnavailable ? located : withMinidumps(located, this.host.options.minidumpDir);
      this.runtime = runtime;
      await this.host.options.prepare(runtime);
      const { agent } = await this.startProcess(runtime);
      if (this.host.isDisposed()) return void (await agent.dispose(0));
      this.attach(agent);
      this.lastStartError = null;
      this.host.emit('start', { arch: this.arch, pid: agent.pid, runtime: runtime.description, execution: runtime.execution.kind, startMs: performance.now() - began });
    } catch (error) {
      this.state = 'stopped';
      this.failures++;
      const message = (error as Error).message;
      this.lastStartError = message;
      for (const job of this.queue.drain()) this.settleError(job, { code: 'AGENT_UNAVAILABLE', name: (error as Error).name, message: `the ${this.arch} agent could not start: ${message} (\`thunk doctor\` checks every agent runtime)` });
      return;
    }
    this.restoreModules();
    this.pump();
  }

  /**
   * An agent that dies before its handshake is started again, after a growing pause: no request
   * has reached it, so nothing is repeated. Seen under Wine x64 right after an agent crashed: the
   * new node.exe stops at DbgBreakPoint while starting, at times for many seconds (six starts over
   * 26 s in one CI run), then starts. After such a stop the next starts run with Wine's exception
   * trace on, so that a start that still fails says where the breakpoint came from.
   */
  private async startProcess(runtime: AgentRuntime): Promise<{ agent: AgentProcess; handshake: Handshake }> {
    const { handshakeTimeoutMs, spawnAgent, crashExitGraceMs, startRetryPausesMs } = this.host.options;
    let current = runtime;
    for (let attempt = 0; ; attempt++) {
      try {
        return await AgentProcess.start(current, { handshakeTimeoutMs, spawnAgent, crashExitGraceMs });
      } catch (error) {
        const pause = startRetryPausesMs[attempt];
        if (pause === undefined || !(error instanceof AgentStartError) || !error.message.includes(EXITED_BEFORE_HANDSHAKE) || this.host.isDisposed()) throw error;
        if (runtime.wine && WINE_BREAKPOINT_STOP.test(error.stderrTail)) current = withWineTrace(runtime, 'seh');
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  private attach(agent: AgentProcess): void {
    this.agent = agent;
    this.info = this.infoOf(agent);
    this.state = 'ready';
    this.starts++;
    this.lastActivity = this.host.options.now();
    agent.on('log', (event) => this.onLog(event));
    agent.on('garbage', (text) => this.onLog({ type: 'event', event: 'log', callId: null, stream: 'stdout', text }));
    agent.on('progress', (event) => this.host.emit('progress', { arch: this.arch, dll: this.byId.get(event.callId)?.dll ?? null, done: event.done, total: event.total }));
    agent.on('exit', (exit) => this.onExit(agent, exit));
    this.armPing();
  }

  // Modules loaded before the agent died are loaded again (the implicated ones were dropped).
  private restoreModules(): void {
    const restores: Job[] = [];
    for (const [dll, options] of this.modules.toRestore()) {
      const job = this.job({ op: 'load', dll, params: { path: dll, ...options }, loadOptions: options }, true, (outcome) => {
        if (outcome.kind !== 'result') this.host.emit('restoreFailed', { arch: this.arch, dll, error: outcome.kind === 'error' ? outcome.error : { code: 'LOAD_CRASHED', name: outcome.crash.name, message: 'the agent crashed loading it again' } });
      });
      this.modules.startLoading(dll, job, options);
      restores.push(job);
    }
    this.queue.unshift(...restores);
  }

  private scheduleRestart(wasBusy: boolean): void {
    if (this.host.isDisposed() || this.state !== 'stopped') return;
    if (!wasBusy && this.queue.length === 0 && this.modules.size === 0) return;
    const delayMs = this.backoffDelay(this.failures);
    this.host.emit('restart', { arch: this.arch, attempt: this.failures, delayMs });
    if (delayMs === 0) return this.start();
    this.state = 'backoff';
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = null;
      this.state = 'stopped';
      if (!this.host.isDisposed()) this.start();
    }, delayMs);
    if (this.queue.length === 0) this.backoffTimer.unref();
  }

  /** No delay for the first failure in a row, then base·2^(n-2) up to max, minus random jitter. */
  private backoffDelay(failures: number): number {
    if (failures <= 1) return 0;
    const { baseMs, maxMs, jitter } = this.host.options.backoff;
    const delay = Math.min(maxMs, baseMs * 2 ** (failures - 2));
    return Math.round(delay * (1 - jitter * this.host.options.random()));
  }

  // ------------------------------------------------------------ sending

  private pump(): void {
    const agent = this.agent;
    if (!agent) return;
    while (this.agent === agent && this.state === 'ready' && this.queue.length > 0 && this.inFlight.length < this.host.options.maxInFlight) {
      const job = this.queue.peek()!;
      if (!this.admit(job)) continue;
      let handle: string | null = null;
      if (job.dll && NEEDS_HANDLE.has(job.op)) {
        const module = this.modules.handleOf(job.dll);
        if (module.pending) break;
        if (module.handle === null) {
          if (job.op === 'unload') {
            this.queue.shift();
            this.settleError(job, { code: 'NOT_LOADED', name: 'NOT_LOADED', message: `${job.dll} is not loaded in the ${this.arch} agent` });
            continue;
          }
          this.queue.unshift(this.implicitLoad(job.dll, module.options ?? job.loadOptions ?? {}));
          continue;
        }
        handle = module.handle;
      }
      this.queue.shift();
      this.send(agent, job, handle);
    }
  }

  /** Applies the DLL's breaker; a rejected job is taken off the queue and answered. */
  private admit(job: Job): boolean {
    if (job.internal || job.probe || !job.dll || !GUARDED.has(job.op)) return true;
    const admission = this.host.breaker.admit(job.dll);
    if (admission === 'probe') job.probe = true;
    if (admission !== 'reject') return true;
    this.queue.shift();
    this.settleError(job, circuitError(job.dll));
    return false;
  }

  private implicitLoad(dll: string, options: ModuleOptions): Job {
    const job = this.job({ op: 'load', dll, params: { path: dll, ...options }, loadOptions: options }, true, () => undefined);
    this.modules.startLoading(dll, job, options);
    return job;
  }

  private send(agent: AgentProcess, job: Job, handle: string | null): void {
    if (job.op === 'load' && job.dll) this.modules.startLoading(job.dll, job, job.loadOptions ?? {});
    if (handle !== null) job.params.handle = handle;
    const id = agent.send(job.op, job.params, (reply) => this.onReply(job, reply));
    job.requestId = id;
    this.byId.set(id, job);
    this.inFlight.push(job);
    if (this.inFlight.length === 1) this.startHead();
  }

  // ------------------------------------------------------------ deadlines and pings

  private startHead(now = this.host.options.now()): void {
    const head = this.inFlight[0];
    if (!head) return;
    head.startedAt = now;
    const at = head.startedAt + head.timeoutMs;
    // One timer per agent, moved only when a deadline comes earlier than the armed one.
    if (this.deadlineTimer && at >= this.deadlineAt) return;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.armDeadline(at);
  }

  private armDeadline(at: number): void {
    this.deadlineAt = at;
    this.deadlineTimer = setTimeout(() => this.onDeadline(), Math.max(0, at - this.host.options.now()));
    this.deadlineTimer.unref();
  }

  private onDeadline(): void {
    this.deadlineTimer = null;
    this.deadlineAt = Infinity;
    const head = this.inFlight[0];
    if (!head || !this.agent) return;
    if (this.host.options.now() - head.startedAt >= head.timeoutMs) return this.agent.kill('timeout');
    this.armDeadline(head.startedAt + head.timeoutMs);
  }

  private armPing(): void {
    const { pingIntervalMs, pingTimeoutMs } = this.host.options;
    if (this.pingTimer || pingIntervalMs <= 0) return;
    this.pingTimer = setTimeout(() => {
      this.pingTimer = null;
      if (this.state !== 'ready' || this.host.isDisposed()) return;
      const idleFor = this.host.options.now() - this.lastActivity;
      if (idleFor >= pingIntervalMs && this.inFlight.length === 0 && this.queue.length === 0) {
        this.queue.push(this.job({ op: 'ping', dll: null, params: {}, timeoutMs: pingTimeoutMs }, true, () => undefined));
        this.pump();
      }
      this.armPing();
    }, pingIntervalMs);
    this.pingTimer.unref();
  }

  // ------------------------------------------------------------ replies

  private onReply(job: Job, reply: Reply<Op>): void {
    if (reply.kind === 'exit' || job.settled) return;
    this.byId.delete(job.requestId);
    // The agent answers in order, so this is nearly always the head.
    const index = this.inFlight[0] === job ? 0 : this.inFlight.indexOf(job);
    if (index === 0) this.inFlight.shift();
    else if (index > 0) this.inFlight.splice(index, 1);
    const now = this.host.options.now();
    if (index === 0) this.startHead(now);
    this.lastActivity = now;
    if (job.op === 'load' && job.dll) this.onLoadReply(job, reply);
    if (job.dll && job.probe) this.host.breaker.success(job.dll);
    if (reply.kind === 'ok') {
      if (!job.internal || job.op === 'ping') this.failures = 0;
      this.settle(job, { kind: 'result', result: reply.result }, undefined, now, reply.fault);
    } else {
      this.settle(job, { kind: 'error', error: reply.error }, undefined, now, reply.fault);
    }
    this.pump();
  }

  private onLoadReply(job: Job, reply: Reply<Op>): void {
    this.modules.loadAnswered(job.dll!, job, reply.kind === 'ok' ? (reply.result as LoadResult) : null);
    if (reply.kind === 'error') this.failDependents(job.dll!, reply.error);
  }

  /** Queued requests that needed a DLL that failed to load get that failure (they never ran). */
  private failDependents(dll: string, error: OutcomeError): void {
    const waiting = this.queue.extract((j) => j.dll === dll && NEEDS_HANDLE.has(j.op));
    for (const job of waiting) {
      if (job.probe) this.host.breaker.release(dll);
      this.settleError(job, { ...error, message: `loading ${dll} failed: ${error.message}` });
    }
  }

  private onLog(event: LogEvent): void {
    const job = event.callId !== null ? this.byId.get(event.callId) : this.inFlight[0];
    job?.logs.push({ stream: event.stream, text: event.text });
    this.host.emit('log', { arch: this.arch, dll: job?.dll ?? null, stream: event.stream, text: event.text });
  }

  // ------------------------------------------------------------ exits

  private onExit(agent: AgentProcess, exit: AgentExit): void {
    if (this.agent !== agent) return;
    this.agent = null;
    this.info = null;
    this.state = 'stopped';
    this.lastExit = exit;
    this.clearTimers();
    this.host.emit('exit', { arch: this.arch, pid: agent.pid, exit });
    const inFlight = this.inFlight;
    this.inFlight = [];
    this.byId.clear();
    if (this.host.isDisposed()) return void inFlight.forEach((job) => this.settleError(job, disposedError()));
    const culprit = inFlight[0] ?? null;
    if (exit.crashed && !exit.crash) exit.crash = crashFromWineStderr(exit, this.modules.ranges());
    this.modules.agentDied(culprit?.dll ?? null, exit.crash?.module);
    if (culprit) this.blame(culprit, exit, agent);
    else if (exit.crashed) this.host.emit('crash', { arch: this.arch, dll: null, crash: this.crashReportOf(exit) });
    // Requests behind the culprit never started (the agent runs one at a time): send them again.
    // Internal loads are not resent: restoreModules issues them again for what is still wanted.
    this.queue.unshift(...inFlight.slice(1).filter((job) => !job.internal));
    if (exit.killedBy === USER_RESTART) return this.start();
    if (culprit || exit.crashed) this.failures++;
    this.scheduleRestart(culprit !== null);
  }

  private blame(job: Job, exit: AgentExit, agent: AgentProcess): void {
    const agentInfo = this.infoOf(agent);
    if (exit.killedBy === USER_RESTART) return this.settleError(job, restartedError(), agentInfo);
    if (job.dll) this.host.breaker.failure(job.dll);
    if (job.op === 'load' && job.dll) this.failDependents(job.dll, loadCrashError(exit));
    if (exit.killedBy === 'timeout') {
      this.timeouts++;
      return this.settleError(job, timeoutError(job.timeoutMs), agentInfo);
    }
    if (!exit.crashed) return this.settleError(job, exitedError(exit), agentInfo);
    this.crashes++;
    const crash = this.crashReportOf(exit);
    this.host.emit('crash', { arch: this.arch, dll: job.dll, crash });
    this.settle(job, { kind: 'crash', crash }, agentInfo);
  }

  private crashReportOf(exit: AgentExit): CrashReport {
    const crash = crashReport(exit);
    if (this.minidumpsUnavailable && !crash.minidump && !crash.minidumpError) crash.minidumpError = this.minidumpsUnavailable;
    return crash;
  }

  private clearTimers(): void {
    for (const timer of [this.deadlineTimer, this.pingTimer, this.backoffTimer]) if (timer) clearTimeout(timer);
    this.deadlineTimer = this.pingTimer = this.backoffTimer = null;
    this.deadlineAt = Infinity;
    if (this.state === 'backoff') this.state = 'stopped';
  }

  // ------------------------------------------------------------ outcomes

  private settle(job: Job, body: OutcomeBody, agent?: AgentInfo | null, now = this.host.options.now(), fault?: CrashEvent): void {
    settleJob(job, body, agent ?? this.info, now, fault);
  }

  settleError(job: Job, error: OutcomeError, agent?: AgentInfo | null): void {
    this.settle(job, { kind: 'error', error }, agent);
  }

  private infoOf(agent: AgentProcess): AgentInfo {
    const runtime = this.runtime ?? agent.runtime;
    return { arch: this.arch, pid: agent.pid, runtime: runtime.description, execution: runtime.execution.kind };
  }
}

function withWineTrace(runtime: AgentRuntime, channel: string): AgentRuntime {
  const current = runtime.env.WINEDEBUG ?? '';
  return current.includes(`+${channel}`) ? runtime : { ...runtime, env: { ...runtime.env, WINEDEBUG: `${current},+${channel}` } };
}

/** Under Wine x64 the agent's MiniDumpWriteDump writes the dump and never returns, so none is asked for. */
export const WINE_X64_NO_MINIDUMP = 'no minidump under Wine x64: its MiniDumpWriteDump never returns in the crash handler (README, Known problems); the 32-bit agent and Windows write them';

function minidumpUnavailable(runtime: AgentRuntime): string | null {
  return runtime.arch === 'win32-x64' && runtime.wine ? WINE_X64_NO_MINIDUMP : null;
}

function withMinidumps(runtime: AgentRuntime, dir: string | undefined): AgentRuntime {
  if (!dir || runtime.arch === 'linux-x64') return runtime;
  mkdirSync(dir, { recursive: true });
  return { ...runtime, env: { ...runtime.env, THUNK_MINIDUMP_DIR: resolvePath(dir) } };
}
