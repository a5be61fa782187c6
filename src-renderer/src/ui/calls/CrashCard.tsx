import { useState } from 'react';
import type { CallRecord } from '../../../../src-main/contract/api-contract.ts';
import { resetBreaker, saveMinidump } from '../../store/call-actions.ts';
import { crashCardText, frameText } from './crash-card-text.ts';
import { supervisorWords } from './supervisor-words.ts';

/** What the fault was, where, the backtrace, and what the supervisor did about it. */
export function CrashCard({ call }: { call: CallRecord }) {
  const crash = call.crash!;
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    await navigator.clipboard?.writeText(crashCardText(call)).catch(() => undefined);
    setCopied(true);
  };
  const sv = supervisorWords(call)!;
  return (
    <section className="crash-card" aria-labelledby="crash-title" data-testid="crash-card">
      <h3 id="crash-title">The DLL crashed: {crash.name}{crash.code ? ` (${crash.code})` : ''}</h3>
      <dl className="call-facts">
        <dt>Where</dt><dd className="mono">{crash.module ? `${crash.module}+${crash.offset ?? '0x0'}` : crash.address ?? 'unknown'}{crash.symbol ? ` (${crash.symbol})` : ''}</dd>
        {crash.accessAddress && <><dt>Access</dt><dd className="mono">{crash.accessKind} of {crash.accessAddress}</dd></>}
        {crash.cause && <><dt>Cause</dt><dd>{crash.cause}</dd></>}
        <dt>Agent</dt><dd>{sv.agent}</dd>
        <dt>Modules</dt><dd>{sv.modules}</dd>
        <dt>Breaker</dt><dd className={sv.breakerOpen ? 'fail' : ''}>{sv.breaker}</dd>
      </dl>
      <h4>Backtrace</h4>
      <ol className="backtrace mono" aria-label="Backtrace" start={0}>
        {crash.frames.map((frame, i) => <li key={i}>{frameText(frame)}</li>)}
      </ol>
      {Object.keys(crash.registers).length > 0 && (
        <details className="registers">
          <summary>Registers</summary>
          <dl className="register-grid mono">{Object.entries(crash.registers).map(([name, value]) => <div key={name}><dt>{name}</dt><dd>{value}</dd></div>)}</dl>
        </details>
      )}
      <div className="row actions">
        <button type="button" onClick={() => void resetBreaker(call.dll)}>Reset breaker</button>
        <button type="button" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy as text'}</button>
        {crash.minidump && <button type="button" onClick={() => void saveMinidump(call.id)}>Save minidump</button>}
        {crash.minidump ? <span className="small mono">minidump: {crash.minidump}</span> : <span className="muted small">{crash.minidumpError ? `No minidump: ${crash.minidumpError}` : 'No minidump for this crash.'}</span>}
      </div>
    </section>
  );
}
