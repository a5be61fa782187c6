import { useEffect } from 'react';
import type { FileReport } from '../../../src-main/contract/api-contract.ts';
import { backToStart, selectFile } from '../store/actions.ts';
import { useOpened } from '../store/store.ts';
import { VerdictCard } from './VerdictCard.tsx';
import { FindingsList } from './FindingsList.tsx';
import { FileIdentity } from './FileIdentity.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { fails, headline, type Host, type Verdict } from './verdict-words.ts';

const PROBLEM_TITLES: Record<Exclude<FileReport['status'], 'analysed'>, string> = {
  'not-pe': 'This is not a Windows DLL',
  unreadable: 'Thunk cannot read this file',
  failed: 'Thunk could not analyse this file',
};

function FileProblem({ report }: { report: FileReport }) {
  const status = report.status as Exclude<FileReport['status'], 'analysed'>;
  const finding = report.findings[0];
  const fix = finding?.fix ?? (status === 'unreadable' ? 'Check the path, that the file exists, and that you may read it.' : 'Report this to the Thunk developers with the file.');
  return (
    <section className="problem" role="alert" aria-labelledby="problem-title">
      <h2 id="problem-title">{PROBLEM_TITLES[status]}</h2>
      <p>{report.error}</p>
      {finding && <p>{finding.explanation}</p>}
      <p><strong>What to do:</strong> {fix}</p>
    </section>
  );
}

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
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !(e.target instanceof HTMLSelectElement)) backToStart();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!opened) return null;
  const results = opened.document.results;
  const report = results[selected] ?? results[0]!;
  const identity = opened.identities.find((i) => i.file === report.file);
  const title = headline(report);
  const verdicts = Object.entries(report.verdicts) as [Host, Verdict][];
  return (
    <article className="triage" aria-labelledby="file-title">
      <div className="triage-head">
        <div>
          <h1 id="file-title" className="file-name">{report.file.split(/[\\/]/).pop()}</h1>
          {report.status === 'analysed' && <p className={`headline ${title.tone}`} data-testid="headline">{title.text}</p>}
        </div>
        <div className="head-actions">
          {results.length > 1 && <FilePicker results={results} selected={selected} />}
          <button type="button" onClick={backToStart}>Open another (Esc)</button>
        </div>
      </div>
      {identity?.uploaded && (
        <p className="notice" role="note">
          <strong>Uploaded copy.</strong> Thunk analysed this file alone, without the DLLs installed beside the original, so a dependency that ships with the application shows as missing.
          To check it where it is installed, type its path on the start screen.
        </p>
      )}
      {report.status !== 'analysed' ? <FileProblem report={report} /> : (
        <section aria-label="Verdicts" className="verdicts">
          {verdicts.map(([host, verdict]) => <VerdictCard key={host} report={report} host={host} verdict={verdict} identity={identity} />)}
        </section>
      )}
      <ExportPanel />
      {report.status === 'analysed' && <FindingsList report={report} />}
      <FileIdentity report={report} identity={identity} />
      <p className="muted small">Analysed in {opened.durationMs} ms.</p>
    </article>
  );
}
