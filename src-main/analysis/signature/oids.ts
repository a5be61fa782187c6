/** Object identifiers Authenticode uses, by what they mean. */
export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  spcIndirectData: '1.3.6.1.4.1.311.2.1.4',
  spcPeImageData: '1.3.6.1.4.1.311.2.1.15',
  spcSpOpusInfo: '1.3.6.1.4.1.311.2.1.12',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  countersignature: '1.2.840.113549.1.9.6',
  rfc3161Timestamp: '1.3.6.1.4.1.311.3.3.1',
  nestedSignature: '1.3.6.1.4.1.311.2.4.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  codeSigningPurpose: '1.3.6.1.5.5.7.3.3',
  timeStampingPurpose: '1.3.6.1.5.5.7.3.8',
  lifetimeSigningPurpose: '1.3.6.1.4.1.311.10.3.13',
} as const;

/** Digest algorithms by OID, with the name Node's crypto knows them by. */
const DIGESTS: Record<string, string> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Node's name for a digest algorithm OID, or null when Thunk does not know it. */
export function digestName(oid: string): string | null {
  return DIGESTS[oid] ?? null;
}

/**
 * Signature algorithms a SignerInfo may name: the bare key algorithm (rsaEncryption, ecPublicKey;
 * the digest is then the SignerInfo's) or a combined one. PSS needs its parameters: not supported.
 */
const SIGNATURE_ALGORITHMS: Record<string, { key: 'rsa' | 'ec' | 'dsa'; digest: string | null }> = {
  '1.2.840.113549.1.1.1': { key: 'rsa', digest: null },
  '1.2.840.113549.1.1.4': { key: 'rsa', digest: 'md5' },
  '1.2.840.113549.1.1.5': { key: 'rsa', digest: 'sha1' },
  '1.2.840.113549.1.1.11': { key: 'rsa', digest: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', digest: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', digest: 'sha512' },
  '1.2.840.10045.2.1': { key: 'ec', digest: null },
  '1.2.840.10045.4.1': { key: 'ec', digest: 'sha1' },
  '1.2.840.10045.4.3.2': { key: 'ec', digest: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', digest: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', digest: 'sha512' },
  '1.2.840.10040.4.1': { key: 'dsa', digest: null },
  '1.2.840.10040.4.3': { key: 'dsa', digest: 'sha1' },
};

/** The signature algorithm of an OID, or null when Thunk cannot verify it. */
export function signatureAlgorithm(oid: string): { key: string; digest: string | null } | null {
  return SIGNATURE_ALGORITHMS[oid] ?? null;
}
