// One request as the supervisor tracks it, how it is settled (exactly once), and the errors the
// supervisor itself answers with.
import type { CrashEvent, EmptyParams, Op } from '../../../src-agent32/protocol/messages.ts';
import type { AgentExit, ParamsOf } from './agent-process.ts';
import { type AgentInfo, type CrashReport, type LogEntry, type Outcome, type OutcomeError, crashReport, faultReport } from './outcome.ts';

export interface ModuleOptions {
  flags?: number;
  searchDirs?: string[];
}

export type JobParams = (ParamsOf<Op> | EmptyParams) & { handle?: string };

export interface JobSpec {
  op: Op;
  dll: string | null;
  params: JobParams;
  timeoutMs?: number;
  loadOptions?: ModuleOptions;
}

export interface Job {
  op: Op;
  dll: string | null;
  /** What is sent; ops that name a loaded DLL get its `handle` filled in when they are sent. */
  params: JobParams;
  timeoutMs: number;
  /** The supervisor's own request (a restore, an implicit load, a ping), not the caller's. */
  internal: boolean;
  /** Admitted as the half-open breaker's probe. */
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

export type OutcomeBody = { kind: 'result'; result: unknown } | { kind: 'error'; error: OutcomeError } | { kind: 'crash'; crash: CrashReport };

/** Ops that run on a loaded DLL and so need its handle. */
export const NEEDS_HANDLE = new Set<Op>(['call', 'resolve', 'unload']);
/** Ops the circuit breaker guards. */
export const GUARDED = new Set<Op>(['load', 'call', 'resolve']);

export function newJob(spec: JobSpec, internal: boolean, finish: Job['finish'], defaultTimeoutMs: number, now: number): Job {
  return {
    op: spec.op, dll: spec.dll, params: spec.params, timeoutMs: spec.timeoutMs ?? defaultTimeoutMs, internal, probe: false,
    submittedAt: now, startedAt: 0, requestId: 0, logs: [], settled: false, finish, loadOptions: spec.loadOptions,
  };
}

/** Gives the job its one outcome; later calls do nothing. */
export function settleJob(job: Job, body: OutcomeBody, agent: AgentInfo | null, now: number, fault?: CrashEvent): void {
  if (job.settled) return;
  job.settled = true;
  const elapsedMs = now - job.submittedAt;
  const outcome: Outcome<unknown> =
    body.kind === 'result' ? { kind: 'result', result: body.result, agent, logs: job.logs, elapsedMs }
    : body.kind === 'error' ? { kind: 'error', error: body.error, agent, logs: job.logs, elapsedMs }
    : { kind: 'crash', crash: body.crash, agent, logs: job.logs, elapsedMs };
  if (fault) outcome.handledFault = faultReport(fault);
  job.finish(outcome);
}

export function immediateError(error: OutcomeError): Outcome<never> {
  return { kind: 'error', error, agent: null, logs: [], elapsedMs: 0 };
}

export function disposedError(): OutcomeError {
  return { code: 'DISPOSED', name: 'DISPOSED', message: 'the supervisor was shut down before the request ran' };
}

export function circuitError(dll: string): OutcomeError {
  return {
    code: 'CIRCUIT_OPEN', name: 'CIRCUIT_OPEN',
    message: `${dll} crashed or hung the agent repeatedly; requests for it are refused for a while`,
    advice: 'wait for the probe window, or reset the breaker',
  };
}

export function loadCrashError(exit: AgentExit): OutcomeError {
  return { code: 'LOAD_CRASHED', name: exit.killedBy === 'timeout' ? 'CALL_HUNG' : crashReport(exit).name, message: 'the agent died while loading the DLL' };
}

/** A file the supervisor cannot pick an agent for, as an outcome error; other errors are thrown on. */
export function fileError(error: unknown): OutcomeError {
  const name = (error as Error).name;
  if (name === 'FileAccessError') return { code: 'path-missing', name, message: (error as Error).message };
  if (name === 'NotPeError') return { code: 'NOT_LOADABLE', name, message: (error as Error).message };
  throw error;
}
