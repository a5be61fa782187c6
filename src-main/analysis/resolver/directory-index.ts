import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Case-insensitive file lookup: Windows matches DLL names without regard to case, a Linux
 * filesystem does not, so each folder is listed once into a lowercase-name index.
 */
export class DirectoryIndex {
  private readonly folders = new Map<string, Map<string, string> | null>();

  /** The real path of `name` in `dir` whatever its case, or null. */
  find(dir: string, name: string): string | null {
    const entry = this.entries(dir)?.get(name.toLowerCase());
    return entry === undefined ? null : join(dir, entry);
  }

  /** The names in `dir`, lowercase, or null when it cannot be listed. */
  entries(dir: string): Map<string, string> | null {
    let index = this.folders.get(dir);
    if (index === undefined) {
      index = listLowercase(dir);
      this.folders.set(dir, index);
    }
    return index;
  }

  /** Entries of `dir` whose lowercase name starts with `prefix` (real names). */
  withPrefix(dir: string, prefix: string): string[] {
    const lower = prefix.toLowerCase();
    return [...(this.entries(dir)?.entries() ?? [])].filter(([key]) => key.startsWith(lower)).map(([, real]) => real);
  }
}

function listLowercase(dir: string): Map<string, string> | null {
  try {
    const index = new Map<string, string>();
    for (const name of readdirSync(dir)) {
      const key = name.toLowerCase();
      // Two names differing only in case cannot both exist on Windows; keep the first sorted one.
      if (!index.has(key)) index.set(key, name);
    }
    return index;
  } catch {
    return null;
  }
}
