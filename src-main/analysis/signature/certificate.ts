import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CertificateSummary } from './signature-types.ts';
import { OID } from './oids.ts';

/** One certificate carried in a signature, parsed both ways: Node's for crypto, pkijs's for fields. */
export interface ParsedCertificate {
  der: Buffer;
  x509: X509Certificate;
  fields: pkijs.Certificate;
}

const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/** Parses a DER certificate; null when either parser refuses it. */
export function parseCertificate(der: Buffer): ParsedCertificate | null {
  try {
    return { der, x509: new X509Certificate(der), fields: pkijs.Certificate.fromBER(der) };
  } catch {
    return null;
  }
}

/** KeyUsage bit names; null when the certificate has no KeyUsage extension. */
export function keyUsageNames(certificate: ParsedCertificate): string[] | null {
  const extension = certificate.fields.extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!extension) return null;
  const bits = extension.parsedValue;
  if (!(bits instanceof asn1js.BitString)) return [];
  const bytes = bits.valueBlock.valueHexView;
  return KEY_USAGE_BITS.filter((_name, bit) => bit < bytes.length * 8 && ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) === 1);
}

/** Extended key usage OIDs; null when the certificate has no EKU extension (any purpose). */
export function extendedKeyUsage(certificate: ParsedCertificate): string[] | null {
  const usage = certificate.x509.keyUsage as string[] | undefined;
  return usage && usage.length > 0 ? usage : null;
}

/** True when the certificate names itself as issuer and its signature verifies with its own key. */
export function isSelfSigned(certificate: ParsedCertificate): boolean {
  return certificate.x509.checkIssued(certificate.x509) && certificate.x509.verify(certificate.x509.publicKey);
}

const oneLine = (name: string): string => name.split('\n').filter(Boolean).join(', ');

/** The report's view of a certificate. */
export function summarizeCertificate(certificate: ParsedCertificate): CertificateSummary {
  const { x509 } = certificate;
  return {
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    serialNumber: x509.serialNumber,
    validFrom: new Date(x509.validFrom).toISOString(),
    validTo: new Date(x509.validTo).toISOString(),
    sha1: x509.fingerprint.replace(/:/g, ''),
    sha256: x509.fingerprint256.replace(/:/g, ''),
    keyUsage: keyUsageNames(certificate),
    extendedKeyUsage: extendedKeyUsage(certificate),
    selfSigned: isSelfSigned(certificate),
  };
}

/** True when `time` falls inside the certificate's validity period. */
export function validAt(certificate: ParsedCertificate, time: Date): boolean {
  return time >= new Date(certificate.x509.validFrom) && time <= new Date(certificate.x509.validTo);
}

/** Why a certificate cannot sign code (key usage, EKU), as reasons; empty when it can. */
export function usageProblems(certificate: ParsedCertificate, purpose: string, purposeName: string): string[] {
  const problems: string[] = [];
  const keyUsage = keyUsageNames(certificate);
  if (keyUsage && !keyUsage.includes('digitalSignature')) problems.push(`its KeyUsage (${keyUsage.join(', ') || 'none'}) lacks digitalSignature`);
  const eku = extendedKeyUsage(certificate);
  if (eku && !eku.includes(purpose)) problems.push(`its extended key usage (${eku.join(', ')}) lacks ${purposeName} (${purpose})`);
  return problems;
}
