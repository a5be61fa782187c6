// WinVerifyTrust's answers (HRESULTs from winerror.h) as the SDK names them, and in words.
import type { TrustVerdict } from '../protocol/messages.ts';

const TRUST_RESULTS: Record<number, [name: string, message: string]> = {
  0x00000000: ['ERROR_SUCCESS', 'the signature is valid and its chain ends in a trusted root'],
  0x800b0100: ['TRUST_E_NOSIGNATURE', 'no signature was found (unsigned, or signed only through a catalog)'],
  0x80096010: ['TRUST_E_BAD_DIGEST', 'the file was modified after it was signed (its digest does not match the signature)'],
  0x800b0109: ['CERT_E_UNTRUSTEDROOT', 'the chain ends in a root certificate that is not trusted'],
  0x800b010a: ['CERT_E_CHAINING', 'the chain could not be built up to a trusted root'],
  0x800b0004: ['TRUST_E_SUBJECT_NOT_TRUSTED', 'the subject is not trusted for the action (the signer is not trusted)'],
  0x800b0111: ['TRUST_E_EXPLICIT_DISTRUST', 'a certificate in the chain is explicitly distrusted'],
  0x800b0101: ['CERT_E_EXPIRED', 'a certificate in the chain has expired (and the signature carries no valid timestamp)'],
  0x800b010c: ['CERT_E_REVOKED', 'a certificate in the chain was revoked'],
  0x800b010e: ['CERT_E_REVOCATION_FAILURE', 'revocation could not be checked'],
  0x800b0110: ['CERT_E_WRONG_USAGE', 'the signer certificate is not valid for code signing'],
  0x800b0106: ['CERT_E_PURPOSE', 'a certificate is not valid for the requested usage'],
  0x800b0108: ['CERT_E_MALFORMED', 'a certificate is malformed'],
  0x800b010d: ['CERT_E_UNTRUSTEDTESTROOT', 'the chain ends in a test root'],
  0x800b0112: ['CERT_E_UNTRUSTEDCA', 'an intermediate certificate authority is not trusted'],
  0x800b0001: ['TRUST_E_PROVIDER_UNKNOWN', 'no trust provider is installed for this kind of file'],
  0x800b0002: ['TRUST_E_ACTION_UNKNOWN', 'the trust provider does not support the verification action'],
  0x800b0003: ['TRUST_E_SUBJECT_FORM_UNKNOWN', 'the trust provider does not know this form of file'],
  0x80096001: ['TRUST_E_SYSTEM_ERROR', 'a system error occurred while verifying trust'],
  0x80096002: ['TRUST_E_NO_SIGNER_CERT', 'the signer certificate is missing from the signature'],
  0x80096003: ['TRUST_E_COUNTER_SIGNER', 'the countersignature (timestamp) is not valid'],
  0x80096004: ['TRUST_E_CERT_SIGNATURE', 'a certificate\'s signature could not be verified'],
  0x80096005: ['TRUST_E_TIME_STAMP', 'the timestamp signature or certificate could not be verified or is malformed'],
  0x80096019: ['TRUST_E_BASIC_CONSTRAINTS', 'a certificate\'s basic constraints are not valid or missing'],
  0x800b010b: ['TRUST_E_FAIL', 'generic trust failure'],
  0x80092003: ['CRYPT_E_FILE_ERROR', 'the file could not be read'],
  0x80092026: ['CRYPT_E_SECURITY_SETTINGS', 'an administrator\'s policy does not allow this signature'],
  0x80070002: ['ERROR_FILE_NOT_FOUND', 'the file was not found'],
  0x80070057: ['E_INVALIDARG', 'an argument was not valid'],
  0x80004001: ['E_NOTIMPL', 'not implemented'],
};

export const TRUST_E_NOSIGNATURE = 0x800b0100;

/** An HRESULT (signed or unsigned) as a verdict in words. */
export function trustVerdict(hresult: number): TrustVerdict {
  const unsigned = hresult >>> 0;
  const known = TRUST_RESULTS[unsigned];
  const hex = `0x${unsigned.toString(16).toUpperCase().padStart(8, '0')}`;
  return known ? { hresult: unsigned, name: known[0], message: known[1] } : { hresult: unsigned, name: hex, message: `WinVerifyTrust returned ${hex}` };
}
