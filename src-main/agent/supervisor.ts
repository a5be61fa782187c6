// Runs DLL requests in agent processes: one agent per arch, started on demand, restarted after a
// crash or hang with its modules restored. Every request gets exactly one outcome and is never
// retried: only requests that never reached a running agent are (re)sent.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type {
  CallResult,
  CallingConvention,
  CrashEvent,
  EmptyParams,
  Handshake,
  JsonValue,
  LoadResult,
  LogEvent,
  ModulesResult,
  Op,
  PingResult,
  ResolveResult,
  UnloadResult,
} from '../../src-agent32/protocol/messages.ts';
import { AgentProcess, AgentStartError, EXITED_BEFORE_HANDSHAKE, type AgentExit, type ParamsOf, type Reply, type SpawnAgent, WINE_STACK_OVERFLOW } from './agent-process.ts';
import { JobQueue } from './job-queue.ts';
import { type BreakerOptions, type BreakerSnapshot, type BreakerState, CircuitBreaker, DEFAULT_BREAKER } from './circuit-breaker.ts';
import { type AgentInfo, type CrashReport, type LogEntry, type Outcome, type OutcomeError, crashReport, exitedError, faultReport, timeoutError } from './outcome.ts';
import { type AgentArch, type AgentExecution, type AgentRuntime, type ArchChoice, AGENT_ARCHES, archForFile, locateRuntime } from './runtime-locator.ts';
import { ensureWinePrefix } from './wine-prefix.ts';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1: the share of each delay that is randomised away. */
  jitter: number;
}

export interface SupervisorOptions {
  locate?: (arch: AgentArch) => AgentRuntime;
  /** Runs before each start, e.g. creating the Wine prefix. */
  prepare?: (runtime: AgentRuntime) => Promise<void>;
  spawnAgent?: SpawnAgent;
  handshakeTimeoutMs?: number;
  /** How long an agent that reported a crash may live on without answering before it is killed (default 5 s). */
  crashExitGraceMs?: number;
  /** Per-request deadline, counted from when the agent starts on it. */
  timeoutMs?: number;
  maxQueue?: number;
  /** Requests sent ahead to an agent (it runs them one at a time). */
  maxInFlight?: number;
  backoff?: BackoffOptions;
  breaker?: BreakerOptions;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
  /** Folder for a minidump of each crash (Windows agents; passed to them as THUNK_MINIDUMP_DIR). */
  minidumpDir?: string;
}

export type ArchOption = ArchChoice | AgentArch;

export interface LoadOptions {
  arch?: ArchOption;
  flags?: number;
  searchDirs?: string[];
  timeoutMs?: number;
}

export interface CallOptions {
  arch?: ArchOption;
  repeat?: number;
  timeoutMs?: number;
  declarations?: string;
  convention?: CallingConvention;
  /** Load flags if the call has to load the DLL first. */
  load?: Omit<LoadOptions, 'arch' | 'timeoutMs'>;
}

export interface SupervisorEvents {
  log: [{ arch: AgentArch; dll: string | null; stream: 'stdout' | 'stderr'; text: string }];
  crash: [{ arch: AgentArch; dll: string | null; crash: CrashReport }];
  exit: [{ arch: AgentArch; pid: number | null; exit: AgentExit }];
  start: [{ arch: AgentArch; pid: number | null; runtime: string; execution: AgentExecution['kind']; startMs: number }];
  restart: [{ arch: AgentArch; attempt: number; delayMs: number }];
  breaker: [{ dll: string; state: BreakerState }];
  progress: [{ arch: AgentArch; dll: string | null; done: number; total: number }];
  restoreFailed: [{ arch: AgentArch; dll: string; error: OutcomeError }];
}

export interface ArchStatus {
  arch: AgentArch;
  state: SlotState;
  pid: number | null;
  runtime: string | null;
  execution: AgentExecution['kind'] | null;
  queued: number;
  inFlight: number;
  starts: number;
  crashes: number;
  timeouts: number;
  consecutiveFailures: number;
  modules: string[];
  lastExit: AgentExit | null;
}

export interface SupervisorStatus {
  agents: ArchStatus[];
  breakers: BreakerSnapshot[];
}

type SlotState = 'stopped' | 'starting' | 'ready' | 'backoff';

interface Job {
  op: Op;
  dll: string | null;
  /** What is sent; ops that name a loaded DLL get its `handle` filled in when they are sent. */
  params: JobParams;
  timeoutMs: number;
  internal: boolean;
  probe: boolean;
  submittedAt: number;
  startedAt: number;
  requestId: number;
  logs: LogEntry[];
  settled: boolean;
  finish: (outcome: Outcome<unknown>) => void;
  /** Load options recorded when a load of `dll` succeeds. */
  loadOptions?: ModuleOptions;
}

interface ModuleOptions {
  flags?: number;
  searchDirs?: string[];
}

interface LoadedModule {
  options: ModuleOptions;
  handle: string | null;
  loading: Job | null;
}

interface ModuleRange {
  path: string;
  base: bigint;
  size: number;
}

interface Slot {
  arch: AgentArch;
  state: SlotState;
  agent: AgentProcess | null;
  handshake: Handshake | null;
  runtime: AgentRuntime | null;
  queue: JobQueue<Job>;
  inFlight: Job[];
  byId: Map<number, Job>;
  modules: Map<string, LoadedModule>;
  failures: number;
  starts: number;
  crashes: number;
  timeouts: number;
  lastExit: AgentExit | null;
  deadlineTimer: NodeJS.Timeout | null;
  deadlineAt: number;
  pingTimer: NodeJS.Timeout | null;
  backoffTimer: NodeJS.Timeout | null;
  lastActivity: number;
  starting: Promise<void> | null;
  /** The running agent as outcomes name it; one object shared by its outcomes. */
  info: AgentInfo | null;
  /** Address ranges of loaded modules, to place a crash address reported only by Wine. */
  ranges: ModuleRange[];
}

type JobParams = (ParamsOf<Op> | EmptyParams) & { handle?: string };
type JobSpec = { op: Op; dll: string | null; params: JobParams; timeoutMs?: number; loadOptions?: ModuleOptions };
type OutcomeBody = { kind: 'result'; result: unknown } | { kind: 'error'; error: OutcomeError } | { kind: 'crash'; crash: CrashReport };

const NEEDS_HANDLE = new Set<Op>(['call', 'resolve', 'unload']);
const GUARDED = new Set<Op>(['load', 'call', 'resolve']);
const ARCH_MEMO_LIMIT = 1024;

export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly slots = new Map<AgentArch, Slot>();
  private readonly breaker: CircuitBreaker;
  // Per file and choice: parsing the PE again for every request is wasted work, as a DLL in use keeps its machine.
  private readonly arches = new Map<string, Map<ArchChoice, AgentArch>>();
  private readonly options: Required<Omit<SupervisorOptions, 'spawnAgent' | 'handshakeTimeoutMs' | 'crashExitGraceMs' | 'minidumpDir'>> &
    Pick<SupervisorOptions, 'spawnAgent' | 'handshakeTimeoutMs' | 'crashExitGraceMs' | 'minidumpDir'>;
  private disposed = false;

  constructor(options: SupervisorOptions = {}) {
    super();
    this.options = {
      locate: (arch) => locateRuntime(arch),
      prepare: async (runtime) => (runtime.wine ? ensureWinePrefix(runtime.wine) : undefined),
      timeoutMs: 30_000,
      maxQueue: 1000,
      maxInFlight: 64,
      backoff: { baseMs: 100, maxMs: 5000, jitter: 0.5 },
      breaker: DEFAULT_BREAKER,
      pingIntervalMs: 10_000,
      pingTimeoutMs: 5000,
      random: Math.random,
      now: Date.now,
      ...options,
    };
    this.breaker = new CircuitBreaker(this.options.breaker, this.options.now, (dll, state) => this.emit('breaker', { dll, state }));
  }

  // ------------------------------------------------------------ public API

  /** Which agent a file needs ('auto' reads its PE machine); throws NotPeError/FileAccessError. */
  archFor(path: string, arch: ArchOption = 'auto'): AgentArch {
    return this.archForKey(path, dllKey(path), arch);
  }

  // Fields left undefined in params and load options never reach the agent: neither JSON nor the compact layout writes them.
  load(path: string, options: LoadOptions = {}): Promise<Outcome<LoadResult>> {
    const loadOptions = { flags: options.flags, searchDirs: options.searchDirs };
    return this.submitFor<LoadResult>(path, options.arch, 'load', options.timeoutMs, { path, ...loadOptions }, loadOptions);
  }

  call(path: string, prototype: string, args: JsonValue[], options: CallOptions = {}): Promise<Outcome<CallResult>> {
    const { repeat, convention, declarations } = options;
    const callOptions = repeat === undefined && convention === undefined ? undefined : { repeat, convention };
    const params = { handle: '', prototype, args, declarations, options: callOptions };
    return this.submitFor<CallResult>(path, options.arch, 'call', options.timeoutMs, params, options.load ?? {});
  }

  resolve(path: string, symbol: string, options: { arch?: ArchOption; timeoutMs?: number } = {}): Promise<Outcome<ResolveResult>> {
    return this.submitFor<ResolveResult>(path, options.arch, 'resolve', options.timeoutMs, { handle: '', symbol });
  }

  async unload(path: string, options: { arch?: ArchOption } = {}): Promise<Outcome<UnloadResult>> {
    const dll = dllKey(path);
    const outcome = await this.submitFor<UnloadResult>(path, options.arch, 'unload', undefined, { handle: '' }, undefined, dll);
    if (outcome.kind === 'result') this.slots.get(outcome.agent!.arch)?.modules.delete(dll);
    return outcome;
  }

  modules(arch: AgentArch): Promise<Outcome<ModulesResult>> {
    return this.submit<ModulesResult>(this.slot(arch), { op: 'modules', dll: null, params: {} });
  }

  ping(arch: AgentArch): Promise<Outcome<PingResult>> {
    return this.submit<PingResult>(this.slot(arch), { op: 'ping', dll: null, params: {} });
  }

  resetBreaker(path: string): void {
    this.breaker.reset(dllKey(path));
  }

  status(): SupervisorStatus {
    return { agents: [...this.slots.values()].map(slotStatus), breakers: this.breaker.snapshot() };
  }

  /** Fails what is queued, ends every agent and waits for them to be gone. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const exits: Promise<unknown>[] = [];
    for (const slot of this.slots.values()) {
      this.clearTimers(slot);
      if (slot.starting) exits.push(slot.starting);
      for (const job of slot.queue.drain()) this.settleError(slot, job, disposedError());
      if (slot.agent) exits.push(slot.agent.dispose(500));
    }
    await Promise.all(exits);
  }

  // ------------------------------------------------------------ submission

  private submitFor<R>(
    path: string, arch: ArchOption | undefined, op: Op, timeoutMs: number | undefined, params: JobParams, loadOptions?: ModuleOptions, dll = dllKey(path),
  ): Promise<Outcome<R>> {
    let agentArch: AgentArch;
    try {
      agentArch = this.archForKey(path, dll, arch ?? 'auto');
    } catch (error) {
      return Promise.resolve(immediateError(fileError(error)) as Outcome<R>);
    }
    return this.submit<R>(this.slot(agentArch), { op, dll, params, timeoutMs, loadOptions });
  }

  /** archFor with the file's key already computed; only successful answers are remembered. */
  private archForKey(path: string, dll: string, arch: ArchOption): AgentArch {
    if ((AGENT_ARCHES as readonly string[]).includes(arch)) return arch as AgentArch;
    let byChoice = this.arches.get(dll);
    let found = byChoice?.get(arch as ArchChoice);
    if (found === undefined) {
      found = archForFile(path, arch as ArchChoice);
      if (!byChoice) {
        if (this.arches.size >= ARCH_MEMO_LIMIT) this.arches.delete(this.arches.keys().next().value!);
        byChoice = new Map();
        this.arches.set(dll, byChoice);
      }
      byChoice.set(arch as ArchChoice, found);
    }
    return found;
  }

  private submit<R>(slot: Slot, spec: JobSpec): Promise<Outcome<R>> {
    if (this.disposed) return Promise.resolve(immediateError(disposedError()) as Outcome<R>);
    if (spec.dll && GUARDED.has(spec.op) && this.breaker.state(spec.dll) === 'open') return Promise.resolve(immediateError(circuitError(spec.dll)) as Outcome<R>);
    if (slot.queue.length >= this.options.maxQueue) {
      return Promise.resolve(immediateError({ code: 'QUEUE_FULL', name: 'QUEUE_FULL', message: `the ${slot.arch} agent already has ${slot.queue.length} requests waiting; try again later` }) as Outcome<R>);
    }
    return new Promise((finish) => {
      slot.queue.push(this.job(spec, false, finish as Job['finish']));
      this.kick(slot);
    });
  }

  private job(spec: JobSpec, internal: boolean, finish: Job['finish']): Job {
    const now = this.options.now();
    return {
      op: spec.op, dll: spec.dll, params: spec.params, timeoutMs: spec.timeoutMs ?? this.options.timeoutMs, internal, probe: false,
      submittedAt: now, startedAt: 0, requestId: 0, logs: [], settled: false, finish, loadOptions: spec.loadOptions,
    };
  }

  private slot(arch: AgentArch): Slot {
    let slot = this.slots.get(arch);
    if (!slot) {
      slot = {
        arch, state: 'stopped', agent: null, handshake: null, runtime: null, queue: new JobQueue<Job>(), inFlight: [], byId: new Map(), modules: new Map(),
        failures: 0, starts: 0, crashes: 0, timeouts: 0, lastExit: null, deadlineTimer: null, deadlineAt: Infinity, pingTimer: null, backoffTimer: null, lastActivity: 0,
        starting: null, ranges: [], info: null,
      };
      this.slots.set(arch, slot);
    }
    return slot;
  }

  private kick(slot: Slot): void {
    if (slot.state === 'ready') this.pump(slot);
    else if (slot.state === 'stopped') this.start(slot);
    // A restart pending only to restore modules must not keep the host alive; one with work must.
    else if (slot.state === 'backoff') slot.backoffTimer?.ref();
  }

  // ------------------------------------------------------------ agent lifecycle

  private start(slot: Slot): void {
    slot.starting = this.startAgent(slot).finally(() => (slot.starting = null));
  }

  private async startAgent(slot: Slot): Promise<void> {
    slot.state = 'starting';
    const began = performance.now();
    try {
      const runtime = withMinidumps(this.options.locate(slot.arch), this.options.minidumpDir);
      slot.runtime = runtime;
      await this.options.prepare(runtime);
      const { agent, handshake } = await this.startProcess(runtime);
      if (this.disposed) return void (await agent.dispose(0));
      this.attach(slot, agent, handshake);
      this.emit('start', { arch: slot.arch, pid: agent.pid, runtime: runtime.description, execution: runtime.execution.kind, startMs: performance.now() - began });
    } catch (error) {
      slot.state = 'stopped';
      slot.failures++;
      const message = (error as Error).message;
      for (const job of slot.queue.drain()) this.settleError(slot, job, { code: 'AGENT_UNAVAILABLE', name: (error as Error).name, message: `the ${slot.arch} agent could not start: ${message} (\`thunk doctor\` checks every agent runtime)` });
      return;
    }
    this.restoreModules(slot);
    this.pump(slot);
  }

  /**
   * An agent that dies before its handshake is started once more: no request has reached it, so
   * nothing is repeated (seen: Wine x64's node.exe now and then stops on a breakpoint while starting).
   */
  private async startProcess(runtime: AgentRuntime): Promise<{ agent: AgentProcess; handshake: Handshake }> {
    const { handshakeTimeoutMs, spawnAgent, crashExitGraceMs } = this.options;
    const start = () => AgentProcess.start(runtime, { handshakeTimeoutMs, spawnAgent, crashExitGraceMs });
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof AgentStartError) || !error.message.includes(EXITED_BEFORE_HANDSHAKE) || this.disposed) throw error;
      return start();
    }
  }

  private attach(slot: Slot, agent: AgentProcess, handshake: Handshake): void {
    slot.agent = agent;
    slot.info = infoOf(slot, agent);
    slot.handshake = handshake;
    slot.state = 'ready';
    slot.starts++;
    slot.lastActivity = this.options.now();
    agent.on('log', (event) => this.onLog(slot, event));
    agent.on('garbage', (text) => this.onLog(slot, { type: 'event', event: 'log', callId: null, stream: 'stdout', text }));
    agent.on('progress', (event) => this.emit('progress', { arch: slot.arch, dll: slot.byId.get(event.callId)?.dll ?? null, done: event.done, total: event.total }));
    agent.on('exit', (exit) => this.onExit(slot, agent, exit));
    this.armPing(slot);
  }

  // Modules loaded before the agent died are loaded again (the implicated ones were dropped).
  private restoreModules(slot: Slot): void {
    const restores: Job[] = [];
    for (const [dll, module] of slot.modules) {
      if (module.handle !== null || module.loading) continue;
      const job = this.job({ op: 'load', dll, params: { path: dll, ...module.options }, loadOptions: module.options }, true, (outcome) => {
        if (outcome.kind !== 'result') this.emit('restoreFailed', { arch: slot.arch, dll, error: outcome.kind === 'error' ? outcome.error : { code: 'LOAD_CRASHED', name: outcome.crash.name, message: 'the agent crashed loading it again' } });
      });
      module.loading = job;
      restores.push(job);
    }
    slot.queue.unshift(...restores);
  }

  private scheduleRestart(slot: Slot, wasBusy: boolean): void {
    if (this.disposed || slot.state !== 'stopped') return;
    if (!wasBusy && slot.queue.length === 0 && slot.modules.size === 0) return;
    const delayMs = this.backoffDelay(slot.failures);
    this.emit('restart', { arch: slot.arch, attempt: slot.failures, delayMs });
    if (delayMs === 0) return this.start(slot);
    slot.state = 'backoff';
    slot.backoffTimer = setTimeout(() => {
      slot.backoffTimer = null;
      slot.state = 'stopped';
      if (!this.disposed) this.start(slot);
    }, delayMs);
    if (slot.queue.length === 0) slot.backoffTimer.unref();
  }

  /** No delay for the first failure in a row, then base·2^(n-2) up to max, minus random jitter. */
  private backoffDelay(failures: number): number {
    if (failures <= 1) return 0;
    const { baseMs, maxMs, jitter } = this.options.backoff;
    const delay = Math.min(maxMs, baseMs * 2 ** (failures - 2));
    return Math.round(delay * (1 - jitter * this.options.random()));
  }

  // ------------------------------------------------------------ sending

  private pump(slot: Slot): void {
    const agent = slot.agent;
    if (!agent) return;
    while (slot.agent === agent && slot.state === 'ready' && slot.queue.length > 0 && slot.inFlight.length < this.options.maxInFlight) {
      const job = slot.queue.peek()!;
      if (!this.admit(slot, job)) continue;
      let handle: string | null = null;
      if (job.dll && NEEDS_HANDLE.has(job.op)) {
        const module = slot.modules.get(job.dll);
        if (module?.loading) break;
        if (!module || module.handle === null) {
          if (job.op === 'unload') {
            slot.queue.shift();
            this.settleError(slot, job, { code: 'NOT_LOADED', name: 'NOT_LOADED', message: `${job.dll} is not loaded in the ${slot.arch} agent` });
            continue;
          }
          slot.queue.unshift(this.implicitLoad(slot, job.dll, module?.options ?? job.loadOptions ?? {}));
          continue;
        }
        handle = module.handle;
      }
      slot.queue.shift();
      this.send(slot, agent, job, handle);
    }
  }

  /** Applies the DLL's breaker; a rejected job is taken off the queue and answered. */
  private admit(slot: Slot, job: Job): boolean {
    if (job.internal || job.probe || !job.dll || !GUARDED.has(job.op)) return true;
    const admission = this.breaker.admit(job.dll);
    if (admission === 'probe') job.probe = true;
    if (admission !== 'reject') return true;
    slot.queue.shift();
    this.settleError(slot, job, circuitError(job.dll));
    return false;
  }

  private implicitLoad(slot: Slot, dll: string, options: ModuleOptions): Job {
    const job = this.job({ op: 'load', dll, params: { path: dll, ...options }, loadOptions: options }, true, () => undefined);
    slot.modules.set(dll, { options, handle: null, loading: job });
    return job;
  }

  private send(slot: Slot, agent: AgentProcess, job: Job, handle: string | null): void {
    if (job.op === 'load' && job.dll) {
      const module = slot.modules.get(job.dll);
      if (module) module.loading = job;
      else slot.modules.set(job.dll, { options: job.loadOptions ?? {}, handle: null, loading: job });
    }
    if (handle !== null) job.params.handle = handle;
    const id = agent.send(job.op, job.params, (reply) => this.onReply(slot, job, reply));
    job.requestId = id;
    slot.byId.set(id, job);
    slot.inFlight.push(job);
    if (slot.inFlight.length === 1) this.startHead(slot);
  }

  // ------------------------------------------------------------ deadlines and pings

  private startHead(slot: Slot, now = this.options.now()): void {
    const head = slot.inFlight[0];
    if (!head) return;
    head.startedAt = now;
    const at = head.startedAt + head.timeoutMs;
    // One timer per agent, moved only when a deadline comes earlier than the armed one.
    if (slot.deadlineTimer && at >= slot.deadlineAt) return;
    if (slot.deadlineTimer) clearTimeout(slot.deadlineTimer);
    this.armDeadline(slot, at);
  }

  private armDeadline(slot: Slot, at: number): void {
    slot.deadlineAt = at;
    slot.deadlineTimer = setTimeout(() => this.onDeadline(slot), Math.max(0, at - this.options.now()));
    slot.deadlineTimer.unref();
  }

  private onDeadline(slot: Slot): void {
    slot.deadlineTimer = null;
    slot.deadlineAt = Infinity;
    const head = slot.inFlight[0];
    if (!head || !slot.agent) return;
    if (this.options.now() - head.startedAt >= head.timeoutMs) return slot.agent.kill('timeout');
    this.armDeadline(slot, head.startedAt + head.timeoutMs);
  }

  private armPing(slot: Slot): void {
    if (slot.pingTimer || this.options.pingIntervalMs <= 0) return;
    slot.pingTimer = setTimeout(() => {
      slot.pingTimer = null;
      if (slot.state !== 'ready' || this.disposed) return;
      const idleFor = this.options.now() - slot.lastActivity;
      if (idleFor >= this.options.pingIntervalMs && slot.inFlight.length === 0 && slot.queue.length === 0) {
        slot.queue.push(this.job({ op: 'ping', dll: null, params: {}, timeoutMs: this.options.pingTimeoutMs }, true, () => undefined));
        this.pump(slot);
      }
      this.armPing(slot);
    }, this.options.pingIntervalMs);
    slot.pingTimer.unref();
  }

  // ------------------------------------------------------------ replies

  private onReply(slot: Slot, job: Job, reply: Reply<Op>): void {
    if (reply.kind === 'exit' || job.settled) return;
    slot.byId.delete(job.requestId);
    // The agent answers in order, so this is nearly always the head.
    const index = slot.inFlight[0] === job ? 0 : slot.inFlight.indexOf(job);
    if (index === 0) slot.inFlight.shift();
    else if (index > 0) slot.inFlight.splice(index, 1);
    const now = this.options.now();
    if (index === 0) this.startHead(slot, now);
    slot.lastActivity = now;
    if (job.op === 'load' && job.dll) this.onLoadReply(slot, job, reply);
    if (job.dll && job.probe) this.breaker.success(job.dll);
    if (reply.kind === 'ok') {
      if (!job.internal || job.op === 'ping') slot.failures = 0;
      this.settle(slot, job, { kind: 'result', result: reply.result }, undefined, now, reply.fault);
    } else {
      this.settle(slot, job, { kind: 'error', error: reply.error }, undefined, now, reply.fault);
    }
    this.pump(slot);
  }

  private onLoadReply(slot: Slot, job: Job, reply: Reply<Op>): void {
    const module = slot.modules.get(job.dll!);
    if (module?.loading === job) module.loading = null;
    if (reply.kind === 'ok') {
      const { handle, newModules } = reply.result as LoadResult;
      for (const m of newModules) if (m.base && m.size) slot.ranges.push({ path: m.path, base: BigInt(m.base), size: m.size });
      if (module) module.handle = handle;
      else slot.modules.set(job.dll!, { options: job.loadOptions ?? {}, handle, loading: null });
    } else if (reply.kind === 'error') {
      if (module && module.handle === null) slot.modules.delete(job.dll!);
      this.failDependents(slot, job.dll!, reply.error);
    }
  }

  /** Queued requests that needed a DLL that failed to load get that failure (they never ran). */
  private failDependents(slot: Slot, dll: string, error: OutcomeError): void {
    const waiting = slot.queue.extract((j) => j.dll === dll && NEEDS_HANDLE.has(j.op));
    for (const job of waiting) {
      if (job.probe) this.breaker.release(dll);
      this.settleError(slot, job, { ...error, message: `loading ${dll} failed: ${error.message}` });
    }
  }

  private onLog(slot: Slot, event: LogEvent): void {
    const job = event.callId !== null ? slot.byId.get(event.callId) : slot.inFlight[0];
    job?.logs.push({ stream: event.stream, text: event.text });
    this.emit('log', { arch: slot.arch, dll: job?.dll ?? null, stream: event.stream, text: event.text });
  }

  // ------------------------------------------------------------ exits

  private onExit(slot: Slot, agent: AgentProcess, exit: AgentExit): void {
    if (slot.agent !== agent) return;
    slot.agent = null;
    slot.info = null;
    slot.state = 'stopped';
    slot.lastExit = exit;
    this.clearTimers(slot);
    this.emit('exit', { arch: slot.arch, pid: agent.pid, exit });
    const inFlight = slot.inFlight;
    slot.inFlight = [];
    slot.byId.clear();
    if (this.disposed) return void inFlight.forEach((job) => this.settleError(slot, job, disposedError()));
    const culprit = inFlight[0] ?? null;
    if (exit.crashed && !exit.crash) exit.crash = crashFromWineStderr(exit, slot.ranges);
    slot.ranges = [];
    const implicated = this.implicated(slot, culprit, exit);
    if (culprit) this.blame(slot, culprit, exit, agent);
    else if (exit.crashed) this.emit('crash', { arch: slot.arch, dll: null, crash: crashReport(exit) });
    for (const [dll, module] of slot.modules) {
      if (implicated.has(dll)) slot.modules.delete(dll);
      else Object.assign(module, { handle: null, loading: null });
    }
    // Requests behind the culprit never started (the agent runs one at a time): send them again.
    // Internal loads are not resent: restoreModules issues them again for what is still wanted.
    slot.queue.unshift(...inFlight.slice(1).filter((job) => !job.internal));
    if (culprit || exit.crashed) slot.failures++;
    this.scheduleRestart(slot, culprit !== null);
  }

  private implicated(slot: Slot, culprit: Job | null, exit: AgentExit): Set<string> {
    const dlls = new Set<string>();
    if (culprit?.dll) dlls.add(culprit.dll);
    const module = exit.crash?.module?.toLowerCase();
    if (module) for (const dll of slot.modules.keys()) if (baseName(dll) === baseName(module)) dlls.add(dll);
    return dlls;
  }

  private blame(slot: Slot, job: Job, exit: AgentExit, agent: AgentProcess): void {
    const agentInfo = infoOf(slot, agent);
    if (job.dll) this.breaker.failure(job.dll);
    if (job.op === 'load' && job.dll) this.failDependents(slot, job.dll, loadCrashError(exit));
    if (exit.killedBy === 'timeout') {
      slot.timeouts++;
      return this.settleError(slot, job, timeoutError(job.timeoutMs), agentInfo);
    }
    if (!exit.crashed) return this.settleError(slot, job, exitedError(exit), agentInfo);
    slot.crashes++;
    const crash = crashReport(exit);
    this.emit('crash', { arch: slot.arch, dll: job.dll, crash });
    this.settle(slot, job, { kind: 'crash', crash }, agentInfo);
  }

  private clearTimers(slot: Slot): void {
    for (const key of ['deadlineTimer', 'pingTimer', 'backoffTimer'] as const) {
      const timer = slot[key];
      if (timer) clearTimeout(timer);
      slot[key] = null;
    }
    slot.deadlineAt = Infinity;
    if (slot.state === 'backoff') slot.state = 'stopped';
  }

  // ------------------------------------------------------------ outcomes

  private settle(slot: Slot, job: Job, body: OutcomeBody, agent?: AgentInfo | null, now = this.options.now(), fault?: CrashEvent): void {
    if (job.settled) return;
    job.settled = true;
    const info = agent ?? slot.info;
    const elapsedMs = now - job.submittedAt;
    const outcome: Outcome<unknown> =
      body.kind === 'result' ? { kind: 'result', result: body.result, agent: info, logs: job.logs, elapsedMs }
      : body.kind === 'error' ? { kind: 'error', error: body.error, agent: info, logs: job.logs, elapsedMs }
      : { kind: 'crash', crash: body.crash, agent: info, logs: job.logs, elapsedMs };
    if (fault) outcome.handledFault = faultReport(fault);
    job.finish(outcome);
  }

  private settleError(slot: Slot, job: Job, error: OutcomeError, agent?: AgentInfo | null): void {
    this.settle(slot, job, { kind: 'error', error }, agent);
  }
}

/**
 * Wine's "Unhandled page fault on write access to 00000010 at address 6B50156A", or its stack
 * overflow line ("virtual_setup_exception stack overflow 5712 bytes addr 0x6b501560 ..."), placed in a module.
 */
export function crashFromWineStderr(exit: AgentExit, ranges: ModuleRange[]): CrashEvent | null {
  const overflow = WINE_STACK_OVERFLOW.exec(exit.stderrTail);
  const fault = overflow ? null : /Unhandled (.+?) at address ([0-9A-Fa-f]+)/.exec(exit.stderrTail);
  const hexAddress = overflow?.[1] ?? fault?.[2];
  if (!hexAddress) return null;
  const address = BigInt(`0x${hexAddress}`);
  const access = fault ? /(read|write|execute) access to ([0-9A-Fa-f]+)/.exec(fault[1]!) : null;
  const range = ranges.find((r) => address >= r.base && address < r.base + BigInt(r.size));
  const module = range ? range.path.split(/[\\/]/).pop()! : null;
  const offset = range ? Number(address - range.base) : null;
  const frame = { address: `0x${address.toString(16)}`, module, offset, symbol: null };
  const report = crashReport(exit);
  return {
    type: 'event', event: 'crash', callId: null, code: report.code ?? exit.code ?? 0, name: report.name, address: frame.address, module, offset, symbol: null,
    ...(access ? { accessKind: access[1] as 'read' | 'write' | 'execute', accessAddress: `0x${BigInt(`0x${access[2]}`).toString(16)}` } : {}),
    registers: {}, frames: [frame], jsStack: '',
  };
}

function withMinidumps(runtime: AgentRuntime, dir: string | undefined): AgentRuntime {
  if (!dir || runtime.arch === 'linux-x64') return runtime;
  mkdirSync(dir, { recursive: true });
  return { ...runtime, env: { ...runtime.env, THUNK_MINIDUMP_DIR: resolvePath(dir) } };
}

function infoOf(slot: Slot, agent: AgentProcess): AgentInfo {
  const runtime = slot.runtime ?? agent.runtime;
  return { arch: slot.arch, pid: agent.pid, runtime: runtime.description, execution: runtime.execution.kind };
}

function slotStatus(slot: Slot): ArchStatus {
  return {
    arch: slot.arch, state: slot.state, pid: slot.agent?.pid ?? null, runtime: slot.runtime?.description ?? null, execution: slot.runtime?.execution.kind ?? null,
    queued: slot.queue.length, inFlight: slot.inFlight.length, starts: slot.starts, crashes: slot.crashes, timeouts: slot.timeouts,
    consecutiveFailures: slot.failures, modules: [...slot.modules.keys()], lastExit: slot.lastExit,
  };
}

function immediateError(error: OutcomeError): Outcome<never> {
  return { kind: 'error', error, agent: null, logs: [], elapsedMs: 0 };
}

function disposedError(): OutcomeError {
  return { code: 'DISPOSED', name: 'DISPOSED', message: 'the supervisor was shut down before the request ran' };
}

function circuitError(dll: string): OutcomeError {
  return {
    code: 'CIRCUIT_OPEN', name: 'CIRCUIT_OPEN',
    message: `${dll} crashed or hung the agent repeatedly; requests for it are refused for a while`,
    advice: 'wait for the probe window, or reset the breaker',
  };
}

function loadCrashError(exit: AgentExit): OutcomeError {
  return { code: 'LOAD_CRASHED', name: exit.killedBy === 'timeout' ? 'CALL_HUNG' : crashReport(exit).name, message: 'the agent died while loading the DLL' };
}

function fileError(error: unknown): OutcomeError {
  const name = (error as Error).name;
  if (name === 'FileAccessError') return { code: 'path-missing', name, message: (error as Error).message };
  if (name === 'NotPeError') return { code: 'NOT_LOADABLE', name, message: (error as Error).message };
  throw error;
}

const dllKeys = new Map<string, string>();
const DLL_KEY_MEMO_LIMIT = 1024;

/** The key a DLL is tracked under: its absolute path (case-folded on Windows). */
export function dllKey(path: string): string {
  const known = dllKeys.get(path);
  if (known !== undefined) return known;
  const absolute = resolvePath(path);
  const key = process.platform === 'win32' ? absolute.toLowerCase() : absolute;
  // A relative path's key depends on the working folder, so only absolute ones are remembered.
  if (isAbsolute(path)) {
    if (dllKeys.size >= DLL_KEY_MEMO_LIMIT) dllKeys.clear();
    dllKeys.set(path, key);
  }
  return key;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop()!.toLowerCase();
}
