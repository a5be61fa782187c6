import type { FileReport } from '../../../../src-main/contract/api-contract.ts';
import { useLoaderCheck } from '../../store/agents-hooks.ts';
import { askRealLoader } from '../../store/agents-actions.ts';
import { AGREEMENT_WORDS, type LoaderComparison, loaderComparisons } from './loader-comparison.ts';
import './real-loader.css';

const TONES = { agrees: 'ok', disagrees: 'fail', 'not-comparable': 'neutral', unavailable: 'neutral' } as const;

function Comparison({ row }: { row: LoaderComparison }) {
  const titleId = `real-loader-${row.host}`;
  return (
    <article className={`loader-row ${TONES[row.agreement]}`} aria-labelledby={titleId} data-testid={`real-loader-${row.host}`}>
      <h3 id={titleId}>{row.hostName} <span className={`badge ${TONES[row.agreement]}`}>{AGREEMENT_WORDS[row.agreement]}</span></h3>
      <dl className="loader-pair">
        <div><dt>Analysis predicts</dt><dd className={row.predicted.loads ? 'says-ok' : 'says-fail'}>{row.predicted.text}</dd></div>
        <div><dt>Real loader says</dt><dd className={row.real.loads ? 'says-ok' : row.real.loads === false ? 'says-fail' : ''}>{row.real.text}</dd></div>
      </dl>
      {row.reason && <p><span className="label">Why</span> {row.reason}</p>}
      {row.evidence.length > 0 && (
        <details className="loader-evidence">
          <summary>Where it happened ({row.evidence.length} frame{row.evidence.length === 1 ? '' : 's'})</summary>
          <ol>{row.evidence.map((line, i) => <li key={i}><code>{line}</code></li>)}</ol>
        </details>
      )}
      {/* A real failure of a predicted load becomes the verdict card itself, fix included: not repeated here. */}
      {row.fix && row.agreement === 'disagrees' && !(row.predicted.loads && row.real.loads === false) && <p className="fix"><span className="label">Fix</span> {row.fix}</p>}
      {row.runtime && <p className="muted small">Loaded by {row.runtime}</p>}
    </article>
  );
}

/** "Ask the real loader": the file loaded for real in the agent of its bitness, beside the static verdict. */
export function RealLoaderCheck({ report }: { report: FileReport }) {
  const check = useLoaderCheck(report.file);
  const rows = loaderComparisons(report);
  const asking = check?.asking ?? false;
  return (
    <section className="panel real-loader-check" aria-labelledby="real-loader-title" aria-busy={asking}>
      <div className="section-head">
        <h2 id="real-loader-title">Real loader</h2>
        <button type="button" className={rows.length ? '' : 'primary'} onClick={() => void askRealLoader(report.file)} disabled={asking}>
          {asking ? 'Asking the real loader…' : rows.length ? 'Ask the real loader again' : 'Ask the real loader'}
        </button>
      </div>
      {rows.length === 0 && !asking && (
        <p className="muted">The verdicts above are predicted from the file. Load it for real, in a helper process of its bitness with the same load context, to see what the loader itself says (DllMain runs: a DLL's start-up code may fail or fault where every dependency is found).</p>
      )}
      {asking && <p className="muted" role="status">Loading {report.file.split(/[\\/]/).pop()} in the agent of its bitness; starting an agent takes a few seconds under Wine, up to 10 s for 32-bit DLLs under emulation.</p>}
      {check?.error && <p role="alert" className="loader-error">{check.error}</p>}
      {rows.length > 0 && <div className="loader-rows">{rows.map((row) => <Comparison key={row.host} row={row} />)}</div>}
    </section>
  );
}
