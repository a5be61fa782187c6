import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { backToStart } from '../../store/actions.ts';
import { cancelFolder, setFolderView } from '../../store/folder-actions.ts';
import { useFolder, useFolderView } from '../../store/folder-hooks.ts';
import type { FolderState } from '../../store/folder-slice.ts';
import { FolderTable } from './FolderTable.tsx';
import { FolderExport } from './FolderExport.tsx';
import { filesPerSecond, hasProblem, visibleRows } from './folder-table.ts';
import './folder.css';

/** Re-renders every half second while the run goes, so files per second moves between batches. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

function ProgressLine({ folder }: { folder: FolderState }) {
  const running = folder.state === 'running' || folder.state === 'cancelling';
  const now = useNow(running);
  const elapsed = folder.elapsedMs ?? now - folder.startedAt;
  const rate = filesPerSecond(folder.done, elapsed).toFixed(1);
  const words = {
    running: `${folder.done} of ${folder.total || '…'} files, ${rate} files/s`,
    cancelling: `Stopping… ${folder.done} files done`,
    done: `${folder.done} files in ${(elapsed / 1000).toFixed(1)} s (${rate} files/s)`,
    cancelled: `Cancelled: ${folder.done} of ${folder.total} files triaged; the table and its report hold those`,
    failed: `Stopped after ${folder.done} files`,
  }[folder.state];
  return (
    <div className="folder-progress">
      <progress max={folder.total || 1} value={folder.total ? folder.done : 0} aria-label="Folder progress" aria-valuetext={`${folder.done} of ${folder.total} files`} />
      <p role="status" className="folder-status" data-testid="folder-status">{words}</p>
      {running && <span className="muted mono small folder-current" title={folder.file}>{folder.file.split(/[\\/]/).pop()}</span>}
    </div>
  );
}

/** Folder triage: a table of every PE file, filled as files are done, sortable and filterable. */
export function FolderView() {
  const folder = useFolder();
  const view = useFolderView();
  // Deferred: re-sorting and rendering the table after a pushed batch may yield to input and paint.
  const rows = useDeferredValue(folder?.rows);
  const shown = useMemo(() => (rows ? visibleRows(rows, view) : []), [rows, view]);
  const running = folder?.state === 'running' || folder?.state === 'cancelling';
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (running) void cancelFolder();
      else backToStart();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running]);
  if (!folder) return null;
  const problems = folder.rows.filter(hasProblem).length;
  const blocking = folder.rows.filter((r) => r.blocking).length;
  return (
    <section className="folder" aria-labelledby="folder-title">
      <div className="folder-head">
        <div>
          <h1 id="folder-title" className="folder-title">{folder.inputs.length === 1 ? folder.inputs[0] : `${folder.inputs.length} files and folders`}</h1>
          <p className="muted" data-testid="folder-summary">{folder.rows.length} files: <strong className={blocking ? 'fail-text' : undefined}>{blocking} do not load</strong>, {problems} with problems</p>
        </div>
        <div className="head-actions">
          {running
            ? <button type="button" onClick={() => void cancelFolder()} disabled={folder.state === 'cancelling'}>Cancel (Esc)</button>
            : <button type="button" onClick={backToStart}>Open another (Esc)</button>}
        </div>
      </div>
      <ProgressLine folder={folder} />
      {folder.error && <p role="alert" className="notice">{folder.error}</p>}
      <div className="folder-tools">
        <label className="folder-filter">Filter <input type="search" value={view.text} placeholder="name, path or error" onChange={(e) => setFolderView({ text: e.target.value })} /></label>
        <label className="check"><input type="checkbox" checked={view.problemsOnly} onChange={(e) => setFolderView({ problemsOnly: e.target.checked })} /> Problems only</label>
        <span className="muted" data-testid="folder-shown">{shown.length} shown</span>
        <FolderExport ready={folder.id !== null} />
      </div>
      <FolderTable rows={shown} />
    </section>
  );
}
