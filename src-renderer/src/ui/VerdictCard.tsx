import type { FileReport } from '../../../src-main/contract/api-contract.ts';
import type { FileIdentity } from '../../../src-main/contract/api-contract.ts';
import { HOST_NAMES, codeText, rootFinding, type Host, type Verdict } from './verdict-words.ts';

/** The analysis had no Windows folder, so system DLLs were assumed present. */
function systemUnchecked(report: FileReport, host: Host): boolean {
  return report.findings.some((f) => f.code === 'THK-NO-WINDOWS-DIR' && (f.hostArch === host || f.hostArch === null));
}

type RealLoaderRow = NonNullable<FileReport['realLoader']>[Host];

/** What the real loader said, beside the prediction (the load context's "real loader" option). */
function RealLoader({ row }: { row: RealLoaderRow }) {
  if (!row) return null;
  const said = row.loads === null ? `could not be asked: ${row.error?.message ?? 'no agent'}` : row.loads ? 'loads' : `fails with ${row.error ? `${codeText(row.error.code)} ${row.error.name}` : 'an error'}`;
  const agreement = row.agreesWithPrediction === false ? ' (disagrees with the analysis: see the findings)' : row.agreesWithPrediction ? ' (agrees)' : '';
  return <p className="real-loader"><span className="label">Real</span> The real loader {said}{agreement}{row.runtime ? <span className="muted"> [{row.runtime}]</span> : null}</p>;
}

/** The analysis found everything, yet the real loader failed (DllMain, a crash): that failure is the verdict. */
function RealFailureCard({ report, host, row }: { report: FileReport; host: Host; row: NonNullable<RealLoaderRow> }) {
  const titleId = `verdict-${host}`;
  const finding = report.findings.find((f) => f.code === 'THK-REAL-LOADER-DISAGREES' && f.hostArch === host);
  return (
    <article className="verdict fail" aria-labelledby={titleId} data-testid={`verdict-${host}`}>
      <h3 id={titleId}><span className="badge fail">Fails when loaded</span> {HOST_NAMES[host]}</h3>
      {row.error && (
        <p className="error-code">
          Error <strong>{codeText(row.error.code)}</strong> <code>{row.error.name}</code>
          <span className="error-message">“{row.error.message}”</span>
        </p>
      )}
      <p><span className="label">Cause</span> {finding?.explanation ?? 'Every dependency was found, but loading it for real failed.'}</p>
      {finding && <p className="fix"><span className="label">Fix</span> {finding.fix}</p>}
      <RealLoader row={row} />
    </article>
  );
}

/** One host bitness: loads, or the Windows error, the root cause, the chain and the fix. */
export function VerdictCard({ report, host, verdict, identity }: { report: FileReport; host: Host; verdict: Verdict; identity: FileIdentity | undefined }) {
  const titleId = `verdict-${host}`;
  const real = report.realLoader?.[host];
  if (verdict.loads && real?.loads === false) return <RealFailureCard report={report} host={host} row={real} />;
  if (verdict.loads) {
    return (
      <article className="verdict ok" aria-labelledby={titleId} data-testid={`verdict-${host}`}>
        <h3 id={titleId}><span className="badge ok">Loads</span> {HOST_NAMES[host]}</h3>
        <p>{systemUnchecked(report, host) ? 'Its own dependencies were found. System DLLs were not checked: set a Windows folder in the load context to check them too.' : 'Every dependency was found with the functions it needs.'}</p>
        <RealLoader row={real} />
      </article>
    );
  }
  const tone = verdict.builtForHost ? 'fail' : 'neutral';
  const chain = identity?.chains[host] ?? [];
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
      {!verdict.builtForHost && (report.summary?.isDll === false
        ? <p className="muted">This program is built for the other bitness: it does not run on {host === 'x86' ? '32-bit' : '64-bit'} Windows.</p>
        : <p className="muted">This DLL is built for the other bitness; a {HOST_NAMES[host]} cannot load it. That only matters if your application runs as a {HOST_NAMES[host]}.</p>)}
      {verdict.rootCause && <p><span className="label">Cause</span> {verdict.rootCause}</p>}
      {chain.length > 1 && (
        <p><span className="label">Chain</span> <span className="chain">{chain.map((name, i) => <span key={i}>{i > 0 && <span aria-hidden="true"> → </span>}<code>{name}</code></span>)}</span></p>
      )}
      {finding && verdict.builtForHost && <p className="fix"><span className="label">Fix</span> {finding.fix}</p>}
      <RealLoader row={real} />
    </article>
  );
}
