import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import { parsePeFile } from '../analysis/pe/parse-pe.ts';
import { findTool } from './tools.ts';

const execFileAsync = promisify(execFile);

/**
 * A code-signing PKI of the tests' own, made with openssl in a temporary folder: a root CA, a
 * code-signing leaf valid now, one that expired in 2020, and a timestamping authority. Files are
 * signed with Debian's osslsigncode, which can timestamp offline with a built-in TSA key.
 */
export interface TestPki {
  dir: string;
  caCert: string;
  /** Code-signing leaf valid from yesterday for a year: its certificate, PEM chain (leaf + CA) and key. */
  current: { certificate: string; chain: string; key: string };
  /** Code-signing leaf valid only during 2020. */
  expired: { certificate: string; chain: string; key: string };
  /** Timestamping authority: its certificate, PEM chain (TSA + CA) and key. */
  tsa: { certificate: string; chain: string; key: string };
}

/** The tools the signing tests need, or why they are missing. */
export function signingToolsMissing(): string | null {
  const missing = ['openssl', 'osslsigncode'].filter((tool) => !findTool([tool]));
  return missing.length > 0 ? `${missing.join(' and ')} not installed (apt-get install ${missing.join(' ')}; see scripts/install-debian-packages.sh)` : null;
}

const CONFIG = (dir: string): string => `
[ ca ]
default_ca = test_ca
[ test_ca ]
database = ${dir}/index.txt
new_certs_dir = ${dir}/issued
serial = ${dir}/serial
default_md = sha256
policy = any_name
unique_subject = no
[ any_name ]
commonName = supplied
organizationName = optional
[ root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ code_signing ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ time_stamping ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

const asn1Time = (date: Date): string => `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(dir: string, name: string, subject: string, extensions: string, from: Date, to: Date, selfSign = false): void {
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  const signer = selfSign ? ['-selfsign', '-keyfile', `${name}.key`] : ['-cert', 'ca.pem', '-keyfile', 'ca.key'];
  openssl(dir, ['ca', '-batch', '-notext', '-config', 'ca.cnf', ...signer, '-in', `${name}.csr`, '-out', `${name}.pem`, '-extensions', extensions, '-startdate', asn1Time(from), '-enddate', asn1Time(to)]);
}

/** Creates the PKI in `dir` (about a second: four RSA keys). */
export function createTestPki(dir: string): TestPki {
  mkdirSync(join(dir, 'issued'), { recursive: true });
  writeFileSync(join(dir, 'ca.cnf'), CONFIG(dir));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const day = 24 * 3600 * 1000;
  issue(dir, 'ca', '/CN=Thunk Test Root CA', 'root', new Date('2019-01-01'), new Date('2045-01-01'), true);
  issue(dir, 'current', '/O=Thunk Tests/CN=Thunk Test Code Signing', 'code_signing', new Date(Date.now() - day), new Date(Date.now() + 365 * day));
  issue(dir, 'expired', '/O=Thunk Tests/CN=Thunk Test Expired Signer', 'code_signing', new Date('2020-01-01'), new Date('2020-12-31'));
  issue(dir, 'tsa', '/O=Thunk Tests/CN=Thunk Test Timestamping Authority', 'time_stamping', new Date('2019-06-01'), new Date('2044-01-01'));
  const chain = (name: string): string => {
    const path = join(dir, `${name}-chain.pem`);
    execFileSync('sh', ['-c', `cat ${name}.pem ca.pem > ${name}-chain.pem`], { cwd: dir });
    return path;
  };
  return {
    dir, caCert: join(dir, 'ca.pem'),
    current: { certificate: join(dir, 'current.pem'), chain: chain('current'), key: join(dir, 'current.key') },
    expired: { certificate: join(dir, 'expired.pem'), chain: chain('expired'), key: join(dir, 'expired.key') },
    tsa: { certificate: join(dir, 'tsa.pem'), chain: chain('tsa'), key: join(dir, 'tsa.key') },
  };
}

export interface SignOptions {
  signer: { chain: string; key: string };
  hash?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  /** Unix time of signing (osslsigncode -time). */
  time?: number;
  /** Timestamp with the test TSA at this unix time. */
  timestampAt?: number;
  tsa?: { chain: string; key: string };
  /** Add as a nested signature instead of replacing the first. */
  nest?: boolean;
  programName?: string;
  programUrl?: string;
}

/** Signs `input` into `output` with osslsigncode. */
export function signFile(input: string, output: string, options: SignOptions): void {
  const args = ['sign', '-certs', options.signer.chain, '-key', options.signer.key, '-h', options.hash ?? 'sha256'];
  if (options.time !== undefined) args.push('-time', String(options.time));
  if (options.timestampAt !== undefined && options.tsa) args.push('-TSA-certs', options.tsa.chain, '-TSA-key', options.tsa.key, '-TSA-time', String(options.timestampAt));
  if (options.nest) args.push('-nest');
  if (options.programName) args.push('-n', options.programName);
  if (options.programUrl) args.push('-i', options.programUrl);
  execFileSync('osslsigncode', [...args, '-in', input, '-out', output], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `osslsigncode verify` output (it exits non-zero for chains it cannot complete, which is fine here). */
export function osslsigncodeVerify(file: string, extra: string[] = []): string {
  try {
    return execFileSync('osslsigncode', ['verify', ...extra, '-in', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
}

/** The "Current" (signed) and "Calculated" digests osslsigncode prints, per signature, upper-case hex. */
export function osslsigncodeDigests(output: string): { current: string; calculated: string }[] {
  const current = [...output.matchAll(/Current message digest\s*:\s*([0-9A-F]+)/g)].map((m) => m[1]!);
  const calculated = [...output.matchAll(/Calculated message digest\s*:\s*([0-9A-F]+)/g)].map((m) => m[1]!);
  return current.map((value, index) => ({ current: value, calculated: calculated[index] ?? '' }));
}

/** A legacy Authenticode timestamping server (osslsigncode -t) on 127.0.0.1, answering with `openssl cms`. */
export interface LegacyTsa {
  url: string;
  close(): Promise<void>;
}

// The request is base64 DER: SEQUENCE { 1.3.6.1.4.1.311.3.2.1, SEQUENCE { data OID, [0] { OCTET STRING signature } } };
// the answer is base64 PKCS#7 SignedData over those octets, whose SignerInfo becomes a PKCS#9 countersignature.
function signatureInRequest(der: Buffer): Buffer {
  const parsed = asn1js.fromBER(der);
  let found: Buffer | null = null;
  const walk = (node: asn1js.AsnType): void => {
    if (node instanceof asn1js.OctetString && !node.idBlock.isConstructed) found = Buffer.from(node.valueBlock.valueHexView);
    const children = (node as asn1js.Constructed).valueBlock?.value;
    if (Array.isArray(children)) children.forEach(walk);
  };
  walk(parsed.result);
  if (!found) throw new Error('no signature in the timestamp request');
  return found;
}

/** Starts the legacy TSA, signing with the test PKI's timestamping authority (or another of its certificates). */
export async function startLegacyTsa(pki: TestPki, dir: string, authority: { certificate: string; key: string } = pki.tsa): Promise<LegacyTsa> {
  let count = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const input = join(dir, `legacy-request-${++count}.bin`);
        writeFileSync(input, signatureInRequest(Buffer.from(Buffer.concat(chunks).toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')));
        const reply = execFileSync('openssl', ['cms', '-sign', '-binary', '-nodetach', '-nosmimecap', '-md', 'sha256', '-in', input, '-signer', authority.certificate, '-inkey', authority.key, '-certfile', pki.caCert, '-outform', 'DER']);
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        response.end(reply.toString('base64'));
      } catch (error) {
        process.stderr.write(`legacy TSA: ${String(error)}\n`);
        response.writeHead(500);
        response.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** osslsigncode sign with a legacy (-t) timestamp from `url`; asynchronous so the in-process TSA can answer. */
export async function signWithLegacyTimestamp(input: string, output: string, signer: { chain: string; key: string }, url: string): Promise<void> {
  await execFileAsync('osslsigncode', ['sign', '-certs', signer.chain, '-key', signer.key, '-h', 'sha256', '-t', url, '-in', input, '-out', output]);
}

/** A signed copy, an expired-signer copy (no timestamp) and a copy modified after signing, of one fixture. */
export interface SignedSamples {
  pki: TestPki;
  signed: string;
  expired: string;
  modified: string;
}

/** Makes SignedSamples of `fixture` in `dir` (the signed one timestamped when `timestamp` is set). */
export function createSignedSamples(dir: string, fixture: string, options: { timestamp?: boolean } = {}): SignedSamples {
  const pki = createTestPki(join(dir, 'pki'));
  const samples = { pki, signed: join(dir, 'signed.dll'), expired: join(dir, 'expired.dll'), modified: join(dir, 'modified.dll') };
  signFile(fixture, samples.signed, { signer: pki.current, ...(options.timestamp ? { tsa: pki.tsa, timestampAt: Math.floor(Date.now() / 1000) } : {}) });
  signFile(fixture, samples.expired, { signer: pki.expired, time: Math.floor(Date.parse('2020-05-05') / 1000) });
  const bytes = readFileSync(samples.signed);
  const text = parsePeFile(samples.signed, { entropy: false }).sections.find((s) => s.name === '.text')!.pointerToRawData;
  bytes[text + 8] ^= 0x55;
  writeFileSync(samples.modified, bytes);
  return samples;
}
