import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParseContext } from './parse-context.ts';
import type { DataDirectory } from './pe-image.ts';
import { countPkcs7Certificates, readCertificates } from './certificates.ts';
import { parsePeFile } from './parse-pe.ts';
import { headerContextOf } from '../../test-support/header-context.ts';
import { PYTHON, findTool } from '../../test-support/tools.ts';


// pefile locates the table (directory 4, a file offset); struct reads the WIN_CERTIFICATE header there.
const ORACLE = `
import json, struct, sys, pefile
pe = pefile.PE(sys.argv[1], fast_load=True)
d = pe.OPTIONAL_HEADER.DATA_DIRECTORY[4]
data = open(sys.argv[1], "rb").read()
length, revision, kind = struct.unpack_from("<IHH", data, d.VirtualAddress)
print(json.dumps({"offset": d.VirtualAddress, "size": d.Size, "length": length, "revision": revision, "type": kind}))
`;
let work = '';
let signed = '';
let unsigned = '';

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}


// osslsigncode is not in every Debian archive this runs against; without it nothing can sign.
const signingTool = ['osslsigncode', 'openssl', 'x86_64-w64-mingw32-gcc'].find((tool) => !findTool([tool]));
const signingSkip = signingTool ? `${signingTool} is not installed, so no test DLL can be Authenticode-signed here` : false;

before(() => {
  if (signingSkip) return;
  work = mkdtempSync(join(tmpdir(), 'thunk-certs-'));
  writeFileSync(join(work, 'lib.c'), '__declspec(dllexport) int add(int a, int b) { return a + b; }\n');
  unsigned = join(work, 'lib.dll');
  run('x86_64-w64-mingw32-gcc', ['-shared', '-o', unsigned, 'lib.c']);
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Thunk Test CA', '-days', '2']);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=Thunk Test Signer']);
  run('openssl', ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.crt', '-days', '2']);
  signed = join(work, 'signed.dll');
  run('osslsigncode', ['sign', '-certs', 'leaf.crt', '-key', 'leaf.key', '-ac', 'ca.crt', '-in', unsigned, '-out', signed]);
  run('osslsigncode', ['extract-signature', '-in', signed, '-out', 'sig.der']);
});

function contextOf(bytes: Buffer): { ctx: ParseContext; dir: DataDirectory } {
  const { ctx, directories } = headerContextOf(bytes);
  return { ctx, dir: directories[4]! };
}

test('an osslsigncode-signed DLL: WIN_CERTIFICATE entry as pefile locates it, PKCS#7 blob as osslsigncode extracts it', { skip: signingSkip }, () => {
  const expected = JSON.parse(execFileSync(PYTHON, ['-c', ORACLE, signed], { encoding: 'utf8' }));
  const bytes = readFileSync(signed);
  const { ctx, dir } = contextOf(bytes);
  const info = readCertificates(ctx, dir)!;
  assert.deepEqual(info.entries, [{ offset: expected.offset, length: expected.length, revision: expected.revision, type: expected.type, typeName: 'PKCS_SIGNED_DATA' }]);
  assert.equal(expected.revision, 0x200);
  assert.equal(info.authenticode, true);
  const blob = readFileSync(join(work, 'sig.der'));
  assert.ok(bytes.subarray(expected.offset + 8, expected.offset + 8 + blob.length).equals(blob), 'entry data is the extracted signature');
  assert.deepEqual(ctx.issues.issues, []);
});

test('certificate count equals what openssl pkcs7 -print_certs lists (signer + added CA)', { skip: signingSkip }, () => {
  const listed = run('openssl', ['pkcs7', '-inform', 'DER', '-in', 'sig.der', '-print_certs']).split('\n').filter((line) => line.startsWith('subject=')).length;
  assert.equal(listed, 2);
  const { ctx, dir } = contextOf(readFileSync(signed));
  assert.equal(readCertificates(ctx, dir)!.certificateCount, listed);
  assert.equal(countPkcs7Certificates(readFileSync(join(work, 'sig.der'))), listed);
});

test('through the parser: the unsigned DLL has no certificates, the signed one is Authenticode', { skip: signingSkip }, () => {
  assert.equal(parsePeFile(unsigned).certificates, null);
  const image = parsePeFile(signed);
  assert.deepEqual([image.certificates?.authenticode, image.certificates?.certificateCount], [true, 2]);
});

test('malformed: table past the end, dwLength 0, entry longer than the table, garbage DER, an X509 entry, too many entries', { skip: signingSkip }, () => {
  const bytes = readFileSync(signed);
  const { dir } = contextOf(bytes);

  const outside = contextOf(bytes);
  assert.equal(readCertificates(outside.ctx, { ...dir, rva: bytes.length + 8 }), null);
  assert.equal(outside.ctx.issues.issues.length, 1);

  const zero = Buffer.from(bytes);
  zero.writeUInt32LE(0, dir.rva);
  const z = contextOf(zero);
  assert.deepEqual(readCertificates(z.ctx, z.dir)!.entries, []);
  assert.match(z.ctx.issues.issues[0]!.message, /smaller than its own header/);

  const long = Buffer.from(bytes);
  long.writeUInt32LE(0x7fffffff, dir.rva);
  const l = contextOf(long);
  const longInfo = readCertificates(l.ctx, { ...l.dir, size: dir.size + 0x1000 })!;
  assert.equal(longInfo.entries.length, 1);
  assert.ok(l.ctx.issues.issues.some((issue) => /runs past the end/.test(issue.message)));

  const garbage = Buffer.from(bytes);
  garbage.fill(0x30, dir.rva + 8, dir.rva + 64);
  const g = contextOf(garbage);
  const garbageInfo = readCertificates(g.ctx, g.dir)!;
  assert.equal(garbageInfo.authenticode, true);
  assert.equal(garbageInfo.certificateCount, null);
  assert.ok(g.ctx.issues.issues.some((issue) => /not DER-encoded SignedData/.test(issue.message)));

  const x509 = Buffer.from(bytes);
  x509.writeUInt16LE(1, dir.rva + 6);
  const x = contextOf(x509);
  const x509Info = readCertificates(x.ctx, x.dir)!;
  assert.deepEqual([x509Info.entries[0]!.typeName, x509Info.authenticode, x509Info.certificateCount], ['X509', false, null]);

  // 100 minimal 8-byte entries: capped at 64.
  const many = Buffer.alloc(bytes.length + 800);
  bytes.copy(many);
  for (let index = 0; index < 100; index++) many.writeUInt32LE(8, bytes.length + index * 8);
  const m = contextOf(many);
  const manyInfo = readCertificates(m.ctx, { ...dir, rva: bytes.length, size: 800 })!;
  assert.equal(manyInfo.entries.length, 64);
  assert.ok(m.ctx.issues.issues.some((issue) => /more than 64/.test(issue.message)));
});
