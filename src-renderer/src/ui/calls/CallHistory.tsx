import { memo, type ReactElement } from 'react';
import type { CallRecord } from '../../../../src-main/contract/api-contract.ts';
import { editCall, filterLogs, rerunCall, showCall } from '../../store/call-actions.ts';
import { useCallBusy, useCalls } from '../../store/call-slice.ts';
import { callOutcomeShort, callShort } from './call-words.ts';

/** One past call; memoized, so a new call renders its own row only. */
const CallRow = memo(function CallRow({ call, n, busy }: { call: CallRecord; n: number; busy: boolean }) {
  return (
    <tr className={call.kind}>
      <td>{n}</td>
      <td className="mono"><button type="button" className="link" onClick={() => showCall(call.id)}>{callShort(call)}</button></td>
      <td className={call.kind === 'result' ? 'ok' : 'fail'}>{callOutcomeShort(call)}</td>
      <td className="small">{call.agent ? `${call.agent.arch} pid ${call.agent.pid ?? '?'}` : '—'}</td>
      <td className="small">{call.elapsedMs} ms</td>
      <td className="row">
        <button type="button" disabled={busy} aria-label={`Re-run call ${n}`} onClick={() => void rerunCall(call)}>Re-run</button>
        <button type="button" aria-label={`Edit call ${n}`} onClick={() => void editCall(call)}>Edit</button>
        <button type="button" aria-label={`Logs of call ${n}`} onClick={() => filterLogs(call.id)}>Logs</button>
      </td>
    </tr>
  );
});

/** Every call of the session, newest first: what was called, what came back; re-run or edit. */
export function CallHistory({ dll }: { dll: string }) {
  const calls = useCalls().filter((c) => c.dll === dll);
  const busy = useCallBusy();
  if (calls.length === 0) return <p className="muted small">No calls yet.</p>;
  const rows: ReactElement[] = [];
  for (let i = calls.length - 1; i >= 0; i--) rows.push(<CallRow key={calls[i]!.id} call={calls[i]!} n={i + 1} busy={busy} />);
  return (
    <table className="call-history" aria-label="Call history">
      <thead><tr><th scope="col">#</th><th scope="col">Call</th><th scope="col">Outcome</th><th scope="col">Agent</th><th scope="col">Time</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
      <tbody>{rows}</tbody>
    </table>
  );
}
