import { X509Certificate } from 'node:crypto';
import { isSelfSigned, type ParsedCertificate } from './certificate.ts';
import type { TrustReport } from './signature-types.ts';
import { WINDOWS_CODE_SIGNING_ROOTS, WINDOWS_ROOT_LIST } from './windows-code-signing-roots.ts';

// Real chains are 2 to 5 certificates; a loop or a hostile blob must not run further.
const MAX_CHAIN_LENGTH = 16;

/** A chain from the signer up through the certificates the signature carries. */
export interface CertificateChain {
  certificates: ParsedCertificate[];
  /** True when the last certificate is self-signed (a root). */
  reachesRoot: boolean;
  problems: string[];
}

function issuerOf(certificate: ParsedCertificate, pool: readonly ParsedCertificate[]): { issuer: ParsedCertificate | null; badSignature: boolean } {
  const named = pool.filter((candidate) => candidate !== certificate && certificate.x509.checkIssued(candidate.x509));
  const issuer = named.find((candidate) => certificate.x509.verify(candidate.x509.publicKey)) ?? null;
  return { issuer, badSignature: issuer === null && named.length > 0 };
}

/** Builds the chain from `signer` through `pool`, checking each link's signature. */
export function buildChain(signer: ParsedCertificate, pool: readonly ParsedCertificate[]): CertificateChain {
  const certificates = [signer];
  const problems: string[] = [];
  let current = signer;
  while (!isSelfSigned(current) && certificates.length < MAX_CHAIN_LENGTH) {
    const { issuer, badSignature } = issuerOf(current, pool);
    if (badSignature) problems.push(`the certificate of ${current.x509.subject.replace(/\n/g, ', ')} does not verify with its issuer's key`);
    if (!issuer || certificates.includes(issuer)) break;
    certificates.push(issuer);
    current = issuer;
  }
  return { certificates, reachesRoot: isSelfSigned(current), problems };
}

const thumbprint = (x509: X509Certificate): { sha1: string; sha256: string } => ({
  sha1: x509.fingerprint.replace(/:/g, ''),
  sha256: x509.fingerprint256.replace(/:/g, ''),
});

let rootCertificates: { entry: (typeof WINDOWS_CODE_SIGNING_ROOTS)[number]; x509: X509Certificate }[] | null = null;

function listedRoots(): NonNullable<typeof rootCertificates> {
  rootCertificates ??= WINDOWS_CODE_SIGNING_ROOTS.map((entry) => ({ entry, x509: new X509Certificate(entry.pem) }));
  return rootCertificates;
}

/**
 * Where the chain ends and whether that is a root in Thunk's list of Windows code-signing roots:
 * the last certificate itself, or a listed root that issued it (signatures often leave the root out).
 */
export function trustOf(chain: CertificateChain): TrustReport {
  const last = chain.certificates[chain.certificates.length - 1]!.x509;
  const own = thumbprint(last);
  const root = listedRoots().find(({ x509 }) => x509.fingerprint256 === last.fingerprint256)
    ?? (chain.reachesRoot ? undefined : listedRoots().find(({ x509 }) => last.checkIssued(x509) && last.verify(x509.publicKey)));
  return {
    chainEnd: { subject: last.subject.replace(/\n/g, ', '), ...own, selfSigned: chain.reachesRoot },
    windowsRoot: root ? { name: root.entry.name, ...thumbprint(root.x509) } : null,
    rootList: WINDOWS_ROOT_LIST,
    windowsVerdict: null,
  };
}
