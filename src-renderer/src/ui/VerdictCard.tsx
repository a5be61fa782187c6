import type { FileReport } from '../../../src-main/contract/api-contract.ts';
import { HOST_NAMES, codeText, failureChain, rootFinding, type Host, type Verdict } from './verdict-words.ts';

/** One host bitness: loads, or the Windows error, the root cause, the chain and the fix. */
export function VerdictCard({ report, host, verdict }: { report: FileReport; host: Host; verdict: Verdict }) {
  const titleId = `verdict-${host}`;
  if (verdict.loads) {
    return (
      <article className="verdict ok" aria-labelledby={titleId} data-testid={`verdict-${host}`}>
        <h3 id={titleId}><span className="badge ok">Loads</span> {HOST_NAMES[host]}</h3>
        <p>Every dependency was found with the functions it needs.</p>
      </article>
    );
  }
  const tone = verdict.builtForHost ? 'fail' : 'neutral';
  const chain = failureChain(report, host, verdict);
  const finding = rootFinding(report, host);
  return (
    <article className={`verdict ${tone}`} aria-labelledby={titleId} data-testid={`verdict-${host}`}>
      <h3 id={titleId}>
        <span className={`badge ${tone}`}>{verdict.builtForHost ? 'Fails' : 'Wrong bitness'}</span> {HOST_NAMES[host]}
      </h3>
      {verdict.error && (
        <p className="error-code">
          Error <strong>{codeText(verdict.error.code)}</strong> <code>{verdict.error.name}</code>
          <span className="error-message">“{verdict.error.message}”</span>
        </p>
      )}
      {!verdict.builtForHost && <p className="muted">This DLL is built for the other bitness; a {HOST_NAMES[host]} cannot load it. That only matters if your application runs as a {HOST_NAMES[host]}.</p>}
      {verdict.rootCause && <p><span className="label">Cause</span> {verdict.rootCause}</p>}
      {chain.length > 1 && (
        <p><span className="label">Chain</span> <span className="chain">{chain.map((name, i) => <span key={i}>{i > 0 && <span aria-hidden="true"> → </span>}<code>{name}</code></span>)}</span></p>
      )}
      {finding && verdict.builtForHost && <p className="fix"><span className="label">Fix</span> {finding.fix}</p>}
    </article>
  );
}
