// The session section of an exported report: the calls made on the report's files, what they
// returned or how they crashed, and what the DLLs printed, in JSON, Markdown and HTML.
import type { CallRecord, LogLine } from '../../contract/call-contract.ts';
import { escapeHtml } from '../../analysis/report/html-report.ts';
import { escapeMarkdown } from '../../analysis/report/markdown-report.ts';

export interface SessionSection {
  calls: CallRecord[];
  logs: LogLine[];
}

/** Lines of output kept per call in a report: enough to read, not a 10,000-line flood. */
const REPORT_LINES_PER_CALL = 200;

/** The calls on these files and their lines, or null when none was made. */
export function sessionSection(files: string[], history: SessionSection): SessionSection | null {
  const wanted = new Set(files);
  const calls = history.calls.filter((call) => wanted.has(call.dll));
  if (calls.length === 0) return null;
  const ids = new Set(calls.map((c) => c.id));
  const perCall = new Map<string, number>();
  const logs = history.logs.filter((line) => {
    if (!line.callId || !ids.has(line.callId)) return false;
    const n = (perCall.get(line.callId) ?? 0) + 1;
    perCall.set(line.callId, n);
    return n <= REPORT_LINES_PER_CALL;
  });
  return { calls, logs };
}

export function valueText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}

/** One line per call: what came back, in words. */
export function callOutcomeText(call: CallRecord): string {
  if (call.kind === 'result') {
    const timing = call.timing ? `, ${call.timing.runs} runs: min ${call.timing.minMs.toFixed(3)} ms, median ${call.timing.medianMs.toFixed(3)} ms, max ${call.timing.maxMs.toFixed(3)} ms` : call.durationMs !== null ? `, ${call.durationMs.toFixed(3)} ms` : '';
    const lastError = call.lastError && call.lastError.code !== 0 ? `; GetLastError ${call.lastError.code}${call.lastError.name ? ` ${call.lastError.name}` : ''}: ${call.lastError.message}` : '';
    return `returned ${valueText(call.value)}${call.outs.map((o) => `; out ${o.name ?? `#${o.index}`} = ${valueText(o.value)}`).join('')}${lastError}${timing}`;
  }
  if (call.kind === 'error') return `error ${call.error!.code} ${call.error!.name}: ${call.error!.message}`;
  return `CRASH ${call.crash!.summary}`;
}

export function agentText(call: CallRecord): string {
  return call.agent ? `${call.agent.arch} agent, pid ${call.agent.pid ?? '?'}, ${call.agent.runtime} (${call.agent.execution})` : 'no agent';
}

function callArgsText(call: CallRecord): string {
  return call.args.map(valueText).join(', ');
}

function linesOf(section: SessionSection, call: CallRecord): LogLine[] {
  return section.logs.filter((l) => l.callId === call.id);
}

export function sessionMarkdown(section: SessionSection): string {
  const out = ['', '## Session: calls made', ''];
  section.calls.forEach((call, i) => {
    out.push(`### Call ${i + 1}: \`${call.prototype.replace(/`/g, "'")}\``, '');
    out.push(`- DLL: ${escapeMarkdown(call.dll)}`, `- arguments: \`${callArgsText(call).replace(/`/g, "'")}\``, `- outcome: ${escapeMarkdown(callOutcomeText(call))}`, `- agent: ${escapeMarkdown(agentText(call))}; ${call.elapsedMs} ms in all`);
    if (call.crash) {
      if (call.crash.accessAddress) out.push(`- ${call.crash.accessKind ?? ''} access to ${call.crash.accessAddress}`);
      out.push('', 'Backtrace:', '', '```', ...call.crash.frames.map((f, n) => `#${n} ${frameLine(f)}`), '```');
    }
    const lines = linesOf(section, call);
    if (lines.length) out.push('', 'Output:', '', '```', ...lines.map((l) => l.text.replace(/```/g, "'''")), '```');
    out.push('');
  });
  return out.join('\n');
}

export function frameLine(frame: { address: string; module: string | null; offset: number | null; symbol: string | null }): string {
  const where = frame.module ? `${frame.module}+0x${(frame.offset ?? 0).toString(16)}` : '?';
  return `${frame.address} ${where}${frame.symbol ? ` ${frame.symbol}` : ''}`;
}

export function sessionHtml(section: SessionSection): string {
  const calls = section.calls.map((call, i) => {
    const crash = call.crash
      ? `<p>${call.crash.accessAddress ? `${escapeHtml(call.crash.accessKind ?? '')} access to ${escapeHtml(call.crash.accessAddress)}` : ''}</p><pre>${call.crash.frames.map((f, n) => escapeHtml(`#${n} ${frameLine(f)}`)).join('\n')}</pre>`
      : '';
    const lines = linesOf(section, call);
    const output = lines.length ? `<details open><summary>Output (${lines.length} lines)</summary><pre>${lines.map((l) => escapeHtml(l.text)).join('\n')}</pre></details>` : '';
    return `<section class="call"><h3>Call ${i + 1}: <code>${escapeHtml(call.prototype)}</code></h3>
<table><tr><th>DLL</th><td>${escapeHtml(call.dll)}</td></tr><tr><th>Arguments</th><td><code>${escapeHtml(callArgsText(call))}</code></td></tr>
<tr><th>Outcome</th><td class="${call.kind === 'result' ? 'ok' : 'fail'}">${escapeHtml(callOutcomeText(call))}</td></tr><tr><th>Agent</th><td>${escapeHtml(agentText(call))}; ${call.elapsedMs} ms in all</td></tr></table>${crash}${output}</section>`;
  });
  return `<section class="session" id="session"><h2>Session: calls made</h2>\n${calls.join('\n')}</section>`;
}
