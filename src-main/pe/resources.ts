import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, ResourceSummary } from './pe-image.ts';

// Placeholder until implemented.
export function readResources(_ctx: ParseContext, _dir: DataDirectory): ResourceSummary | null {
  return null;
}
