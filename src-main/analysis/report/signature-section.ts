import type { CertificateSummary, FileSignatureReport, SignatureReport, ValidityCase } from '../signature/signature-types.ts';

/** One line of the signature section with the lines under it (rendered as nested lists or indents). */
export interface OutlineItem {
  text: string;
  children: string[];
}

const VALIDITY_TEXT: Record<ValidityCase, string> = {
  'valid-now': 'the signer certificate is valid now',
  'expired-timestamped': 'the signer certificate has expired since, but the timestamp falls inside its validity: still valid',
  'expired-no-timestamp': 'the signer certificate has expired and there is no timestamp: invalid',
  'not-yet-valid': 'the signer certificate is not valid yet',
  'outside-validity-at-timestamp': 'the timestamp falls outside the signer certificate\'s validity: invalid',
  'lifetime-signing-expired': 'the signer certificate has expired and its lifetime-signing usage makes the timestamp irrelevant: invalid',
};

const commonName = (name: string): string => /CN=([^,]+)/.exec(name)?.[1] ?? name;
const day = (iso: string): string => iso.slice(0, 10);

function certificateText(certificate: CertificateSummary): string {
  return `${certificate.subject} (serial ${certificate.serialNumber}, valid ${day(certificate.validFrom)} to ${day(certificate.validTo)})`;
}

function signatureItem(signature: SignatureReport): OutlineItem {
  const { digest, trust, timestamp } = signature;
  const children: string[] = [];
  if (signature.signer) children.push(`signer: ${certificateText(signature.signer)}`);
  if (digest.algorithm) children.push(`digest ${digest.algorithm}: signed ${digest.signed ?? '?'}, computed ${digest.computed ?? '?'}${digest.matches === null ? '' : digest.matches ? ' (match)' : ' (MISMATCH)'}`);
  if (signature.chain.length > 0) children.push(`chain: ${signature.chain.map((c) => commonName(c.subject)).join(' → ')}`);
  if (trust) {
    const end = `${trust.chainEnd.subject} (SHA-1 ${trust.chainEnd.sha1}, SHA-256 ${trust.chainEnd.sha256})`;
    const list = `Thunk's list of Windows code-signing roots (${trust.rootList.date})`;
    if (!trust.windowsRoot) children.push(`chain ends at ${end}: not in ${list}`);
    else if (trust.chainEnd.selfSigned) children.push(`root: ${end}: in ${list}`);
    else children.push(`chain ends at ${end}, issued by ${trust.windowsRoot.name} (SHA-1 ${trust.windowsRoot.sha1}): in ${list}`);
    if (trust.windowsVerdict) children.push(`Windows (WinVerifyTrust): ${trust.windowsVerdict}`);
  }
  if (timestamp) {
    const root = timestamp.trust ? `; its chain ends at ${commonName(timestamp.trust.chainEnd.subject)} (${timestamp.trust.windowsRoot ? 'in' : 'not in'} Thunk's list of Windows roots)` : '';
    children.push(`timestamp (${timestamp.kind === 'rfc3161' ? 'RFC 3161' : 'countersignature'}): ${timestamp.time ?? 'no time'}${timestamp.signer ? ` by ${commonName(timestamp.signer.subject)}` : ''}, ${timestamp.status}${root}`);
  }
  else children.push('timestamp: none');
  if (signature.validity) children.push(VALIDITY_TEXT[signature.validity]);
  if (signature.programName || signature.programUrl) children.push(`program: ${[signature.programName, signature.programUrl].filter(Boolean).join(' ')}`);
  children.push(...signature.reasons.map((reason) => (reason.startsWith('note:') ? reason : `reason: ${reason}`)));
  const label = signature.nested ? `nested signature #${signature.index}` : 'primary signature';
  return { text: `${label}: ${signature.status}${digest.algorithm ? ` (${digest.algorithm})` : ''}`, children };
}

/** The signature section as an outline: the status, then one item per signature and the table's problems. */
export function signatureOutline(report: FileSignatureReport): OutlineItem[] {
  const items: OutlineItem[] = [{ text: `status: ${report.status}${report.signatures.length > 1 ? ` (${report.signatures.length} signatures)` : ''}`, children: [] }];
  items.push(...report.signatures.map(signatureItem));
  if (report.problems.length > 0) items.push({ text: 'certificate table problems', children: report.problems });
  if (report.catalogNote) items.push({ text: report.catalogNote, children: [] });
  return items;
}

/** The one-line value of the report's "Signature" fact. */
export function signatureFact(report: FileSignatureReport): string {
  const primary = report.signatures[0];
  if (!primary) return report.status === 'unsigned' ? 'not signed (may be catalog-signed)' : report.status;
  const signer = primary.signer ? `, ${commonName(primary.signer.subject)}` : '';
  return `${report.status}${primary.digest.algorithm ? ` (${report.signatures.map((s) => s.digest.algorithm).join(' + ')})` : ''}${signer}`;
}
