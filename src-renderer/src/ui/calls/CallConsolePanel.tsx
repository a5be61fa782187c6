import { useEffect, useRef } from 'react';
import type { WorkspacePanelProps } from '../workspace/workspace-tabs.ts';
import { draftFor, invokeCall, loadCallHistory, openSession, saveSession, updateDraft } from '../../store/call-actions.ts';
import { useCallBusy, useCallNotice, useCheck, useDraft, useShownCall } from '../../store/call-slice.ts';
import { PrototypeEditor } from './PrototypeEditor.tsx';
import { ArgumentForm } from './ArgumentForm.tsx';
import { ResultCard } from './ResultCard.tsx';
import { CallHistory } from './CallHistory.tsx';
import { LogPane } from './LogPane.tsx';
import './calls.css';

function CallOptions() {
  const draft = useDraft();
  return (
    <div className="row call-options">
      <label className="inline">Repeat <input type="number" className="narrow" min={1} max={100000} value={draft.repeat} onChange={(e) => updateDraft({ repeat: Math.max(1, Math.floor(Number(e.target.value) || 1)) })} /></label>
      <label className="inline">Timeout (ms) <input type="number" className="narrow" min={100} step={100} value={draft.timeoutMs} onChange={(e) => updateDraft({ timeoutMs: Math.max(100, Math.floor(Number(e.target.value) || 100)) })} /></label>
    </div>
  );
}

function SessionButtons() {
  const file = useRef<HTMLInputElement>(null);
  return (
    <div className="row session-buttons">
      <button type="button" onClick={() => void saveSession()}>Save session</button>
      <button type="button" onClick={() => file.current?.click()}>Open session…</button>
      <input ref={file} type="file" accept=".json,application/json" hidden aria-label="Session file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void openSession(f); e.target.value = ''; }} />
    </div>
  );
}

// The parts below subscribe to what they show, so a call's start and result re-render only them,
// not the form, the history or the log pane.

function CallButton() {
  const { check } = useCheck();
  const busy = useCallBusy();
  return (
    <div className="row">
      <button type="submit" className="primary" disabled={busy || !check?.ok}>{busy ? 'Calling…' : 'Call'}</button>
      {busy && <span className="muted small" role="status">Waiting for the agent (a 32-bit agent under emulation takes seconds to start)…</span>}
    </div>
  );
}

function FormNotice() {
  const notice = useCallNotice();
  return notice ? <p className="notice small" role="status" data-testid="call-notice">{notice}</p> : null;
}

function CallOutcome() {
  const shown = useShownCall();
  return shown ? <ResultCard call={shown} /> : <p className="muted">The result of a call shows here: value, out parameters, GetLastError, or the crash with its backtrace.</p>;
}

/** Call an export of this DLL in an agent of its bitness: prototype, arguments, result or crash, history and live log. */
export function CallConsolePanel({ report }: WorkspacePanelProps) {
  const dll = report.file;
  const { check } = useCheck();
  useEffect(() => { void loadCallHistory(); }, []);
  useEffect(() => { void draftFor(dll); }, [dll]);
  return (
    <div className="call-console">
      <div className="call-columns">
        <form className="call-form" aria-label="Call" noValidate onSubmit={(e) => { e.preventDefault(); void invokeCall(dll); }}>
          <PrototypeEditor dll={dll} />
          {check?.ok && <ArgumentForm params={check.params} />}
          <CallOptions />
          <CallButton />
          <FormNotice />
        </form>
        <div className="call-outcome">
          <CallOutcome />
        </div>
      </div>
      <section aria-labelledby="history-title" className="history">
        <div className="row"><h3 id="history-title">History</h3><SessionButtons /></div>
        <CallHistory dll={dll} />
      </section>
      <LogPane />
    </div>
  );
}
