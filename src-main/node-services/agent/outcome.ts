// What every supervisor request ends with: exactly one of result, error or crash.
import type { AgentError, CrashEvent, CrashFrame } from '../../../src-agent32/protocol/messages.ts';
import { NTSTATUS_NAMES, hex32 } from '../../../src-agent32/protocol/ntstatus.ts';
import { type AgentExit, describeExit } from './agent-process.ts';
import type { AgentArch, AgentExecution } from './runtime-locator.ts';

/** Errors from the agent (kebab-case codes) or from the supervisor (upper-case codes). */
export type SupervisorErrorCode =
  | AgentError['code']
  | 'TIMEOUT'
  | 'QUEUE_FULL'
  | 'CIRCUIT_OPEN'
  | 'AGENT_EXITED'
  | 'AGENT_UNAVAILABLE'
  | 'LOAD_CRASHED'
  | 'NOT_LOADED'
  | 'NOT_LOADABLE'
  | 'DISPOSED';

export interface OutcomeError {
  code: SupervisorErrorCode;
  name: string;
  message: string;
  osCode?: number;
  advice?: string;
}

export interface CrashReport {
  /** NTSTATUS (Windows/Wine) or null when only a signal is known. */
  code: number | null;
  name: string;
  address: string | null;
  module: string | null;
  offset: number | null;
  symbol: string | null;
  accessAddress?: string;
  accessKind?: 'read' | 'write' | 'execute';
  frames: CrashFrame[];
  registers: Record<string, string>;
  /** 'handler': the agent's exception handler reported it; 'exit-status': inferred from the exit. */
  source: 'handler' | 'exit-status';
  /** The faulting thread's Windows id, when the handler knew it. */
  threadId?: number;
  /** What happened, in words, when the name alone does not say it (abort()). */
  cause?: string;
  /** The minidump written for the crash (Supervisor option minidumpDir), or why none was. */
  minidump?: string;
  minidumpError?: string;
  exit: { code: number | null; signal: string | null };
  stderrTail: string;
}

export interface AgentInfo {
  arch: AgentArch;
  pid: number | null;
  runtime: string;
  /** How the agent runs: native, under Wine, or under Wine with its 32-bit side emulated. */
  execution: AgentExecution['kind'];
}

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Where a fault happened: what a crash report says about the exception itself. */
export type FaultReport = Pick<CrashReport, 'code' | 'name' | 'address' | 'module' | 'offset' | 'symbol' | 'accessAddress' | 'accessKind' | 'frames' | 'threadId'>;

interface OutcomeBase {
  agent: AgentInfo | null;
  /**
   * An exception the DLL raised during the request that was then caught, so the request still
   * ended with a result or an error: a fault in DllMain that the loader turned into error 998, or
   * one the DLL's own handler took.
   */
  handledFault?: FaultReport;
  /** What the DLL wrote during the request. */
  logs: LogEntry[];
  /** Wall time from submission to outcome, queueing included. */
  elapsedMs: number;
}

export type Outcome<R> =
  | (OutcomeBase & { kind: 'result'; result: R })
  | (OutcomeBase & { kind: 'error'; error: OutcomeError })
  | (OutcomeBase & { kind: 'crash'; crash: CrashReport });

export function faultReport(event: CrashEvent): FaultReport {
  const { code, name, address, module, offset, symbol, accessAddress, accessKind, frames, threadId } = event;
  return { code, name, address, module, offset, symbol, accessAddress, accessKind, frames, threadId };
}

export function crashReport(exit: AgentExit): CrashReport {
  const event = exit.crash;
  const base = { exit: { code: exit.code, signal: exit.signal }, stderrTail: exit.stderrTail };
  if (event) {
    const { code, name, address, module, offset, symbol, accessAddress, accessKind, frames, registers, threadId, cause, minidump, minidumpError } = event;
    return { code, name, address, module, offset, symbol, accessAddress, accessKind, frames, registers, source: 'handler', threadId, cause, minidump, minidumpError, ...base };
  }
  const name = exit.status ?? (exit.signal ? exit.signal : `exit ${exit.code}`);
  const code = exit.lowByteOnly || exit.signal || exit.code === null ? guessedStatus(exit) : exit.code >>> 0;
  return { code, name, address: null, module: null, offset: null, symbol: null, frames: [], registers: {}, source: 'exit-status', ...base };
}

// The name came from the low byte; its full code is in the name table, looked up by the caller.
function guessedStatus(exit: AgentExit): number | null {
  return exit.status ? STATUS_BY_NAME.get(exit.status) ?? null : null;
}

const STATUS_BY_NAME = new Map(Object.entries(NTSTATUS_NAMES).map(([code, name]) => [name, Number(code)]));

export function timeoutError(ms: number): OutcomeError {
  return {
    code: 'TIMEOUT',
    name: 'CALL_HUNG',
    message: `no answer within ${ms} ms: the agent was killed and restarted; the request was not retried`,
    advice: 'raise --timeout if the function is just slow',
  };
}

export function exitedError(exit: AgentExit): OutcomeError {
  return { code: 'AGENT_EXITED', name: 'AGENT_EXITED', message: `the agent died during the request (${describeExit(exit)})${exit.stderrTail ? `: ${lastLine(exit.stderrTail)}` : ''}` };
}

/** A request the agent was running when the user restarted it: it ended there and is not sent again. */
export function restartedError(): OutcomeError {
  return { code: 'AGENT_EXITED', name: 'AGENT_RESTARTED', message: 'the agent was restarted (on request) while this ran; it was not sent again: run it again if you want to' };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]!.slice(0, 300);
}

/** "STATUS_ACCESS_VIOLATION (0xC0000005) at calls.dll+0x1234 (crash_write+0x4)" */
export function crashSummary(crash: Pick<CrashReport, 'code' | 'name' | 'address' | 'module' | 'offset' | 'symbol'>): string {
  const code = crash.code !== null ? ` (${hex32(crash.code)})` : '';
  const where = crash.module ? ` at ${crash.module}+0x${(crash.offset ?? 0).toString(16)}` : crash.address ? ` at ${crash.address}` : '';
  const symbol = crash.symbol ? ` (${crash.symbol})` : '';
  return `${crash.name}${code}${where}${symbol}`;
}

/** "0x6a0016d6 calls.dll+0x16d6 abort_now+0xd", or "0x1234 ?" outside any module. */
export function frameText(frame: CrashFrame): string {
  const where = frame.module ? `${frame.module}+0x${(frame.offset ?? 0).toString(16)}` : '?';
  return `${frame.address} ${where}${frame.symbol ? ` ${frame.symbol}` : ''}`;
}
