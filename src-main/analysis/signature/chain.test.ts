import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parsePeFile } from '../pe/parse-pe.ts';
import { isSelfSigned } from './certificate.ts';
import { buildChain, trustOf } from './chain.ts';
import { parseSignedData } from './signed-data.ts';
import { findSignerCertificate } from './signer-info.ts';
import { primarySignatureBytes } from './verify-authenticode.ts';
import { WINDOWS_CODE_SIGNING_ROOTS } from './windows-code-signing-roots.ts';

const NODE_EXE = join(import.meta.dirname, '..', '..', '..', 'build', 'agents', 'win32-x64', 'node.exe');

function nodeExeSignature() {
  return parseSignedData(primarySignatureBytes(NODE_EXE, parsePeFile(NODE_EXE, { entropy: false }))!, 'node.exe signature');
}

test('a chain that leaves its root out is matched to the listed root that issued its last certificate', { skip: existsSync(NODE_EXE) ? false : 'node.exe not staged: run `npm run stage:agents`' }, () => {
  const signature = nodeExeSignature();
  const signer = findSignerCertificate(signature.signedData.signerInfos[0]!, signature.certificates)!;
  const full = buildChain(signer, signature.certificates);
  assert.equal(full.reachesRoot, true);
  assert.equal(trustOf(full).chainEnd.selfSigned, true);

  const withoutRoot = buildChain(signer, signature.certificates.filter((c) => !isSelfSigned(c)));
  assert.equal(withoutRoot.reachesRoot, false);
  assert.equal(withoutRoot.certificates.length, full.certificates.length - 1);
  const trust = trustOf(withoutRoot);
  assert.match(trust.chainEnd.subject, /Microsoft ID Verified Code Signing PCA 2021/);
  assert.equal(trust.windowsRoot?.name, 'Microsoft Identity Verification Root Certificate Authority 2020');
  assert.equal(trust.windowsRoot?.sha1, trustOf(full).chainEnd.sha1);
});

test('every listed root parses, is self-signed, and its recorded thumbprints are its own', async () => {
  const { X509Certificate } = await import('node:crypto');
  assert.ok(WINDOWS_CODE_SIGNING_ROOTS.length >= 10);
  for (const root of WINDOWS_CODE_SIGNING_ROOTS) {
    const x509 = new X509Certificate(root.pem);
    assert.equal(x509.fingerprint.replace(/:/g, ''), root.sha1, root.name);
    assert.equal(x509.fingerprint256.replace(/:/g, ''), root.sha256, root.name);
    assert.ok(x509.checkIssued(x509) && x509.verify(x509.publicKey), `${root.name} is self-signed`);
    assert.ok(root.source.length > 20, `${root.name} says where it came from`);
  }
});
