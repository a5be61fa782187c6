import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPeFileName } from '../../contract/pe-file-names.ts';

export { PE_EXTENSIONS } from '../../contract/pe-file-names.ts';

const MAX_SCAN_DEPTH = 32;

/** One input: a file to analyse, or a path that could not be listed. */
export interface ScanEntry {
  path: string;
  /** Set when the path itself could not be read (missing, permission). */
  error: NodeJS.ErrnoException | null;
}

function walk(dir: string, depth: number, out: ScanEntry[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    out.push({ path: dir, error: error as NodeJS.ErrnoException });
    return;
  }
  for (const name of names) {
    const full = join(dir, name);
    let isDir = false;
    try {
      const stat = statSync(full);
      isDir = stat.isDirectory();
      if (!isDir && !stat.isFile()) continue;
    } catch {
      continue; // vanished between listing and stat, or a dangling link
    }
    if (isDir) {
      if (depth < MAX_SCAN_DEPTH) walk(full, depth + 1, out);
    } else if (isPeFileName(name)) {
      out.push({ path: full, error: null });
    }
  }
}

/**
 * Expands the command-line inputs: files as given, folders scanned recursively for PE images. A
 * file named twice (or inside a folder also given) is listed once, where it first appears.
 */
export function scanInputs(inputs: readonly string[]): ScanEntry[] {
  const seen = new Set<string>();
  return expand(inputs).filter((entry) => {
    const key = realPath(entry.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// A symbolic link to a file already listed is the same file.
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function expand(inputs: readonly string[]): ScanEntry[] {
  const out: ScanEntry[] = [];
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = statSync(input).isDirectory();
    } catch (error) {
      out.push({ path: input, error: error as NodeJS.ErrnoException });
      continue;
    }
    if (isDir) walk(input, 0, out);
    else out.push({ path: input, error: null });
  }
  return out;
}
