import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReader } from '../pe/file-reader.ts';
import { parsePe, parsePeFile } from '../pe/parse-pe.ts';
import { createRng } from '../pe/fuzz/mutate.ts';
import { fixturePath } from '../../test-support/fixtures.ts';
import { createTestPki, osslsigncodeDigests, osslsigncodeVerify, signFile, signingToolsMissing, signWithLegacyTimestamp, startLegacyTsa, type TestPki } from '../../test-support/test-signing.ts';
import { verifyAuthenticode } from './verify-authenticode.ts';
import type { FileSignatureReport } from './signature-types.ts';

const missing = signingToolsMissing();
const skip = missing ? `signing tools missing: ${missing}` : false;

function verify(file: string, now?: Date): FileSignatureReport {
  const image = parsePeFile(file, { entropy: false });
  const reader = FileReader.open(file);
  try {
    return verifyAuthenticode(reader, image, { now });
  } finally {
    reader.close();
  }
}

/** Offset of the certificate table and of the .text section's raw data, from the parser. */
function layoutOf(file: string): { table: number; tableSize: number; text: number } {
  const image = parsePeFile(file, { entropy: false });
  const directory = image.optionalHeader!.dataDirectories[4]!;
  return { table: directory.rva, tableSize: directory.size, text: image.sections.find((s) => s.name === '.text')!.pointerToRawData };
}

function patched(source: string, target: string, patch: (bytes: Buffer) => void): string {
  const bytes = readFileSync(source);
  patch(bytes);
  writeFileSync(target, bytes);
  return target;
}

const unix = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

describe('Authenticode verification of files signed by the tests\' own PKI (osslsigncode)', { skip }, () => {
  let dir = '';
  let pki: TestPki;
  const files: Record<string, string> = {};
  const now = Math.floor(Date.now() / 1000);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'thunk-authenticode-'));
    pki = createTestPki(join(dir, 'pki'));
    const sign = (name: string, input: string, options: Omit<Parameters<typeof signFile>[2], 'tsa'>) => {
      files[name] = join(dir, `${name}.dll`);
      signFile(input, files[name]!, { tsa: pki.tsa, ...options });
    };
    sign('valid64', fixturePath('calling-conventions', 'x64'), { signer: pki.current, timestampAt: now, programName: 'Thunk fixture', programUrl: 'https://example.test/thunk' });
    sign('valid32', fixturePath('calling-conventions', 'x86'), { signer: pki.current, timestampAt: now });
    sign('expiredStamped', fixturePath('data-exports', 'x86'), { signer: pki.expired, time: unix('2020-06-01'), timestampAt: unix('2020-06-01') });
    sign('expiredBare', fixturePath('data-exports', 'x86'), { signer: pki.expired, time: unix('2020-06-01') });
    sign('stampedAfterExpiry', fixturePath('data-exports', 'x64'), { signer: pki.expired, time: unix('2020-06-01'), timestampAt: unix('2021-03-01') });
    sign('sha1', fixturePath('cpp-exports', 'x64'), { signer: pki.current, hash: 'sha1' });
    sign('dual', files.sha1!, { signer: pki.current, hash: 'sha256', nest: true, timestampAt: now });
    const legacyTsa = await startLegacyTsa(pki, dir);
    try {
      files.countersigned = join(dir, 'countersigned.dll');
      await signWithLegacyTimestamp(fixturePath('forward-target', 'x86'), files.countersigned, pki.current, legacyTsa.url);
    } finally {
      await legacyTsa.close();
    }
    // osslsigncode's own TSA refuses a certificate without the time-stamping EKU; this server does not.
    const codeSigningTsa = await startLegacyTsa(pki, dir, pki.current);
    try {
      files.stampedByNonTsa = join(dir, 'stamped-by-non-tsa.dll');
      await signWithLegacyTimestamp(fixturePath('cpp-exports', 'x86'), files.stampedByNonTsa, pki.current, codeSigningTsa.url);
    } finally {
      await codeSigningTsa.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a valid signature: digest, signer, chain to the test root, program name and URL, RFC 3161 timestamp', () => {
    for (const name of ['valid64', 'valid32']) {
      const report = verify(files[name]!);
      assert.equal(report.status, 'valid', `${name}: ${JSON.stringify(report.signatures[0]?.reasons)}`);
      const [signature] = report.signatures;
      assert.equal(report.signatures.length, 1);
      assert.equal(signature!.digest.algorithm, 'sha256');
      assert.equal(signature!.digest.matches, true);
      const oracle = osslsigncodeDigests(osslsigncodeVerify(files[name]!))[0]!;
      assert.equal(signature!.digest.signed!.toUpperCase(), oracle.current);
      assert.equal(signature!.digest.computed!.toUpperCase(), oracle.calculated);
      assert.match(signature!.signer!.subject, /CN=Thunk Test Code Signing/);
      assert.deepEqual(signature!.chain.map((c) => /CN=([^,]+)/.exec(c.subject)?.[1]), ['Thunk Test Code Signing', 'Thunk Test Root CA']);
      assert.equal(signature!.trust!.chainEnd.selfSigned, true);
      assert.equal(signature!.trust!.windowsRoot, null, 'the tests\' root is not a Windows root');
      assert.equal(signature!.timestamp!.kind, 'rfc3161');
      assert.equal(signature!.timestamp!.status, 'valid');
      assert.equal(signature!.timestamp!.time, new Date(now * 1000).toISOString());
      assert.match(signature!.timestamp!.signer!.subject, /Thunk Test Timestamping Authority/);
      assert.match(signature!.timestamp!.trust!.chainEnd.subject, /CN=Thunk Test Root CA/, 'the authority\'s chain is built from the token\'s certificates');
      assert.equal(signature!.validity, 'valid-now');
    }
    const named = verify(files.valid64!).signatures[0]!;
    assert.equal(named.programName, 'Thunk fixture');
    assert.equal(named.programUrl, 'https://example.test/thunk');
  });

  test('a file modified after signing is invalid, with both digests', () => {
    const { text } = layoutOf(files.valid64!);
    const modified = patched(files.valid64!, join(dir, 'modified.dll'), (b) => { b[text + 16] ^= 0xff; });
    const report = verify(modified);
    const signature = report.signatures[0]!;
    assert.equal(report.status, 'invalid');
    assert.equal(signature.digest.matches, false);
    assert.notEqual(signature.digest.computed, signature.digest.signed);
    assert.match(signature.reasons[0]!, /modified after signing/);
    assert.ok(signature.reasons[0]!.includes(signature.digest.computed!) && signature.reasons[0]!.includes(signature.digest.signed!));
    assert.equal(signature.digest.computed!.toUpperCase(), osslsigncodeDigests(osslsigncodeVerify(modified))[0]!.calculated, 'osslsigncode computes the same digest of the modified file');
  });

  test('the PE checksum field is outside the digest: changing it keeps the signature valid', () => {
    const image = parsePeFile(files.valid32!, { entropy: false });
    const checksumOffset = image.dos.peHeaderOffset + 24 + 64;
    const changed = patched(files.valid32!, join(dir, 'checksum.dll'), (b) => { b.writeUInt32LE(0x12345678, checksumOffset); });
    assert.equal(verify(changed).status, 'valid');
  });

  test('a changed authenticated attribute breaks the signer\'s signature', () => {
    const forged = patched(files.valid64!, join(dir, 'forged.dll'), (b) => {
      const { table } = layoutOf(files.valid64!);
      const at = [Buffer.from('Thunk fixture', 'utf16le').swap16(), Buffer.from('Thunk fixture')].map((name) => b.indexOf(name, table)).find((i) => i >= 0);
      assert.ok(at !== undefined, 'the program name is in the signature');
      b[at + 1] ^= 0x20;
    });
    const report = verify(forged);
    assert.equal(report.status, 'invalid');
    assert.ok(report.signatures[0]!.reasons.some((r) => /signature over the authenticated attributes does not verify/.test(r)), JSON.stringify(report.signatures[0]!.reasons));
  });

  test('an expired signer certificate with a timestamp inside its validity is valid', () => {
    const report = verify(files.expiredStamped!);
    assert.equal(report.status, 'valid', JSON.stringify(report.signatures[0]?.reasons));
    assert.equal(report.signatures[0]!.validity, 'expired-timestamped');
    assert.equal(report.signatures[0]!.timestamp!.time, '2020-06-01T00:00:00.000Z');
  });

  test('an expired signer certificate without a timestamp is invalid', () => {
    const report = verify(files.expiredBare!);
    assert.equal(report.status, 'invalid');
    assert.equal(report.signatures[0]!.validity, 'expired-no-timestamp');
    assert.equal(report.signatures[0]!.timestamp, null);
    assert.match(report.signatures[0]!.reasons[0]!, /expired on 2020-12-31.*no valid timestamp/);
    assert.equal(verify(files.expiredBare!, new Date('2020-07-01')).status, 'valid', 'judged in 2020 the same signature is valid');
  });

  test('a timestamp after the certificate expired does not rescue it', () => {
    const report = verify(files.stampedAfterExpiry!);
    assert.equal(report.status, 'invalid');
    assert.equal(report.signatures[0]!.validity, 'outside-validity-at-timestamp');
  });

  test('a timestamp from a certificate without the time-stamping EKU fails, and so does the signature', () => {
    const report = verify(files.stampedByNonTsa!);
    const timestamp = report.signatures[0]!.timestamp!;
    assert.equal(timestamp.status, 'invalid');
    assert.ok(timestamp.reasons.some((r) => /lacks time stamping/.test(r)), JSON.stringify(timestamp.reasons));
    assert.equal(report.status, 'invalid');
  });

  test('a dual signature: SHA-1 primary and a nested SHA-256 signature, both verified', () => {
    const report = verify(files.dual!);
    assert.equal(report.status, 'valid');
    assert.deepEqual(report.signatures.map((s) => [s.index, s.nested, s.digest.algorithm, s.status]), [[0, false, 'sha1', 'valid'], [1, true, 'sha256', 'valid']]);
    const oracle = osslsigncodeDigests(osslsigncodeVerify(files.dual!));
    assert.deepEqual(report.signatures.map((s) => s.digest.signed!.toUpperCase()), oracle.map((d) => d.current));
    assert.equal(report.signatures[1]!.timestamp?.status, 'valid');
    assert.equal(report.signatures[0]!.timestamp, null);
  });

  test('a PKCS#9 countersignature (legacy Authenticode timestamp) is verified, with the time osslsigncode reads', () => {
    const report = verify(files.countersigned!);
    const timestamp = report.signatures[0]!.timestamp!;
    assert.equal(report.status, 'valid', JSON.stringify(report.signatures[0]!.reasons));
    assert.equal(timestamp.kind, 'countersignature');
    assert.equal(timestamp.status, 'valid', JSON.stringify(timestamp.reasons));
    assert.match(timestamp.signer!.subject, /Thunk Test Timestamping Authority/);
    const printed = /Timestamp time: (.+ GMT)/.exec(osslsigncodeVerify(files.countersigned!))![1]!;
    assert.equal(timestamp.time, new Date(printed).toISOString());
  });

  test('a truncated certificate table gives problems and a malformed status, not an exception', () => {
    const { table } = layoutOf(files.valid64!);
    const truncated = join(dir, 'truncated.dll');
    copyFileSync(files.valid64!, truncated);
    truncateSync(truncated, table + 300);
    const report = verify(truncated);
    assert.equal(report.status, 'malformed');
    assert.ok(report.problems.some((p) => /runs past the end/.test(p)), JSON.stringify(report.problems));
    assert.match(report.signatures[0]!.reasons[0]!, /malformed/);
  });

  test('garbage in the table, an oversized entry, a misaligned table and trailing data are each reported', () => {
    const { table, tableSize } = layoutOf(files.valid32!);
    const garbage = patched(files.valid32!, join(dir, 'garbage.dll'), (b) => { for (let i = table + 8; i < table + tableSize; i++) b[i] = (i * 131) & 0xff; });
    assert.equal(verify(garbage).status, 'malformed');
    const oversized = patched(files.valid32!, join(dir, 'oversized.dll'), (b) => { b.writeUInt32LE(0x7fffffff, table); });
    const big = verify(oversized);
    assert.ok(big.problems.length > 0, 'a dwLength past the table is a problem');
    const misaligned = join(dir, 'misaligned.dll');
    const signedBytes = readFileSync(files.valid32!);
    const shifted = Buffer.concat([signedBytes.subarray(0, table), Buffer.alloc(4), signedBytes.subarray(table)]);
    const directoryOffset = parsePeFile(files.valid32!, { entropy: false }).dos.peHeaderOffset + 24 + 96 + 4 * 8;
    shifted.writeUInt32LE(table + 4, directoryOffset);
    writeFileSync(misaligned, shifted);
    const moved = verify(misaligned);
    assert.ok(moved.problems.some((p) => /not on an 8-byte boundary/.test(p)), JSON.stringify(moved.problems));
    assert.equal(moved.signatures[0]!.digest.matches, false, 'the 4 inserted bytes are hashed');
    const trailing = join(dir, 'trailing.dll');
    writeFileSync(trailing, Buffer.concat([readFileSync(files.valid32!), Buffer.from('appended after signing')]));
    const appended = verify(trailing);
    assert.equal(appended.status, 'valid');
    assert.ok(appended.problems.some((p) => /22 bytes follow the certificate table/.test(p)), JSON.stringify(appended.problems));
  });

  test('400 seeded mutations of a dual-signed table (bytes flipped, lengths changed, cut short) never throw', () => {
    const original = readFileSync(files.dual!);
    const { table, tableSize } = layoutOf(files.dual!);
    const rng = createRng(0x7a11);
    const statuses = new Set<string>();
    for (let round = 0; round < 400; round++) {
      let bytes = Buffer.from(original);
      for (let flips = 1 + rng.below(8); flips > 0; flips--) bytes[table + rng.below(tableSize)] = rng.below(256);
      if (rng.chance(0.2)) bytes.writeUInt32LE(rng.next(), table);
      if (rng.chance(0.2)) bytes = bytes.subarray(0, table + rng.below(tableSize));
      const report = verifyAuthenticode(FileReader.fromBuffer(bytes), parsePe(FileReader.fromBuffer(bytes), `mutant-${round}.dll`, { entropy: false }));
      statuses.add(report.status);
      assert.ok(['valid', 'invalid', 'malformed', 'unsigned'].includes(report.status));
    }
    assert.ok(statuses.has('malformed') && statuses.has('invalid'), `statuses seen: ${[...statuses].join(', ')}`);
  });

  test('an unsigned file says so, and that it may be catalog-signed', () => {
    const report = verify(fixturePath('calling-conventions', 'x64'));
    assert.equal(report.status, 'unsigned');
    assert.deepEqual(report.signatures, []);
    assert.match(report.catalogNote!, /catalog/);
  });
});

const NODE_EXES = ['win32-x64', 'win32-ia32'].map((platform) => join(import.meta.dirname, '..', '..', '..', 'build', 'agents', platform, 'node.exe'));
const nodeSkip = missing ? `osslsigncode missing: ${missing}` : NODE_EXES.every(existsSync) ? false : 'node.exe not staged: run `npm run stage:agents`';

describe('Authenticode verification of node.exe (signed by the OpenJS Foundation), against osslsigncode', { skip: nodeSkip }, () => {
  for (const file of NODE_EXES) {
    test(`${file.split('/').slice(-2).join('/')}: digest, signer and its timestamp agree with osslsigncode`, () => {
      const report = verify(file);
      const output = osslsigncodeVerify(file);
      const [oracle] = osslsigncodeDigests(output);
      const signature = report.signatures[0]!;
      assert.equal(report.status, 'valid', JSON.stringify(signature.reasons));
      assert.equal(signature.digest.signed!.toUpperCase(), oracle!.current);
      assert.equal(signature.digest.computed!.toUpperCase(), oracle!.calculated);
      assert.match(output, new RegExp(`Serial : ${signature.signer!.serialNumber}`));
      assert.match(signature.signer!.subject, /CN=OpenJS Foundation/);
      assert.equal(signature.timestamp?.status, 'valid');
      assert.equal(signature.validity, 'expired-timestamped', 'a short-lived signing certificate, valid through the timestamp');
      assert.equal(signature.trust?.windowsRoot?.name, 'Microsoft Identity Verification Root Certificate Authority 2020');
      assert.match(signature.timestamp!.signer!.subject, /Microsoft Public RSA Time Stamping Authority/);
      assert.equal(signature.timestamp!.trust?.windowsRoot?.name, 'Microsoft Identity Verification Root Certificate Authority 2020', 'the token leaves the root out: found as the issuer in the list');
    });
  }

  test('a corrupted copy of node.exe: invalid, and osslsigncode computes the same new digest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thunk-node-exe-'));
    try {
      const { text } = layoutOf(NODE_EXES[0]!);
      const corrupted = patched(NODE_EXES[0]!, join(dir, 'node.exe'), (b) => { b[text + 4096] ^= 0x01; });
      const signature = verify(corrupted).signatures[0]!;
      const [oracle] = osslsigncodeDigests(osslsigncodeVerify(corrupted));
      assert.equal(signature.status, 'invalid');
      assert.equal(signature.digest.computed!.toUpperCase(), oracle!.calculated);
      assert.notEqual(oracle!.calculated, oracle!.current);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
