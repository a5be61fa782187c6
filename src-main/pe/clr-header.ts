import type { ParseContext } from './parse-context.ts';
import type { ClrInfo, DataDirectory, MachineName } from './pe-image.ts';

// Placeholder until implemented.
export function readClrHeader(_ctx: ParseContext, _dir: DataDirectory, _machine: MachineName): ClrInfo | null {
  return null;
}
