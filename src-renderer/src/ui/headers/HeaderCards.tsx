import type { HeadersResult } from '../../../../src-main/contract/api-contract.ts';
import { Card, Facts } from './HeaderParts.tsx';
import { hex, sizeWords } from './header-words.ts';

const commonName = (subject: string): string => /CN=([^,]+)/.exec(subject)?.[1] ?? subject;

/** The certificate table and each Authenticode signature in it, as verified for the report. */
export function SignatureCard({ h }: { h: HeadersResult }) {
  const table = h.certificates;
  const signature = h.signature;
  return (
    <Card id="certificates" title="Certificates and signature">
      {!table ? <p className="muted">No certificate table: not Authenticode-signed (it may still be catalog-signed, which only Windows can check).</p> : (
        <Facts facts={table.entries.map((e, i): [string, string, boolean] => [`Entry ${i + 1}`, `${e.typeName}, ${sizeWords(e.length)} at ${hex(e.offset)}, revision ${hex(e.revision, 4)}`, false])
          .concat([['Certificates', table.certificateCount === null ? 'unreadable' : String(table.certificateCount), false]])} />
      )}
      {signature?.signatures.map((s) => (
        <div key={s.index} className="signature">
          <h3>{s.nested ? `Nested signature ${s.index}` : 'Signature'}: <span className={s.status === 'valid' ? 'good' : 'bad'}>{s.status}</span></h3>
          <Facts facts={[
            ['Signed by', s.signer ? commonName(s.signer.subject) : 'unknown'], ['Issued by', s.signer ? commonName(s.signer.issuer) : null],
            ['Valid', s.signer ? `${s.signer.validFrom.slice(0, 10)} to ${s.signer.validTo.slice(0, 10)}` : null],
            ['Digest', s.digest.algorithm ? `${s.digest.algorithm}, ${s.digest.matches === true ? 'matches the file' : s.digest.matches === false ? 'does NOT match the file: modified after signing' : 'not checked'}` : null],
            ['Timestamp', s.timestamp?.time ? `${s.timestamp.time.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')} (${s.timestamp.status})` : 'none'],
            ['Root', s.trust ? (s.trust.windowsRoot ? `${s.trust.windowsRoot.name} (in Windows' list)` : `${commonName(s.trust.chainEnd.subject)} (not in Thunk's list of Windows roots)`) : null],
            ['Problems', s.reasons.join('; ')],
          ]} />
        </div>
      ))}
      {signature && signature.problems.length > 0 && <p className="bad">{signature.problems.join('; ')}</p>}
    </Card>
  );
}

/** The linker's record of the tools that built the file (MSVC only). */
export function RichHeaderCard({ h }: { h: HeadersResult }) {
  const r = h.richHeader;
  return (
    <Card id="rich-header" title="Rich header">
      {!r ? <p className="muted">None: not linked by Microsoft's linker (MinGW, clang with lld, Go and others write none).</p> : (
        <>
          <Facts facts={[['XOR key', r.key, true], ['Checksum', r.checksumValid ? 'valid' : 'does not match: the header was edited']]} />
          <table className="header-table compact" aria-label="Tools that built the file">
            <thead><tr><th className="num">Product ID</th><th>Tool</th><th className="num">Build</th><th className="num">Objects</th></tr></thead>
            <tbody>{r.entries.map((e, i) => <tr key={i}><td className="num">{e.productId}</td><td>{e.tool ?? <span className="muted">unknown</span>}</td><td className="num">{e.build}</td><td className="num">{e.count}</td></tr>)}</tbody>
          </table>
        </>
      )}
    </Card>
  );
}

/** Resource types, version strings and the manifest's text. */
export function ResourcesCard({ h }: { h: HeadersResult }) {
  const r = h.resources;
  return (
    <Card id="resources" title="Resources" wide>
      {!r ? <p className="muted">No resources.</p> : (
        <div className="resources">
          <div>
            <Facts facts={[
              ['Types', r.types.map((t) => `${t.type} ×${t.count}`).join(', ') || 'none'],
              ['File version', r.version?.fileVersion], ['Product version', r.version?.productVersion], ['Version flags', r.version?.fileFlags.join(', ')],
            ]} />
            {r.version && r.version.strings.length > 0 && (
              <table className="header-table compact" aria-label="Version strings">
                <thead><tr><th>Version string</th><th>Value</th><th>Table</th></tr></thead>
                <tbody>{r.version.strings.map((s) => <tr key={`${s.table}-${s.name}`}><th scope="row">{s.name}</th><td>{s.value}</td><td className="mono muted">{s.table}</td></tr>)}</tbody>
              </table>
            )}
          </div>
          <div>
            {r.manifest ? (
              <>
                <Facts facts={[
                  ['Manifest', `resource ${r.manifest.resourceId ?? '?'}`], ['Execution level', r.manifest.requestedExecutionLevel],
                  ['Depends on', r.manifest.dependencies.join('; ')],
                ]} />
                <pre className="manifest" aria-label="Manifest text" tabIndex={0}>{r.manifest.xml}</pre>
              </>
            ) : <p className="muted">No manifest.</p>}
          </div>
        </div>
      )}
    </Card>
  );
}
