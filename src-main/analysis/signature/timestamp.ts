import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { MalformedSignatureError, encodedBytes } from './asn1.ts';
import { summarizeCertificate, usageProblems, validAt, type ParsedCertificate } from './certificate.ts';
import { buildChain, trustOf } from './chain.ts';
import { OID, digestName } from './oids.ts';
import { parseSignedData } from './signed-data.ts';
import { checkSignerInfo, signedAttribute, unsignedAttribute } from './signer-info.ts';
import type { TimestampReport } from './signature-types.ts';

function timeOf(node: asn1js.AsnType | undefined): Date | null {
  return node instanceof asn1js.UTCTime || node instanceof asn1js.GeneralizedTime ? node.toDate() : null;
}

function report(kind: TimestampReport['kind'], time: Date | null, signer: ParsedCertificate | null, pool: readonly ParsedCertificate[], digest: string | null, reasons: string[]): TimestampReport {
  const chain = signer ? buildChain(signer, pool) : null;
  if (chain) reasons.push(...chain.problems.map((p) => `the timestamp's chain: ${p}`));
  for (const certificate of time ? chain?.certificates ?? [] : []) {
    if (!validAt(certificate, time!)) reasons.push(`the timestamp's certificate ${certificate.x509.subject.replace(/\n/g, ', ')} was not valid at ${time!.toISOString()}`);
  }
  if (signer) reasons.push(...usageProblems(signer, OID.timeStampingPurpose, 'time stamping').map((p) => `the timestamp's certificate: ${p}`));
  if (!time) reasons.push('the timestamp carries no readable time');
  return {
    kind, time: time?.toISOString() ?? null, status: reasons.length === 0 ? 'valid' : 'invalid', signer: signer ? summarizeCertificate(signer) : null,
    chain: chain?.certificates.map(summarizeCertificate) ?? [], trust: chain ? trustOf(chain) : null, digestAlgorithm: digest, reasons,
  };
}

// A PKCS#9 countersignature: a SignerInfo whose message digest covers the signer's signature value.
function countersignature(node: asn1js.AsnType, signatureValue: Buffer, certificates: readonly ParsedCertificate[]): TimestampReport {
  const counter = new pkijs.SignerInfo({ schema: node });
  const check = checkSignerInfo(counter, signatureValue, certificates, null);
  return report('countersignature', timeOf(signedAttribute(counter, OID.signingTime)[0]), check.certificate, certificates, check.digestAlgorithm, check.problems);
}

// An RFC 3161 token: SignedData over TSTInfo, whose message imprint covers the signer's signature value.
function rfc3161(node: asn1js.AsnType, signatureValue: Buffer): TimestampReport {
  const token = parseSignedData(encodedBytes(node), 'the RFC 3161 timestamp token');
  if (token.contentType !== OID.tstInfo) throw new MalformedSignatureError(`the timestamp token holds ${token.contentType}, not TSTInfo`);
  const signerInfo = token.signedData.signerInfos[0];
  if (!signerInfo) throw new MalformedSignatureError('the timestamp token has no signer');
  const check = checkSignerInfo(signerInfo, token.digestedContent, token.certificates, OID.tstInfo);
  const info = new pkijs.TSTInfo({ schema: token.content });
  const imprintDigest = digestName(info.messageImprint.hashAlgorithm.algorithmId);
  const imprint = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (!imprintDigest) check.problems.push(`the timestamp's imprint algorithm ${info.messageImprint.hashAlgorithm.algorithmId} is not one Thunk knows`);
  else if (!createHash(imprintDigest).update(signatureValue).digest().equals(imprint)) check.problems.push('the timestamp was made for another signature: its message imprint does not match this signature\'s value');
  return report('rfc3161', info.genTime ?? null, check.certificate, token.certificates, check.digestAlgorithm, check.problems);
}

/**
 * The signature's timestamp, verified: an RFC 3161 token (Microsoft's unauthenticated attribute)
 * or else a PKCS#9 countersignature. Null when it has neither.
 */
export function readTimestamp(signerInfo: pkijs.SignerInfo, certificates: readonly ParsedCertificate[]): TimestampReport | null {
  const signatureValue = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
  const token = unsignedAttribute(signerInfo, OID.rfc3161Timestamp)[0];
  const counter = unsignedAttribute(signerInfo, OID.countersignature)[0];
  try {
    if (token) return rfc3161(token, signatureValue);
    if (counter) return countersignature(counter, signatureValue, certificates);
  } catch (error) {
    const kind = token ? 'rfc3161' : 'countersignature';
    return { kind, time: null, status: 'invalid', signer: null, chain: [], trust: null, digestAlgorithm: null, reasons: [`the timestamp is malformed: ${(error as Error).message}`] };
  }
  return null;
}
