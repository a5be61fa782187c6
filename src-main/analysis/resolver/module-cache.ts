import { resolve } from 'node:path';
import type { PeImage } from '../pe/pe-image.ts';
import { NotPeError, parsePeFile } from '../pe/parse-pe.ts';

export type ParsedModule = { image: PeImage; error: null } | { image: null; error: string; notPe: boolean };

/** Parses each module once (fast path: headers, sections, exports, imports), keyed by full path. */
export class ModuleCache {
  private readonly modules = new Map<string, ParsedModule>();

  get(path: string): ParsedModule {
    const key = resolve(path);
    let parsed = this.modules.get(key);
    if (!parsed) {
      parsed = parse(key);
      this.modules.set(key, parsed);
    }
    return parsed;
  }

  /** Seeds the cache with an image parsed elsewhere (the root, read with details). */
  put(path: string, image: PeImage): void {
    this.modules.set(resolve(path), { image, error: null });
  }
}

function parse(path: string): ParsedModule {
  try {
    return { image: parsePeFile(path, { details: false, entropy: false }), error: null };
  } catch (error) {
    return { image: null, error: (error as Error).message, notPe: error instanceof NotPeError };
  }
}
