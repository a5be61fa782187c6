import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NotPeError, parsePeFile, type ParseOptions } from '../../analysis/pe/parse-pe.ts';
import type { PeImage } from '../../analysis/pe/pe-image.ts';
import { ModuleCache, type ParsedModule } from '../../analysis/resolver/module-cache.ts';
import { DirectoryIndex } from '../../analysis/resolver/directory-index.ts';
import { createCaches, type ResolverCaches } from '../../analysis/resolver/module-locator.ts';

/** Parsed modules kept by a session: enough for a Windows folder's system DLLs twice over. */
export const SESSION_MODULE_LIMIT = 4000;

function stamp(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

function parseModule(path: string, options: ParseOptions): ParsedModule {
  try {
    return { image: parsePeFile(path, options), error: null };
  } catch (error) {
    return { image: null, error: (error as Error).message, notPe: error instanceof NotPeError };
  }
}

/**
 * The resolver's module cache for a long-lived session: keyed by path, size and mtime (a DLL
 * replaced between two drops is read again) and bounded, dropping the least recently used.
 */
export class SessionModuleCache extends ModuleCache {
  private readonly entries = new Map<string, { stamp: string | null; parsed: ParsedModule }>();

  /** `parseOptions`: the resolver needs no details; views that show versions ask for them. */
  constructor(private readonly limit = SESSION_MODULE_LIMIT, private readonly parseOptions: ParseOptions = { details: false, entropy: false }) {
    super();
  }

  override get(path: string): ParsedModule {
    const key = resolve(path);
    const current = stamp(key);
    const hit = this.entries.get(key);
    if (hit && hit.stamp === current) return this.touch(key, hit).parsed;
    return this.touch(key, { stamp: current, parsed: parseModule(key, this.parseOptions) }).parsed;
  }

  override put(path: string, image: PeImage): void {
    const key = resolve(path);
    this.touch(key, { stamp: stamp(key), parsed: { image, error: null } });
  }

  get size(): number {
    return this.entries.size;
  }

  private touch<T extends { stamp: string | null; parsed: ParsedModule }>(key: string, entry: T): T {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

/** Folder listings re-read when the folder's mtime changes (a DLL added or removed). */
export class SessionDirectoryIndex extends DirectoryIndex {
  private readonly listings = new Map<string, { stamp: string | null; names: Map<string, string> | null }>();

  override entries(dir: string): Map<string, string> | null {
    const current = stamp(dir);
    const hit = this.listings.get(dir);
    if (hit && hit.stamp === current) return hit.names;
    const names = listLowercase(dir);
    this.listings.set(dir, { stamp: current, names });
    return names;
  }

  override find(dir: string, name: string): string | null {
    const entry = this.entries(dir)?.get(name.toLowerCase());
    return entry === undefined ? null : join(dir, entry);
  }
}

function listLowercase(dir: string): Map<string, string> | null {
  try {
    const index = new Map<string, string>();
    // As DirectoryIndex: of two names differing only in case, the first sorted one wins.
    for (const name of readdirSync(dir).sort()) if (!index.has(name.toLowerCase())) index.set(name.toLowerCase(), name);
    return index;
  } catch {
    return null;
  }
}

/** Resolver caches that stay correct across the runs of a session. */
export function createSessionCaches(): ResolverCaches {
  return { ...createCaches(), modules: new SessionModuleCache(), index: new SessionDirectoryIndex() };
}
