import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, DebugInfo } from './pe-image.ts';

// Placeholder until implemented.
export function readDebugDirectory(_ctx: ParseContext, _dir: DataDirectory): DebugInfo | null {
  return null;
}
