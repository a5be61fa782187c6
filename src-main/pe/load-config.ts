import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, LoadConfigInfo } from './pe-image.ts';

// Placeholder until implemented.
export function readLoadConfig(_ctx: ParseContext, _dir: DataDirectory): LoadConfigInfo | null {
  return null;
}
