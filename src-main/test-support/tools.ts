import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Debian's python3, which has python3-pefile; the `python3` first on PATH may be another
 * interpreter without it (pyenv's, on our machines).
 */
export const PYTHON = '/usr/bin/python3';

/** The first of the given tools (names looked up on PATH, or absolute paths) that exists, else null. */
export function findTool(names: readonly string[]): string | null {
  for (const name of names) {
    if (name.includes('/') && existsSync(name)) return name;
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}
