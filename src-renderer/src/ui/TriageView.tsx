import { useEffect } from 'react';
import type { FileReport } from '../../../src-main/contract/api-contract.ts';
import { backToStart, selectFile } from '../store/actions.ts';
import { useOpened } from '../store/store.ts';
import { ExportPanel } from './ExportPanel.tsx';
import { WorkspaceTabs } from './workspace/WorkspaceTabs.tsx';
import { fails, headline } from './verdict-words.ts';
import { BackToFolder } from './folder/BackToFolder.tsx';
import { leaveFile } from '../store/folder-actions.ts';
import { useFileFromFolder } from '../store/folder-hooks.ts';

/** For a folder: how many files fail, and a picker listing those first. */
function FilePicker({ results, selected }: { results: FileReport[]; selected: number }) {
  const failing = results.map((r, i) => [r, i] as const).filter(([r]) => fails(r));
  const others = results.map((r, i) => [r, i] as const).filter(([r]) => !failing.some(([f]) => f === r));
  const name = (r: FileReport): string => r.file.split(/[\\/]/).pop() ?? r.file;
  return (
    <div className="file-pick">
      <p className="muted" data-testid="set-summary">{results.length} files: {failing.length} do not load</p>
      <label>File <select value={selected} onChange={(e) => selectFile(Number(e.target.value))}>
        {failing.length > 0 && <optgroup label="Do not load">{failing.map(([r, i]) => <option key={r.file} value={i}>{name(r)}</option>)}</optgroup>}
        <optgroup label="Load">{others.map(([r, i]) => <option key={r.file} value={i}>{name(r)}</option>)}</optgroup>
      </select></label>
    </div>
  );
}

/** The verdicts, findings and identity of one file of the opened set. */
export function TriageView() {
  const { opened, selected } = useOpened();
  const fromFolder = useFileFromFolder();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented && !(e.target instanceof HTMLSelectElement)) leaveFile();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!opened) return null;
  const results = opened.document.results;
  const report = results[selected] ?? results[0]!;
  const identity = opened.identities.find((i) => i.file === report.file);
  const title = headline(report);
  return (
    <article className="triage" aria-labelledby="file-title">
      <div className="triage-head">
        <div>
          <h1 id="file-title" className="file-name">{report.file.split(/[\\/]/).pop()}</h1>
          {report.status === 'analysed' && <p className={`headline ${title.tone}`} data-testid="headline">{title.text}</p>}
        </div>
        <div className="head-actions">
          {results.length > 1 && <FilePicker results={results} selected={selected} />}
          <BackToFolder />
          <button type="button" onClick={backToStart}>{fromFolder ? 'Open another' : 'Open another (Esc)'}</button>
        </div>
      </div>
      {identity?.uploaded && (
        <p className="notice" role="note">
          <strong>Uploaded copy.</strong> Thunk analysed this file alone, without the DLLs installed beside the original, so a dependency that ships with the application shows as missing.
          To check it where it is installed, type its path on the start screen.
        </p>
      )}
      <ExportPanel />
      <WorkspaceTabs opened={opened} report={report} identity={identity} />
      <p className="muted small">Analysed in {opened.durationMs} ms.</p>
    </article>
  );
}
