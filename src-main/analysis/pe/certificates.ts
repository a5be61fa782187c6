import type { ParseContext } from './parse-context.ts';
import type { CertificateEntry, CertificateInfo, DataDirectory } from './pe-image.ts';
import { LIMITS } from './limits.ts';

const STRUCTURE = 'certificate table';
const HEADER_SIZE = 8;
const PKCS_SIGNED_DATA = 2;
const TYPE_NAMES: Record<number, string> = { 1: 'X509', 2: 'PKCS_SIGNED_DATA', 3: 'RESERVED_1', 4: 'TS_STACK_SIGNED' };
// 1.2.840.113549.1.7.2, PKCS#7 signedData
const SIGNED_DATA_OID = Buffer.from('2a864886f70d010702', 'hex');

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

// One DER tag-length-value inside [from, limit); null when it is not well-formed DER.
function readTlv(der: Buffer, from: number, limit: number): Tlv | null {
  if (from + 2 > limit) return null;
  const tag = der[from]!;
  const first = der[from + 1]!;
  if ((tag & 0x1f) === 0x1f) return null;
  let length = first;
  let start = from + 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4 || start + octets > limit) return null;
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + der[start + index]!;
    start += octets;
  }
  const end = start + length;
  return end <= limit ? { tag, start, end } : null;
}

function child(der: Buffer, from: number, limit: number, tag: number): Tlv | null {
  const tlv = readTlv(der, from, limit);
  return tlv && tlv.tag === tag ? tlv : null;
}

function countSetMembers(der: Buffer, set: Tlv): number {
  let count = 0;
  for (let at = set.start; at < set.end && count < LIMITS.certificatesPerBlob;) {
    const member = readTlv(der, at, set.end);
    if (!member) break;
    if (member.tag === 0x30) count++;
    at = member.end;
  }
  return count;
}

/**
 * X.509 certificates in a PKCS#7 SignedData blob: ContentInfo { signedData OID, [0] { SignedData {
 * version, digestAlgorithms, encapContentInfo, [0] IMPLICIT certificates?, ... } } }. Null when malformed.
 */
export function countPkcs7Certificates(der: Buffer): number | null {
  const contentInfo = child(der, 0, der.length, 0x30);
  const oid = contentInfo && child(der, contentInfo.start, contentInfo.end, 0x06);
  if (!contentInfo || !oid || !der.subarray(oid.start, oid.end).equals(SIGNED_DATA_OID)) return null;
  const explicit = child(der, oid.end, contentInfo.end, 0xa0);
  const signedData = explicit && child(der, explicit.start, explicit.end, 0x30);
  if (!signedData) return null;
  // Only a handful of fields precede the certificates; a bounded walk finds them.
  for (let at = signedData.start, index = 0; at < signedData.end && index < 8; index++) {
    const field = readTlv(der, at, signedData.end);
    if (!field) return null;
    if (field.tag === 0xa0) return countSetMembers(der, field);
    at = field.end;
  }
  return 0;
}

const align8 = (value: number): number => Math.ceil(value / 8) * 8;

function readEntries(ctx: ParseContext, start: number, end: number): CertificateEntry[] {
  const entries: CertificateEntry[] = [];
  for (let at = start; at + HEADER_SIZE <= end;) {
    if (entries.length >= LIMITS.certificates) {
      ctx.issues.add(STRUCTURE, at, `more than ${LIMITS.certificates} certificate entries; the rest are not listed`);
      break;
    }
    const length = ctx.reader.u32(at)!;
    const type = ctx.reader.u16(at + 6)!;
    if (length < HEADER_SIZE) {
      ctx.issues.add(STRUCTURE, at, `WIN_CERTIFICATE dwLength ${length} is smaller than its own header`);
      break;
    }
    if (at + length > end) ctx.issues.add(STRUCTURE, at, `WIN_CERTIFICATE of ${length} bytes runs past the end of the table`);
    entries.push({ offset: at, length, revision: ctx.reader.u16(at + 4)!, type, typeName: TYPE_NAMES[type] ?? `UNKNOWN_${type}` });
    at += align8(length);
  }
  return entries;
}

function certificateCount(ctx: ParseContext, entries: readonly CertificateEntry[], end: number): number | null {
  let total: number | null = null;
  for (const entry of entries.filter((candidate) => candidate.type === PKCS_SIGNED_DATA)) {
    const blobLength = Math.min(entry.length, end - entry.offset) - HEADER_SIZE;
    const count = countPkcs7Certificates(ctx.reader.bytes(entry.offset + HEADER_SIZE, Math.min(blobLength, LIMITS.certificateBlobBytes)));
    if (count === null) ctx.issues.add('Authenticode signature', entry.offset, 'the PKCS#7 blob is not DER-encoded SignedData');
    else total = (total ?? 0) + count;
  }
  return total;
}

/** Reads the certificate table (WIN_CERTIFICATE entries); its directory "RVA" is a file offset. */
export function readCertificates(ctx: ParseContext, dir: DataDirectory): CertificateInfo | null {
  const start = dir.rva;
  if (!ctx.reader.contains(start, HEADER_SIZE)) {
    ctx.issues.add(STRUCTURE, start, `certificate table at file offset 0x${start.toString(16)} lies outside the file`);
    return null;
  }
  const end = Math.min(start + dir.size, ctx.reader.size);
  if (start + dir.size > ctx.reader.size) ctx.issues.add(STRUCTURE, start, `table of ${dir.size} bytes runs past the end of the file`);
  const entries = readEntries(ctx, start, end);
  return {
    entries,
    authenticode: entries.some((entry) => entry.type === PKCS_SIGNED_DATA),
    certificateCount: certificateCount(ctx, entries, end),
  };
}
