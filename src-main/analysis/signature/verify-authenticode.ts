import { FileReader } from '../pe/file-reader.ts';
import { LIMITS } from '../pe/limits.ts';
import type { CertificateEntry, PeImage } from '../pe/pe-image.ts';
import { MalformedSignatureError, encodedBytes } from './asn1.ts';
import { authenticodeDigests, authenticodeLayout, type AuthenticodeLayout } from './authenticode-digest.ts';
import { summarizeCertificate, usageProblems, validAt, type ParsedCertificate } from './certificate.ts';
import { buildChain, trustOf } from './chain.ts';
import { OID } from './oids.ts';
import { parseSignedData, type ParsedSignedData } from './signed-data.ts';
import { checkSignerInfo, readOpusInfo, unsignedAttribute } from './signer-info.ts';
import { readIndirectData } from './spc-indirect-data.ts';
import type { FileSignatureReport, SignatureReport, TimestampReport, ValidityCase } from './signature-types.ts';
import { readTimestamp } from './timestamp.ts';

const WIN_CERT_HEADER = 8;
const WIN_CERT_TYPE_PKCS_SIGNED_DATA = 2;
// Windows honours one nested level; more is bounded so a hostile file cannot recurse for long.
const MAX_SIGNATURES = 16;

/** Computes each image digest once per file, whichever signatures ask for it. */
class DigestCache {
  private readonly digests = new Map<string, Buffer>();
  constructor(private readonly reader: FileReader, private readonly layout: AuthenticodeLayout) {}
  get(algorithm: string): Buffer {
    let digest = this.digests.get(algorithm);
    if (!digest) {
      digest = authenticodeDigests(this.reader, this.layout, [algorithm]).get(algorithm)!;
      this.digests.set(algorithm, digest);
    }
    return digest;
  }
}

interface VerifyContext {
  digests: DigestCache;
  now: Date;
  signatures: SignatureReport[];
}

/** What makes one signature invalid, and what is only worth knowing. */
interface Judgement {
  failures: string[];
  notes: string[];
}

export const CATALOG_NOTE = 'The file carries no embedded signature. Windows may still consider it signed through a security catalog (.cat), as it does most of its own DLLs; catalogs can only be checked on Windows (signtool verify /a /pa, or sigcheck -i).';

function emptySignature(index: number, status: SignatureReport['status'], reasons: string[]): SignatureReport {
  return { index, nested: index > 0, status, digest: { algorithm: null, signed: null, computed: null, matches: null }, signer: null, chain: [], trust: null, programName: null, programUrl: null, timestamp: null, validity: null, reasons };
}

function validityCase(signer: ParsedCertificate, timestamp: TimestampReport | null, now: Date): { case: ValidityCase; time: Date; reason: string | null } {
  const until = new Date(signer.x509.validTo);
  const from = new Date(signer.x509.validFrom);
  const stamped = timestamp?.status === 'valid' && timestamp.time ? new Date(timestamp.time) : null;
  const lifetime = signer.x509.keyUsage?.includes(OID.lifetimeSigningPurpose) ?? false;
  if (validAt(signer, now)) return { case: 'valid-now', time: now, reason: null };
  if (now < from) return { case: 'not-yet-valid', time: now, reason: `the signer certificate is not valid before ${from.toISOString()}` };
  if (lifetime) return { case: 'lifetime-signing-expired', time: now, reason: `the signer certificate expired on ${until.toISOString()} and has the lifetime-signing usage, so a timestamp does not extend it` };
  if (!stamped) return { case: 'expired-no-timestamp', time: now, reason: `the signer certificate expired on ${until.toISOString()} and the signature has no valid timestamp to show it was made before` };
  if (!validAt(signer, stamped)) return { case: 'outside-validity-at-timestamp', time: stamped, reason: `the timestamp (${stamped.toISOString()}) lies outside the signer certificate's validity (${from.toISOString()} to ${until.toISOString()})` };
  return { case: 'expired-timestamped', time: stamped, reason: null };
}

function digestPart(parsed: ParsedSignedData, ctx: VerifyContext, report: SignatureReport, judgement: Judgement): void {
  const indirect = readIndirectData(parsed.content);
  report.digest.algorithm = indirect.digestAlgorithm ?? indirect.digestAlgorithmOid;
  report.digest.signed = indirect.digest.toString('hex');
  if (indirect.dataType !== OID.spcPeImageData) judgement.failures.push(`the signature is for ${indirect.dataType}, not a PE image`);
  if (!indirect.digestAlgorithm) {
    judgement.failures.push(`the image digest algorithm ${indirect.digestAlgorithmOid} is not one Thunk knows`);
    return;
  }
  const computed = ctx.digests.get(indirect.digestAlgorithm);
  report.digest.computed = computed.toString('hex');
  report.digest.matches = computed.equals(indirect.digest);
  if (!report.digest.matches) judgement.failures.unshift(`the file was modified after signing: its ${indirect.digestAlgorithm} image digest is ${report.digest.computed}, the signature was made over ${report.digest.signed}`);
  if (indirect.pageHashes) judgement.notes.push('the signature also carries page hashes, which Thunk does not check');
}

function certificatePart(parsed: ParsedSignedData, signer: ParsedCertificate, ctx: VerifyContext, report: SignatureReport, judgement: Judgement): void {
  const chain = buildChain(signer, parsed.certificates);
  report.signer = summarizeCertificate(signer);
  report.chain = chain.certificates.map(summarizeCertificate);
  report.trust = trustOf(chain);
  judgement.failures.push(...chain.problems, ...usageProblems(signer, OID.codeSigningPurpose, 'code signing').map((p) => `the signer certificate: ${p}`));
  const validity = validityCase(signer, report.timestamp, ctx.now);
  report.validity = validity.case;
  if (validity.reason) judgement.failures.push(validity.reason);
  for (const certificate of chain.certificates.slice(1)) {
    const name = certificate.x509.subject.replace(/\n/g, ', ');
    if (!validAt(certificate, validity.time)) judgement.failures.push(`the chain certificate ${name} was not valid at ${validity.time.toISOString()}`);
    // An intermediate without EKU allows every purpose; one with EKU must allow code signing.
    const problems = usageProblems(certificate, OID.codeSigningPurpose, 'code signing').filter((p) => p.includes('extended key usage'));
    judgement.failures.push(...problems.map((p) => `the chain certificate ${name}: ${p}`));
  }
}

function verifySignature(parsed: ParsedSignedData, ctx: VerifyContext, depth: number): void {
  const report = emptySignature(ctx.signatures.length, 'invalid', []);
  ctx.signatures.push(report);
  if (parsed.contentType !== OID.spcIndirectData) throw new MalformedSignatureError(`the signature holds ${parsed.contentType}, not Authenticode's SpcIndirectDataContent`);
  if (parsed.signedData.signerInfos.length !== 1) throw new MalformedSignatureError(`the signature has ${parsed.signedData.signerInfos.length} signers; Authenticode allows exactly one`);
  const signerInfo = parsed.signedData.signerInfos[0]!;
  const judgement: Judgement = { failures: [], notes: [] };
  try {
    judgeSignature(parsed, signerInfo, ctx, report, judgement);
  } finally {
    report.reasons.push(...judgement.failures, ...judgement.notes.map((note) => `note: ${note}`));
  }
  report.status = judgement.failures.length > 0 ? 'invalid' : 'valid';
  if (depth === 0) verifyNested(unsignedAttribute(signerInfo, OID.nestedSignature), ctx, depth + 1);
}

function judgeSignature(parsed: ParsedSignedData, signerInfo: ParsedSignedData['signedData']['signerInfos'][number], ctx: VerifyContext, report: SignatureReport, judgement: Judgement): void {
  digestPart(parsed, ctx, report, judgement);
  const check = checkSignerInfo(signerInfo, parsed.digestedContent, parsed.certificates, OID.spcIndirectData);
  judgement.failures.push(...check.problems);
  if (parsed.unreadableCertificates.length > 0) judgement.notes.push(`${parsed.unreadableCertificates.length} certificate(s) in the signature could not be parsed`);
  Object.assign(report, readOpusInfo(signerInfo));
  report.timestamp = readTimestamp(signerInfo, parsed.certificates);
  // WinVerifyTrust refuses a timestamp that does not verify (TRUST_E_TIME_STAMP), even on a current certificate.
  if (report.timestamp?.status === 'invalid') judgement.failures.push(...report.timestamp.reasons.map((r) => `timestamp: ${r}`));
  if (check.certificate) certificatePart(parsed, check.certificate, ctx, report, judgement);
}

function verifyNested(nodes: readonly unknown[], ctx: VerifyContext, depth: number): void {
  for (const node of nodes) {
    if (ctx.signatures.length >= MAX_SIGNATURES) return;
    verifyBlob(encodedBytes(node as Parameters<typeof encodedBytes>[0]), ctx, depth);
  }
}

function verifyBlob(der: Uint8Array, ctx: VerifyContext, depth: number): void {
  const before = ctx.signatures.length;
  try {
    verifySignature(parseSignedData(der, depth === 0 ? 'the signature' : 'the nested signature'), ctx, depth);
  } catch (error) {
    // Hostile DER can trip pkijs or Node's parsers anywhere: the file still gets a report.
    const reason = `${depth === 0 ? 'the signature' : 'a nested signature'} is malformed: ${(error as Error)?.message ?? String(error)}`;
    const existing = ctx.signatures[before];
    if (existing) {
      existing.status = 'malformed';
      existing.reasons.unshift(reason);
    } else ctx.signatures.push(emptySignature(before, 'malformed', [reason]));
  }
}

function tableProblems(image: PeImage, layout: AuthenticodeLayout, entries: readonly CertificateEntry[]): string[] {
  const problems = image.issues.filter((i) => i.structure === 'certificate table').map((i) => i.message);
  const table = layout.certificateTableOffset;
  const directory = image.optionalHeader?.dataDirectories.find((d) => d.index === 4);
  if (table !== null && table % 8 !== 0) problems.push(`the certificate table starts at 0x${table.toString(16)}, not on an 8-byte boundary`);
  if (table !== null && directory && table + directory.size < image.fileSize) problems.push(`${image.fileSize - table - directory.size} bytes follow the certificate table; the signature does not cover them`);
  if (entries.filter((e) => e.type === WIN_CERT_TYPE_PKCS_SIGNED_DATA).length > 1) problems.push('the table holds more than one signature entry; Windows reads only the first');
  return problems;
}

function blobOf(reader: FileReader, entry: CertificateEntry, tableEnd: number, problems: string[]): Buffer {
  const declared = entry.length - WIN_CERT_HEADER;
  const available = Math.min(declared, tableEnd - entry.offset - WIN_CERT_HEADER, LIMITS.certificateBlobBytes);
  if (declared > LIMITS.certificateBlobBytes) problems.push(`the signature entry declares ${declared} bytes, more than Thunk reads (${LIMITS.certificateBlobBytes}); only the start is examined`);
  // WIN_CERTIFICATE lengths are often padded past the DER end: parse exactly the DER value.
  const blob = reader.bytes(entry.offset + WIN_CERT_HEADER, Math.max(0, available));
  return blob.subarray(0, derLength(blob) ?? blob.length);
}

function derLength(blob: Buffer): number | null {
  if (blob.length < 2 || blob[0] !== 0x30) return null;
  const first = blob[1]!;
  if (first < 0x80) return Math.min(blob.length, 2 + first);
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || blob.length < 2 + octets) return null;
  return Math.min(blob.length, 2 + octets + blob.readUIntBE(2, octets));
}

/**
 * Verifies a file's Authenticode signatures offline: the image digest against each signature's,
 * the signer's signature, its certificate, chain and timestamp, and nested signatures. Every
 * length is bounded; a damaged table gives problems and whatever could be verified.
 */
export function verifyAuthenticode(reader: FileReader, image: PeImage, options: { now?: Date } = {}): FileSignatureReport {
  const layout = authenticodeLayout(image);
  const entries = image.certificates?.entries ?? [];
  if (!layout || layout.certificateTableOffset === null || entries.length === 0) {
    const problems = image.issues.filter((i) => i.structure === 'certificate table').map((i) => i.message);
    return { status: problems.length > 0 ? 'malformed' : 'unsigned', signatures: [], problems, catalogNote: CATALOG_NOTE };
  }
  const problems = tableProblems(image, layout, entries);
  const primary = entries.find((e) => e.type === WIN_CERT_TYPE_PKCS_SIGNED_DATA);
  if (!primary) return { status: 'unsigned', signatures: [], problems: [...problems, `the certificate table holds no PKCS#7 signature (only ${entries.map((e) => e.typeName).join(', ')})`], catalogNote: CATALOG_NOTE };
  const tableEnd = Math.min(image.fileSize, layout.certificateTableOffset + (image.optionalHeader?.dataDirectories.find((d) => d.index === 4)?.size ?? 0));
  const ctx: VerifyContext = { digests: new DigestCache(reader, layout), now: options.now ?? new Date(), signatures: [] };
  verifyBlob(blobOf(reader, primary, tableEnd, problems), ctx, 0);
  const status = ctx.signatures[0]?.status ?? 'malformed';
  return { status, signatures: ctx.signatures, problems, catalogNote: null };
}

/** verifyAuthenticode on a file by path (the parse that gave `image` has closed its reader). */
export function verifyAuthenticodeFile(path: string, image: PeImage, options: { now?: Date } = {}): FileSignatureReport {
  const reader = FileReader.open(path);
  try {
    return verifyAuthenticode(reader, image, options);
  } finally {
    reader.close();
  }
}

/** The DER of a file's primary signature (the first PKCS#7 entry Windows reads); null when it has none. */
export function primarySignatureBytes(path: string, image: PeImage): Buffer | null {
  const layout = authenticodeLayout(image);
  const entry = image.certificates?.entries.find((e) => e.type === WIN_CERT_TYPE_PKCS_SIGNED_DATA);
  if (!layout || layout.certificateTableOffset === null || !entry) return null;
  const reader = FileReader.open(path);
  try {
    return Buffer.from(blobOf(reader, entry, image.fileSize, []));
  } finally {
    reader.close();
  }
}
