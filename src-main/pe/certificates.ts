import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, CertificateInfo } from './pe-image.ts';

// Placeholder until implemented.
export function readCertificates(_ctx: ParseContext, _dir: DataDirectory): CertificateInfo | null {
  return null;
}
