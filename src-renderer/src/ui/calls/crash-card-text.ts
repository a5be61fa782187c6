// The crash card as plain text, for "Copy as text": what a support engineer pastes into a ticket.
import type { CallRecord } from '../../../../src-main/contract/api-contract.ts';
import { supervisorWords } from './supervisor-words.ts';

export function frameText(frame: { address: string; module: string | null; offset: number | null; symbol: string | null }): string {
  const where = frame.module ? `${frame.module}+0x${(frame.offset ?? 0).toString(16)}` : '?';
  return `${frame.address} ${where}${frame.symbol ? ` ${frame.symbol}` : ''}`;
}

export function crashCardText(call: CallRecord): string {
  const crash = call.crash;
  if (!crash) return '';
  const lines = [
    `CRASH: ${crash.summary}`,
    `call: ${call.prototype} with ${JSON.stringify(call.args)}`,
    `DLL: ${call.dll}`,
  ];
  if (crash.cause) lines.push(crash.cause);
  if (crash.accessAddress) lines.push(`${crash.accessKind ?? ''} access to ${crash.accessAddress}`.trim());
  lines.push('backtrace:', ...crash.frames.map((f, i) => `  #${i} ${frameText(f)}`));
  const registers = Object.entries(crash.registers);
  if (registers.length) lines.push('registers:', `  ${registers.map(([name, value]) => `${name}=${value}`).join(' ')}`);
  lines.push(`agent: ${call.agent ? `${call.agent.arch}, pid ${call.agent.pid ?? '?'}, ${call.agent.runtime}` : '?'}`);
  const sv = supervisorWords(call)!;
  lines.push(`the agent ${sv.agent}`, `modules: ${sv.modules}`, `circuit breaker: ${sv.breaker}`);
  if (crash.minidump) lines.push(`minidump: ${crash.minidump}`);
  else if (crash.minidumpError) lines.push(`no minidump: ${crash.minidumpError}`);
  return `${lines.join('\n')}\n`;
}
