import { otherFindings } from './verdict-words.ts';
import type { FileReport } from '../../../src-main/contract/api-contract.ts';

/** The findings that are not a verdict's root cause, most severe first. */
export function FindingsList({ report }: { report: FileReport }) {
  const findings = otherFindings(report);
  return (
    <section aria-labelledby="findings-title" className="panel">
      <h2 id="findings-title">Other findings <span className="count">{findings.length}</span></h2>
      {findings.length === 0 ? <p className="muted">None.</p> : (
        <ul className="findings">
          {findings.map((f, i) => (
            <li key={`${f.code}-${i}`} className={`finding ${f.severity}`}>
              <details>
                <summary>
                  <span className={`severity ${f.severity}`}>{f.severity}</span>
                  <span className="finding-title">{f.title}</span>
                  {f.hostArch && <span className="muted"> ({f.hostArch === 'x86' ? '32-bit' : '64-bit'})</span>}
                </summary>
                <p>{f.explanation}</p>
                {f.evidence.length > 0 && <ul className="evidence">{f.evidence.slice(0, 20).map((e, j) => <li key={j}><code>{e}</code></li>)}</ul>}
                <p><span className="label">Fix</span> {f.fix}</p>
                <p className="muted small">{f.code}</p>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
