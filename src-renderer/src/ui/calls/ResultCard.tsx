import type { CallRecord } from '../../../../src-main/contract/api-contract.ts';
import { CrashCard } from './CrashCard.tsx';
import { HexView } from './HexView.tsx';

function valueText(value: unknown): string {
  return value === undefined ? 'void' : JSON.stringify(value);
}

function OutValue({ name, value }: { name: string; value: unknown }) {
  const buffer = value && typeof value === 'object' && 'hex' in value ? (value as { hex: string; text?: string }) : null;
  if (!buffer) return <><dt>out {name}</dt><dd className="mono">{valueText(value)}</dd></>;
  return (
    <>
      <dt>out {name}</dt>
      <dd>
        {buffer.text !== undefined && <span className="mono">"{buffer.text}"</span>}
        <HexView hex={buffer.hex} label={`${name} bytes`} />
      </dd>
    </>
  );
}

export function agentLine(call: CallRecord): string {
  const a = call.agent;
  return a ? `${a.arch}, pid ${a.pid ?? '?'}, ${a.execution === 'wine-emulated' ? 'under Wine with 32-bit x86 emulated' : a.execution === 'wine' ? 'under Wine' : 'native'}` : 'no agent';
}

/** The outcome of one call: value, out parameters, GetLastError, errno, timing; or the error; or the crash card. */
export function ResultCard({ call }: { call: CallRecord }) {
  if (call.kind === 'crash') return <CrashCard call={call} />;
  if (call.kind === 'error') {
    return (
      <section className="result-card error" aria-label="Call result" data-testid="call-result">
        <h3>{call.error!.code === 'TIMEOUT' ? 'Timed out' : 'The call failed'}: {call.error!.name}</h3>
        <p>{call.error!.message}</p>
        {call.error!.advice && <p className="muted">{call.error!.advice.replace('--timeout', 'the Timeout (ms) above')}</p>}
        <p className="muted small">Agent: {agentLine(call)}; {call.elapsedMs} ms</p>
      </section>
    );
  }
  const t = call.timing;
  return (
    <section className="result-card ok" aria-label="Call result" data-testid="call-result">
      <dl className="call-facts">
        <dt>Returned</dt><dd className="mono big" data-testid="return-value">{valueText(call.value)}</dd>
        {call.outs.map((out) => <OutValue key={out.index} name={out.name ?? `#${out.index}`} value={out.value} />)}
        <dt>GetLastError</dt><dd>{call.lastError ? `${call.lastError.code}${call.lastError.name ? ` ${call.lastError.name}` : ''}: ${call.lastError.message}` : 'n/a'}</dd>
        <dt>errno</dt><dd>{call.errno ?? 'n/a'}</dd>
        <dt>Duration</dt><dd>{t ? `median ${t.medianMs.toFixed(4)} ms (min ${t.minMs.toFixed(4)}, max ${t.maxMs.toFixed(4)}, ${t.runs} runs)` : call.durationMs !== null ? `${call.durationMs.toFixed(4)} ms in the DLL` : 'n/a'}; {call.elapsedMs} ms round trip</dd>
        <dt>Agent</dt><dd>{agentLine(call)}</dd>
      </dl>
    </section>
  );
}
