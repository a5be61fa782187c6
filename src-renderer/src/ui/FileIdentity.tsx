import type { FileIdentity as Identity, FileReport } from '../../../src-main/contract/api-contract.ts';
import { formatBytes } from './verdict-words.ts';
import { WindowsTrustCheck } from './signature/WindowsTrustCheck.tsx';

const HARDENING: Record<string, string> = {
  aslr: 'ASLR', highEntropyVa: 'High-entropy VA', dep: 'DEP', cfg: 'CFG', safeSeh: 'SafeSEH', noSeh: 'No SEH',
  forceIntegrity: 'Force integrity', appContainer: 'AppContainer', securityCookie: 'GS cookie',
};

type SignatureFacts = NonNullable<FileReport['signature']>;

const commonName = (subject: string): string => /CN=([^,]+)/.exec(subject)?.[1] ?? subject;

/** "valid, signed by OpenJS Foundation, timestamped 2026-07-28; root in Windows' list": the verification in one line. */
function signatureWords(signature: SignatureFacts): string {
  const primary = signature.signatures[0];
  if (!primary) return signature.status === 'unsigned' ? 'Not signed (it may still be catalog-signed: only Windows can check)' : `Malformed: ${signature.problems[0] ?? 'the certificate table cannot be read'}`;
  const parts = [primary.status === 'valid' ? 'Valid' : `INVALID: ${primary.reasons[0] ?? primary.status}`];
  if (primary.signer) parts.push(`signed by ${commonName(primary.signer.subject)}`);
  if (primary.timestamp?.time) parts.push(`timestamped ${primary.timestamp.time.slice(0, 10)}`);
  if (primary.trust) parts.push(primary.trust.windowsRoot ? `root in Windows' list (${primary.trust.windowsRoot.name})` : `root not in Thunk's list of Windows roots (${commonName(primary.trust.chainEnd.subject)})`);
  if (signature.signatures.length > 1) parts.push(`${signature.signatures.length - 1} nested signature(s)`);
  return parts.join(', ');
}

function rows(report: FileReport, identity: Identity | undefined): [string, string][] {
  const s = report.summary;
  const all: [string, string | null | undefined][] = [
    ['Name', identity?.name ?? report.file.split(/[\\/]/).pop()],
    ['Path', identity?.uploaded ? 'uploaded copy (deleted when `thunk serve` stops)' : report.file],
    ['Size', formatBytes(report.size)],
    ['SHA-256', identity?.sha256],
    ['Machine', s ? `${s.machine === 'x86' ? 'x86 (32-bit)' : s.machine === 'x64' ? 'x64 (64-bit)' : s.machine}${s.format ? `, ${s.format}` : ''}${s.isDll ? ', DLL' : ''}` : null],
    ['File version', s?.fileVersion],
    ['Product', s ? [s.productName, s.productVersion].filter(Boolean).join(' ') : null],
    ['Company', s?.companyName],
    ['Description', s?.fileDescription],
    ['PDB', s?.pdb ? `${s.pdb.path}${s.pdb.guid ? ` (${s.pdb.guid}, age ${s.pdb.age})` : ''}` : s ? 'none' : null],
    ['Signature', report.signature ? signatureWords(report.signature) : s ? (s.signed ? 'Authenticode signature present' : 'Not signed') : null],
    ['.NET', s ? (s.dotnet ? `${s.dotnet.flavor}, runtime ${s.dotnet.runtimeVersion}` : 'No (native code)') : null],
    ['Built', s?.timestamp],
    ['Exports', identity && s ? `${identity.counts.exports.toLocaleString('en-US')} (listed in the exported report)` : null],
    ['Imports', identity && s ? `${identity.counts.imports} DLLs${identity.counts.delayImports ? `, ${identity.counts.delayImports} delay-loaded` : ''}` : null],
    ['Hardening', s ? Object.entries(s.hardening).filter(([, v]) => v !== null).map(([k, v]) => `${HARDENING[k] ?? k} ${v ? '✓' : '✗'}`).join('  ') : null],
  ];
  return all.filter((r): r is [string, string] => typeof r[1] === 'string' && r[1] !== '');
}

/** Name, size, hash, version, PDB, signature, machine, .NET and hardening. */
export function FileIdentity({ report, identity }: { report: FileReport; identity: Identity | undefined }) {
  return (
    <section aria-labelledby="identity-title" className="panel">
      <h2 id="identity-title">File</h2>
      <dl className="facts">
        {rows(report, identity).map(([label, value]) => (
          <div key={label} className="fact"><dt>{label}</dt><dd className={label === 'SHA-256' || (label === 'Path' && !identity?.uploaded) ? 'mono' : undefined}>{value}</dd></div>
        ))}
      </dl>
      {report.status === 'analysed' && <WindowsTrustCheck key={report.file} file={report.file} />}
    </section>
  );
}
