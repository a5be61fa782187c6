import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { LIMITS } from '../pe/limits.ts';
import { MalformedSignatureError, childrenOf, encodedBytes, isContextTag, octetStringBytes, oidOf, parseDer, valueBytes } from './asn1.ts';
import { parseCertificate, type ParsedCertificate } from './certificate.ts';
import { OID } from './oids.ts';

/** A PKCS#7 SignedData with what verifying it needs. */
export interface ParsedSignedData {
  signedData: pkijs.SignedData;
  /** The encapsulated content's type (SpcIndirectDataContent, TSTInfo, ...). */
  contentType: string;
  /** The encapsulated content node (for SpcIndirectDataContent: the SEQUENCE). */
  content: asn1js.AsnType;
  /** The octets the signer's message-digest attribute covers. */
  digestedContent: Buffer;
  certificates: ParsedCertificate[];
  /** Certificates that could not be parsed, by position. */
  unreadableCertificates: number[];
}

// Authenticode (PKCS#7 v1.5) carries SpcIndirectDataContent as [0] EXPLICIT SEQUENCE and digests
// its value octets; CMS content (TSTInfo) is an OCTET STRING whose octets are digested.
function encapsulatedContent(signedData: pkijs.SignedData): { content: asn1js.AsnType; digested: Buffer } {
  const content = signedData.encapContentInfo.eContent as asn1js.AsnType | undefined;
  if (!content) throw new MalformedSignatureError('the SignedData has no encapsulated content');
  if (content instanceof asn1js.OctetString) {
    const octets = octetStringBytes(content, 'the encapsulated content');
    return { content: parseDer(octets, 'the encapsulated content'), digested: octets };
  }
  return { content, digested: valueBytes(content, 'the encapsulated content') };
}

// pkijs keeps no raw bytes for certificates: take them from the SignedData's [0] set.
function certificateBytes(signedDataNode: asn1js.AsnType): Buffer[] {
  const set = childrenOf(signedDataNode).find((child) => isContextTag(child, 0) && child.idBlock.isConstructed);
  return childrenOf(set).slice(0, LIMITS.certificatesPerBlob).filter((c) => c instanceof asn1js.Sequence).map(encodedBytes);
}

/** Parses a DER ContentInfo holding SignedData; throws MalformedSignatureError. */
export function parseSignedData(der: Uint8Array, what: string): ParsedSignedData {
  const root = parseDer(der, what);
  const [typeNode, explicit] = childrenOf(root);
  if (oidOf(typeNode, `${what}'s content type`) !== OID.signedData) throw new MalformedSignatureError(`${what} is not PKCS#7 SignedData`);
  const signedDataNode = childrenOf(explicit)[0];
  if (!isContextTag(explicit, 0) || !signedDataNode) throw new MalformedSignatureError(`${what} has no SignedData content`);
  let signedData: pkijs.SignedData;
  try {
    signedData = new pkijs.SignedData({ schema: signedDataNode });
  } catch (error) {
    throw new MalformedSignatureError(`${what}'s SignedData does not have the structure CMS defines (${(error as Error).message})`);
  }
  const { content, digested } = encapsulatedContent(signedData);
  const certificates: ParsedCertificate[] = [];
  const unreadableCertificates: number[] = [];
  certificateBytes(signedDataNode).forEach((bytes, index) => {
    const parsed = parseCertificate(bytes);
    if (parsed) certificates.push(parsed);
    else unreadableCertificates.push(index);
  });
  return { signedData, contentType: signedData.encapContentInfo.eContentType, content, digestedContent: digested, certificates, unreadableCertificates };
}
