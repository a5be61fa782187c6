import type { PeImage } from '../pe/pe-image.ts';
import type { FileSignatureReport, SignatureReport } from '../signature/signature-types.ts';
import type { Finding } from './finding.ts';
import { FINDING_CODES, finding } from './findings.ts';

const FIX_FROM_SOURCE = 'Get the file again from its vendor (installer, package or update) and compare its hash; do not run a copy whose signature fails.';

function modified(signature: SignatureReport, path: string): Finding {
  const { algorithm, signed, computed } = signature.digest;
  return finding({
    code: FINDING_CODES.signatureModified, severity: 'error', title: 'Modified after signing: the Authenticode digest does not match',
    explanation: 'The file\'s contents differ from what was signed: it was damaged (truncated download, disk error) or altered (patched, infected). Windows treats the signature as invalid, so WDAC, SmartScreen and anti-virus products may block it.',
    evidence: [path, `signed ${algorithm} digest: ${signed}`, `computed ${algorithm} digest: ${computed}`],
    fix: FIX_FROM_SOURCE,
  });
}

function invalid(signature: SignatureReport, path: string, nested: boolean): Finding {
  const reasons = signature.reasons.filter((r) => !r.startsWith('note:'));
  return finding({
    code: nested ? FINDING_CODES.nestedSignatureInvalid : FINDING_CODES.signatureInvalid,
    severity: nested ? 'warning' : 'error',
    title: nested ? `Nested signature #${signature.index} is invalid` : `Invalid Authenticode signature: ${reasons[0] ?? 'see the evidence'}`,
    explanation: nested
      ? 'An additional (nested) signature fails; Windows judges the primary one, but tools that check every signature will complain.'
      : 'Windows will treat the file as not validly signed: policies that require signed code (WDAC, driver signing, some anti-virus products) can block it.',
    evidence: [path, ...(signature.signer ? [`signer: ${signature.signer.subject}`] : []), ...reasons],
    fix: signature.validity === 'expired-no-timestamp'
      ? 'The signing certificate has expired and the signature was not timestamped: ask the vendor for a build signed with a timestamp (signtool sign /tr <TSA URL> /td sha256).'
      : FIX_FROM_SOURCE,
  });
}

function malformed(report: FileSignatureReport, image: PeImage): Finding[] {
  const known = new Set(image.issues.map((issue) => issue.message));
  const problems = report.problems.filter((p) => !known.has(p));
  const broken = report.signatures.filter((s) => s.status === 'malformed').flatMap((s) => s.reasons.slice(0, 1));
  if (problems.length === 0 && broken.length === 0) return [];
  return [finding({
    code: FINDING_CODES.signatureMalformed, severity: 'warning', title: 'Malformed Authenticode signature or certificate table',
    explanation: 'The certificate table or the signature in it is not laid out as the PE and Authenticode formats say; Thunk verified what it could. A truncated download or a tool that appends data after signing looks like this.',
    evidence: [image.path, ...problems, ...broken],
    fix: FIX_FROM_SOURCE,
  })];
}

function rootUnknown(signature: SignatureReport, path: string): Finding[] {
  const trust = signature.trust;
  if (signature.status !== 'valid' || !trust || trust.windowsRoot) return [];
  return [finding({
    code: FINDING_CODES.signatureRootUnknown, severity: 'info', title: `Signed, but the chain ends at a root not in Thunk's list: ${trust.chainEnd.subject}`,
    explanation: `The signature is intact and its chain verifies up to ${trust.chainEnd.subject}, which is not in Thunk's list of Windows code-signing roots (${trust.rootList.date}; ${trust.rootList.source}). Windows trusts it only if that root is in its store: a private or enterprise CA must be deployed to the machines.`,
    evidence: [path, `chain end: ${trust.chainEnd.subject}`, `SHA-1 ${trust.chainEnd.sha1}`, `SHA-256 ${trust.chainEnd.sha256}`],
    fix: 'On a Windows machine, check with `signtool verify /pa /v` or the file\'s Digital Signatures tab; for an internal CA, deploy its root by group policy.',
  })];
}

/** Findings from a file's verified Authenticode signatures (unsigned files are image-findings' THK-UNSIGNED). */
export function signatureVerificationFindings(report: FileSignatureReport, image: PeImage): Finding[] {
  const found: Finding[] = [...malformed(report, image)];
  for (const signature of report.signatures) {
    if (signature.digest.matches === false) found.push(modified(signature, image.path));
    else if (signature.status === 'invalid') found.push(invalid(signature, image.path, signature.nested));
    found.push(...rootUnknown(signature, image.path));
  }
  return found;
}
