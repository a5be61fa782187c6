// Runs DLL requests in agent processes: one agent per arch, started on demand, restarted after a
// crash or hang with its modules restored. Every request gets exactly one outcome and is never
// retried: only requests that never reached a running agent are (re)sent. This is the façade:
// the per-arch lifecycle is AgentSlot's, the loaded modules ModuleRegistry's.
import { EventEmitter } from 'node:events';
import type { CallResult, JsonValue, LoadResult, ModulesResult, Op, PingResult, ResolveResult, UnloadResult } from '../../../src-agent32/protocol/messages.ts';
import { AgentSlot, type SlotHost } from './agent-slot.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { dllKey } from './dll-key.ts';
import type { Outcome } from './outcome.ts';
import { type AgentArch, type ArchChoice, AGENT_ARCHES, archForFile } from './runtime-locator.ts';
import { type Job, type JobParams, type JobSpec, type ModuleOptions, GUARDED, circuitError, disposedError, fileError, immediateError } from './supervisor-job.ts';
import {
  type ArchOption, type CallOptions, type LoadOptions, type ResolvedOptions, type SupervisorEvents, type SupervisorOptions, type SupervisorStatus, resolveOptions,
} from './supervisor-options.ts';

export type { ArchOption, ArchStatus, BackoffOptions, CallOptions, LoadOptions, SupervisorEvents, SupervisorOptions, SupervisorStatus } from './supervisor-options.ts';
export { dllKey } from './dll-key.ts';

const ARCH_MEMO_LIMIT = 1024;

export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly slots = new Map<AgentArch, AgentSlot>();
  private readonly options: ResolvedOptions;
  private readonly breaker: CircuitBreaker;
  // Per file and choice: parsing the PE again for every request is wasted work, as a DLL in use keeps its machine.
  private readonly arches = new Map<string, Map<ArchChoice, AgentArch>>();
  private disposed = false;
  /** What the slots share with their supervisor. */
  private readonly slotHost: SlotHost;

  constructor(options: SupervisorOptions = {}) {
    super();
    this.options = resolveOptions(options);
    this.breaker = new CircuitBreaker(this.options.breaker, this.options.now, (dll, state) => this.emit('breaker', { dll, state }));
    this.slotHost = { options: this.options, breaker: this.breaker, emit: this.emit.bind(this) as SlotHost['emit'], isDisposed: () => this.disposed };
  }

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
    if (outcome.kind === 'result') this.slots.get(outcome.agent!.arch)?.modules.forget(dll);
    return outcome;
  }

  modules(arch: AgentArch): Promise<Outcome<ModulesResult>> {
    return this.submit<ModulesResult>(this.slot(arch), { op: 'modules', dll: null, params: {} });
  }

  ping(arch: AgentArch): Promise<Outcome<PingResult>> {
    return this.submit<PingResult>(this.slot(arch), { op: 'ping', dll: null, params: {} });
  }

  /**
   * Ends `arch`'s agent and starts a new one with its modules loaded again; resolves when it is
   * ready. A request it was running ends as restarted and is not sent again.
   */
  restart(arch: AgentArch): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('the supervisor is disposed'));
    return this.slot(arch).restart();
  }

  resetBreaker(path: string): void {
    this.breaker.reset(dllKey(path));
  }

  status(): SupervisorStatus {
    return { agents: [...this.slots.values()].map((slot) => slot.status()), breakers: this.breaker.snapshot() };
  }

  /** Fails what is queued, ends every agent and waits for them to be gone. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.slots.values()].map((slot) => slot.dispose()));
  }

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

  private submit<R>(slot: AgentSlot, spec: JobSpec): Promise<Outcome<R>> {
    if (this.disposed) return Promise.resolve(immediateError(disposedError()) as Outcome<R>);
    if (spec.dll && GUARDED.has(spec.op) && this.breaker.state(spec.dll) === 'open') return Promise.resolve(immediateError(circuitError(spec.dll)) as Outcome<R>);
    if (slot.queue.length >= this.options.maxQueue) {
      return Promise.resolve(immediateError({ code: 'QUEUE_FULL', name: 'QUEUE_FULL', message: `the ${slot.arch} agent already has ${slot.queue.length} requests waiting; try again later` }) as Outcome<R>);
    }
    return new Promise((finish) => slot.enqueue(slot.job(spec, false, finish as Job['finish'])));
  }

  private slot(arch: AgentArch): AgentSlot {
    let slot = this.slots.get(arch);
    if (!slot) {
      slot = new AgentSlot(arch, this.slotHost);
      this.slots.set(arch, slot);
    }
    return slot;
  }
}
