// The call console's backend: calls through the session's Supervisor, one at a time per agent (so
// a log line arriving while call X runs belongs to X), their records, the log history, the
// declarations per DLL, and the session file. A call is never retried.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { hex32 } from '../../../src-agent32/protocol/ntstatus.ts';
import type { CallResult, JsonValue } from '../../../src-agent32/protocol/messages.ts';
import { type CrashReport, type Outcome, crashSummary } from '../agent/outcome.ts';
import { type Supervisor, dllKey } from '../agent/supervisor.ts';
import { loaderError } from '../../analysis/diagnosis/error-codes.ts';
import { ApiError } from '../../contract/api-contract.ts';
import { type CallRecord, type CrashCard, type LogLine, type Prefill, sessionSnapshotSchema, type SessionSnapshot } from '../../contract/call-contract.ts';
import { CallLog, type LogBatchSink } from './call-log.ts';
import { exportNamesOf, findExport, prefillPrototype } from './prototype-prefill.ts';

export const CALL_HISTORY_LIMIT = 500;

export interface InvokeRequest {
  dll: string;
  prototype: string;
  declarations: string;
  args: unknown[];
  repeat: number;
  timeoutMs: number;
}

export class CallSession {
  private calls: CallRecord[] = [];
  private readonly declarations = new Map<string, string>();
  private readonly running = new Map<string, string>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly watched = new WeakSet<Supervisor>();
  /** Minidumps this session's agents wrote: the only files call.minidump reads (a loaded session's paths are not). */
  private readonly minidumps = new Set<string>();
  readonly log: CallLog;

  constructor(private readonly supervisor: () => Supervisor, sink: LogBatchSink) {
    this.log = new CallLog(sink);
  }

  prefill(dll: string, exportName: string): Prefill {
    const { machine, names } = readExports(dll);
    const raw = findExport(names, exportName.trim(), machine) ?? exportName.trim();
    const prefill = prefillPrototype(raw, machine);
    const known = names.includes(raw) ? prefill : { ...prefill, note: `${dll.split(/[\\/]/).pop()} has no export named "${exportName}". ${prefill.note}` };
    return { ...known, declarations: this.declarationsOf(dll) };
  }

  declarationsOf(dll: string): string {
    return this.declarations.get(dllKey(dll)) ?? '';
  }

  saveDeclarations(dll: string, text: string): void {
    if (text.trim()) this.declarations.set(dllKey(dll), text);
    else this.declarations.delete(dllKey(dll));
  }

  /** Runs after the calls before it on the same agent: lines are tied to the call that is running. */
  async invoke(request: InvokeRequest): Promise<CallRecord> {
    const supervisor = this.watch();
    const arch = archOf(supervisor, request.dll);
    if (request.declarations.trim()) this.saveDeclarations(request.dll, request.declarations);
    const previous = this.queues.get(arch) ?? Promise.resolve();
    const run = previous.then(() => this.run(supervisor, arch, request));
    this.queues.set(arch, run.catch(() => undefined));
    return run;
  }

  history(): { calls: CallRecord[]; logs: LogLine[]; declarations: Record<string, string> } {
    return { calls: [...this.calls], logs: this.log.lines(), declarations: Object.fromEntries(this.declarations) };
  }

  resetBreaker(dll: string): boolean {
    this.watch().resetBreaker(dll);
    this.log.event(archOf(this.supervisor(), dll), `breaker reset for ${dll.split(/[\\/]/).pop()} by the user`);
    return true;
  }

  snapshot(): SessionSnapshot {
    return { format: 'thunk-session', version: 1, savedAt: new Date().toISOString(), ...this.history() };
  }

  /** Replaces the history with a saved session; a file that is not one is refused, nothing lost. */
  load(content: string): ReturnType<CallSession['history']> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new ApiError('bad-request', 'That file is not a Thunk session: it is not JSON. Choose a file saved with "Save session".');
    }
    const checked = sessionSnapshotSchema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new ApiError('bad-request', `That file is not a Thunk session (${issue.path.join('.') || 'document'}: ${issue.message}). Choose a file saved with "Save session".`);
    }
    this.calls = checked.data.calls.slice(-CALL_HISTORY_LIMIT);
    this.log.replace(checked.data.logs);
    this.declarations.clear();
    for (const [dll, text] of Object.entries(checked.data.declarations)) this.declarations.set(dll, text);
    return this.history();
  }

  dispose(): void {
    this.log.dispose();
  }

  /** The minidump a crashed call of this session left, read for saving. */
  async minidump(callId: string): Promise<{ fileName: string; base64: string; bytes: number }> {
    const record = this.calls.find((c) => c.id === callId);
    if (!record) throw new ApiError('not-found', `no call ${callId} in this session: it may have been dropped from the history (the last ${CALL_HISTORY_LIMIT} are kept)`);
    const path = record.crash?.minidump ?? null;
    if (!path) throw new ApiError('not-found', `the call left no minidump${record.crash?.minidumpError ? `: ${record.crash.minidumpError}` : ''}`);
    if (!this.minidumps.has(path)) throw new ApiError('refused', `this minidump was written by the session that was saved, not by this one: it is at ${path} on the machine that ran the call`);
    try {
      const content = await readFile(path);
      return { fileName: basename(path), base64: content.toString('base64'), bytes: content.length };
    } catch (error) {
      throw new ApiError('not-found', `the minidump ${path} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): its folder may have been cleaned up`);
    }
  }

  private async run(supervisor: Supervisor, arch: string, request: InvokeRequest): Promise<CallRecord> {
    const id = randomUUID();
    const startedAt = new Date().toISOString();
    this.running.set(arch, id);
    let outcome: Outcome<CallResult>;
    try {
      outcome = await supervisor.call(request.dll, request.prototype, request.args as JsonValue[], {
        arch: arch as 'x86', repeat: request.repeat > 1 ? request.repeat : undefined, timeoutMs: request.timeoutMs, declarations: request.declarations.trim() || undefined,
      });
    } finally {
      this.log.endCall(arch);
      this.running.delete(arch);
    }
    const record = toRecord(id, startedAt, request, outcome, outcome.kind === 'crash' ? this.crashCard(supervisor, arch, request.dll, outcome.crash) : null, this.log.countFor(id));
    this.calls.push(record);
    if (this.calls.length > CALL_HISTORY_LIMIT) this.calls.shift();
    return record;
  }

  private crashCard(supervisor: Supervisor, arch: string, dll: string, crash: CrashReport): CrashCard {
    const status = supervisor.status();
    const agent = status.agents.find((a) => a.arch === arch);
    const breaker = status.breakers.find((b) => b.dll === dllKey(dll));
    return {
      summary: crashSummary(crash), name: crash.name, code: crash.code === null ? null : hex32(crash.code),
      module: crash.module, offset: crash.offset === null ? null : `0x${crash.offset.toString(16)}`, symbol: crash.symbol, address: crash.address,
      accessAddress: crash.accessAddress ?? null, accessKind: crash.accessKind ?? null, cause: crash.cause ?? null,
      registers: crash.registers, frames: crash.frames, minidump: this.noteMinidump(crash.minidump), minidumpError: crash.minidumpError ?? null,
      exit: crash.exit.signal ? `signal ${crash.exit.signal}` : `exit status ${crash.exit.code}`,
      supervisor: {
        agentState: agent?.state ?? 'stopped', restarts: restartsSoFar(agent), modulesRestored: agent?.modules ?? [],
        breaker: breaker?.state ?? 'closed', breakerFailures: breaker?.recentFailures ?? 0,
      },
    };
  }

  private noteMinidump(path: string | undefined): string | null {
    if (!path) return null;
    this.minidumps.add(path);
    return path;
  }

  /** Ties the supervisor's events to the log, once per supervisor. */
  private watch(): Supervisor {
    const supervisor = this.supervisor();
    if (this.watched.has(supervisor)) return supervisor;
    this.watched.add(supervisor);
    supervisor.on('log', (e) => this.log.output(e.arch, e.stream, e.text, this.running.get(e.arch) ?? null));
    supervisor.on('start', (e) => this.log.event(e.arch, `agent started: pid ${e.pid ?? '?'}, ${e.runtime} (${e.execution}), in ${Math.round(e.startMs)} ms`));
    supervisor.on('exit', (e) => this.log.event(e.arch, `agent exited: pid ${e.pid ?? '?'}${e.exit.code !== null ? `, exit status ${e.exit.code}` : ''}${e.exit.signal ? `, ${e.exit.signal}` : ''}`));
    supervisor.on('restart', (e) => this.log.event(e.arch, `agent restarting in ${e.delayMs} ms (attempt ${e.attempt})`));
    supervisor.on('crash', (e) => this.log.event(e.arch, `crash: ${crashSummary(e.crash)}`, this.running.get(e.arch) ?? null));
    supervisor.on('breaker', (e) => this.log.event('breaker', `circuit breaker for ${e.dll.split(/[\\/]/).pop()}: ${e.state}`));
    return supervisor;
  }
}

/** Restarts of the agent, counting one it has begun (starting, or waiting out its backoff) when the crash is answered. */
function restartsSoFar(agent: { state: string; starts: number } | undefined): number {
  if (!agent) return 0;
  const underWay = agent.state === 'starting' || agent.state === 'backoff' ? 1 : 0;
  return Math.max(0, agent.starts - 1) + underWay;
}

function readExports(dll: string): { machine: string; names: string[] } {
  try {
    return exportNamesOf(dll);
  } catch (error) {
    throw new ApiError('bad-request', (error as Error).message);
  }
}

function archOf(supervisor: Supervisor, dll: string): string {
  try {
    return supervisor.archFor(dll);
  } catch (error) {
    throw new ApiError('bad-request', `${(error as Error).message}. Open a DLL to call its functions.`);
  }
}

function toRecord(id: string, startedAt: string, request: InvokeRequest, outcome: Outcome<CallResult>, crash: CrashCard | null, logLines: number): CallRecord {
  const base = {
    id, dll: request.dll, prototype: request.prototype, declarations: request.declarations, args: request.args, repeat: request.repeat, timeoutMs: request.timeoutMs, startedAt,
    kind: outcome.kind, agent: outcome.agent ? { arch: outcome.agent.arch, pid: outcome.agent.pid, runtime: outcome.agent.runtime, execution: outcome.agent.execution } : null,
    elapsedMs: Math.round(outcome.elapsedMs * 10) / 10, logLines, outs: [], lastError: null, errno: null, durationMs: null, timing: null, error: null, crash,
  };
  if (outcome.kind === 'result') {
    const r = outcome.result;
    const lastError = r.lastError ? { ...r.lastError, message: r.lastError.message || loaderError(r.lastError.code)?.message || '' } : null;
    return { ...base, value: r.value, outs: r.outs, lastError, errno: r.errno, durationMs: r.durationMs, timing: r.timing };
  }
  if (outcome.kind === 'error') return { ...base, error: { code: outcome.error.code, name: outcome.error.name, message: outcome.error.message, ...(outcome.error.advice ? { advice: outcome.error.advice } : {}) } };
  return base;
}
