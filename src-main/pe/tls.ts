import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, TlsInfo } from './pe-image.ts';

// Placeholder until implemented.
export function readTls(_ctx: ParseContext, _dir: DataDirectory): TlsInfo | null {
  return null;
}
