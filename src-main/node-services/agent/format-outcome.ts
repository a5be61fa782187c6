// Human-readable and JSON forms of supervisor outcomes, shared by the CLI's load and call commands.
import type { CallResult, CrashFrame, JsonValue, LoadResult, OsError } from '../../../src-agent32/protocol/messages.ts';
import { type CrashReport, type FaultReport, type LogEntry, type Outcome, type OutcomeError, crashSummary, frameText } from './outcome.ts';

/** The --json document body: result | error | crash, plus agent and the DLL's output. */
export function outcomeJson(outcome: Outcome<unknown>): Record<string, unknown> {
  const fault = outcome.handledFault;
  const common = { ...(fault ? { handledFault: { ...fault, summary: crashSummary(fault) } } : {}), agent: outcome.agent, logs: outcome.logs, elapsedMs: outcome.elapsedMs };
  if (outcome.kind === 'result') return { result: outcome.result, ...common };
  if (outcome.kind === 'error') return { error: outcome.error, ...common };
  return { crash: { ...outcome.crash, summary: crashSummary(outcome.crash) }, ...common };
}

/** The text report of an outcome, `resultText` rendering a result; ends with a newline. */
export function outcomeText<R>(outcome: Outcome<R>, resultText: (result: R) => string): string {
  const body = outcome.kind === 'result' ? resultText(outcome.result) : outcome.kind === 'error' ? errorText(outcome.error) : crashText(outcome.crash);
  const fault = outcome.handledFault ? handledFaultText(outcome.handledFault) : null;
  return `${[body, fault, logsText(outcome.logs), agentText(outcome)].filter(Boolean).join('\n')}\n`;
}

/** A fault that was caught: where it happened, and its backtrace, which names the code that raised it. */
export function handledFaultText(fault: FaultReport): string {
  const lines = [`  the DLL faulted during the request, and the fault was caught: ${crashSummary(fault)}`];
  if (fault.accessKind && fault.accessAddress) lines.push(`    ${fault.accessKind} access to ${fault.accessAddress}`);
  lines.push(...framesText(fault.frames, '    '));
  return lines.join('\n');
}

function framesText(frames: CrashFrame[], indent: string): string[] {
  if (frames.length === 0) return [];
  return [`${indent}backtrace:`, ...frames.map((frame, i) => `${indent}  #${i} ${frameText(frame)}`)];
}

export function errorText(error: OutcomeError): string {
  const os = error.osCode !== undefined ? ` (${error.osCode})` : '';
  const lines = [`error: ${error.code} ${error.name}${os}: ${error.message}`];
  if (error.advice) lines.push(`  advice: ${error.advice}`);
  return lines.join('\n');
}

export function crashText(crash: CrashReport): string {
  const lines = [`CRASH: ${crashSummary(crash)}`];
  if (crash.cause) lines.push(`  ${crash.cause}`);
  if (crash.accessKind && crash.accessAddress) lines.push(`  ${crash.accessKind} access to ${crash.accessAddress}`);
  lines.push(...framesText(crash.frames, '  '));
  if (crash.minidump) lines.push(`  minidump: ${crash.minidump}`);
  if (crash.minidumpError) lines.push(`  no minidump: ${crash.minidumpError}`);
  const exit = crash.exit.signal ? `signal ${crash.exit.signal}` : `exit status ${crash.exit.code}`;
  lines.push(`  the agent died (${exit})${crash.source === 'exit-status' ? '; no exception report, inferred from the exit status' : ''}`);
  return lines.join('\n');
}

export function lastErrorText(error: OsError | null): string | null {
  if (!error) return null;
  return `GetLastError: ${error.code}${error.name ? ` ${error.name}` : ''} (${error.message})`;
}

export function logsText(logs: LogEntry[]): string | null {
  if (logs.length === 0) return null;
  const text = logs.map((l) => l.text).join('');
  return `DLL output:\n${text.replace(/\n$/, '').split('\n').map((line) => `  | ${line}`).join('\n')}`;
}

function valueText(value: JsonValue): string {
  return JSON.stringify(value);
}

export function callResultText(result: CallResult, args: JsonValue[]): string {
  const lines = [`${result.symbol}(${args.map(valueText).join(', ')}) = ${valueText(result.value)}`];
  for (const out of result.outs) lines.push(`  out ${out.name ?? `#${out.index}`} = ${valueText(out.value)}`);
  const lastError = lastErrorText(result.lastError);
  if (lastError) lines.push(`  ${lastError}`);
  else if (result.errno) lines.push(`  errno: ${result.errno}`);
  const t = result.timing;
  lines.push(t ? `  duration: median ${ms(t.medianMs)} (min ${ms(t.minMs)}, max ${ms(t.maxMs)}, ${t.runs} runs)` : `  duration: ${ms(result.durationMs)}`);
  return lines.join('\n');
}

export function loadResultText(result: LoadResult): string {
  const lines = [`loaded ${result.path} at ${result.base ?? '(base unknown)'}${result.alreadyLoaded ? ' (already loaded)' : ''}`];
  if (result.newModules.length > 0) {
    lines.push('  modules it brought in:');
    for (const m of result.newModules) lines.push(`    ${m.base ?? ''.padEnd(10)} ${m.size !== null ? String(m.size).padStart(9) : ''.padStart(9)}  ${m.path}`);
  }
  return lines.join('\n');
}

export function agentText(outcome: Outcome<unknown>): string | null {
  const a = outcome.agent;
  return a ? `agent: ${a.arch}, pid ${a.pid}, ${a.runtime}` : null;
}

function ms(value: number): string {
  return value < 1 ? `${(value * 1000).toFixed(1)} µs` : `${value.toFixed(3)} ms`;
}
