import { createHash, verify as verifySignature } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { childrenOf, integerHex, isContextTag, oidOf } from './asn1.ts';
import type { ParsedCertificate } from './certificate.ts';
import { OID, digestName, signatureAlgorithm } from './oids.ts';

/** What checking one SignerInfo found: its certificate, digest algorithm, and what is wrong. */
export interface SignerCheck {
  certificate: ParsedCertificate | null;
  digestAlgorithm: string | null;
  /** Empty when the message digest and the signature verify. */
  problems: string[];
}

const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

/** The values of a signed (authenticated) attribute; empty when absent. */
export function signedAttribute(signerInfo: pkijs.SignerInfo, oid: string): asn1js.AsnType[] {
  return signerInfo.signedAttrs?.attributes.filter((a) => a.type === oid).flatMap((a) => a.values as asn1js.AsnType[]) ?? [];
}

/** The values of an unsigned (unauthenticated) attribute; empty when absent. */
export function unsignedAttribute(signerInfo: pkijs.SignerInfo, oid: string): asn1js.AsnType[] {
  return signerInfo.unsignedAttrs?.attributes.filter((a) => a.type === oid).flatMap((a) => a.values as asn1js.AsnType[]) ?? [];
}

function subjectKeyIdentifier(certificate: ParsedCertificate): string | null {
  const value = certificate.fields.extensions?.find((e) => e.extnID === SUBJECT_KEY_IDENTIFIER)?.parsedValue;
  return value instanceof asn1js.OctetString ? Buffer.from(value.valueBlock.valueHexView).toString('hex') : null;
}

// SignerIdentifier's subjectKeyIdentifier [0]: implicit (primitive) or, from some encoders, explicit.
function subjectKeyIdentifierOf(sid: unknown): string | null {
  if (sid instanceof asn1js.Primitive) return Buffer.from(sid.valueBlock.valueHexView).toString('hex');
  const inner = childrenOf(sid as asn1js.AsnType)[0];
  return inner instanceof asn1js.OctetString ? Buffer.from(inner.valueBlock.valueHexView).toString('hex') : null;
}

/** The certificate the SignerInfo names (issuer and serial, or subject key identifier). */
export function findSignerCertificate(signerInfo: pkijs.SignerInfo, certificates: readonly ParsedCertificate[]): ParsedCertificate | null {
  const sid = signerInfo.sid as unknown;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const serial = integerHex(sid.serialNumber);
    return certificates.find((c) => c.x509.serialNumber.replace(/^(00)+(?=.)/, '').toUpperCase() === serial && c.fields.issuer.isEqual(sid.issuer)) ?? null;
  }
  const keyId = subjectKeyIdentifierOf(sid);
  return keyId ? certificates.find((c) => subjectKeyIdentifier(c) === keyId) ?? null : null;
}

// The signature covers the DER of the signed attributes as a SET OF, not as the [0] IMPLICIT
// field they are stored in (RFC 5652 5.4).
function signedAttributesDer(signerInfo: pkijs.SignerInfo): Buffer | null {
  const encoded = signerInfo.signedAttrs?.encodedValue;
  if (!encoded || encoded.byteLength === 0) return null;
  const bytes = Buffer.from(new Uint8Array(encoded));
  bytes[0] = 0x31;
  return bytes;
}

function messageDigestProblems(signerInfo: pkijs.SignerInfo, digest: string, content: Buffer, expectedContentType: string | null): string[] {
  const problems: string[] = [];
  const digests = signedAttribute(signerInfo, OID.messageDigest);
  const stored = digests[0] instanceof asn1js.OctetString ? Buffer.from(digests[0].valueBlock.valueHexView) : null;
  const computed = createHash(digest).update(content).digest();
  if (digests.length !== 1 || !stored) problems.push('the signer has no single message-digest attribute');
  else if (!stored.equals(computed)) problems.push(`the message-digest attribute (${stored.toString('hex')}) does not match the ${digest} of the signed content (${computed.toString('hex')})`);
  const contentTypes = signedAttribute(signerInfo, OID.contentType);
  if (expectedContentType && contentTypes.length > 0 && contentTypes[0] instanceof asn1js.ObjectIdentifier && oidOf(contentTypes[0], 'content type') !== expectedContentType) {
    problems.push(`the content-type attribute names ${oidOf(contentTypes[0], 'content type')}, not ${expectedContentType}`);
  }
  return problems;
}

function signatureProblems(signerInfo: pkijs.SignerInfo, certificate: ParsedCertificate, digest: string): string[] {
  const algorithm = signatureAlgorithm(signerInfo.signatureAlgorithm.algorithmId);
  if (!algorithm) return [`the signature algorithm ${signerInfo.signatureAlgorithm.algorithmId} is not one Thunk can verify`];
  const data = signedAttributesDer(signerInfo);
  if (!data) return ['the signer has no authenticated attributes, which Authenticode requires'];
  const signature = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
  try {
    if (verifySignature(algorithm.digest ?? digest, data, certificate.x509.publicKey, signature)) return [];
    return ['the signer\'s signature over the authenticated attributes does not verify with the signer certificate\'s key'];
  } catch (error) {
    return [`the signer's signature could not be checked (${(error as Error).message})`];
  }
}

/**
 * Checks one SignerInfo over `content` (the octets its message digest covers): finds its
 * certificate, compares the message-digest attribute, and verifies the signature over the
 * authenticated attributes with the certificate's key. `content` null: no message digest to check
 * (the caller checks it otherwise).
 */
export function checkSignerInfo(signerInfo: pkijs.SignerInfo, content: Buffer, certificates: readonly ParsedCertificate[], expectedContentType: string | null): SignerCheck {
  const digest = digestName(signerInfo.digestAlgorithm.algorithmId);
  const certificate = findSignerCertificate(signerInfo, certificates);
  if (!digest) return { certificate, digestAlgorithm: null, problems: [`the signer's digest algorithm ${signerInfo.digestAlgorithm.algorithmId} is not one Thunk knows`] };
  const problems = messageDigestProblems(signerInfo, digest, content, expectedContentType);
  if (!certificate) problems.push('the signer\'s certificate is not in the signature');
  else problems.push(...signatureProblems(signerInfo, certificate, digest));
  return { certificate, digestAlgorithm: digest, problems };
}

function spcString(node: asn1js.AsnType | undefined): string | null {
  // SpcString ::= CHOICE { unicode [0] IMPLICIT BMPString, ascii [1] IMPLICIT IA5String }
  if (!node || node.idBlock.tagClass !== 3) return null;
  const bytes = Buffer.from((node as asn1js.Primitive).valueBlock.valueHexView ?? []);
  if (node.idBlock.tagNumber === 0) return bytes.length % 2 === 0 ? Buffer.from(bytes).swap16().toString('utf16le') : null;
  return node.idBlock.tagNumber === 1 ? bytes.toString('latin1') : null;
}

/** The program name and URL of the SpcSpOpusInfo attribute (what Windows' UAC prompt shows). */
export function readOpusInfo(signerInfo: pkijs.SignerInfo): { programName: string | null; programUrl: string | null } {
  const info = signedAttribute(signerInfo, OID.spcSpOpusInfo)[0];
  const fields = childrenOf(info);
  const nameField = fields.find((f) => isContextTag(f, 0));
  const urlField = fields.find((f) => isContextTag(f, 1));
  const link = childrenOf(urlField)[0] ?? (urlField && !urlField.idBlock.isConstructed ? urlField : undefined);
  // SpcLink ::= CHOICE { url [0] IMPLICIT IA5String, moniker [1], file [2] EXPLICIT SpcString }
  const url = link && isContextTag(link, 0) ? Buffer.from((link as asn1js.Primitive).valueBlock.valueHexView).toString('latin1') : null;
  return { programName: spcString(childrenOf(nameField)[0]), programUrl: url };
}
