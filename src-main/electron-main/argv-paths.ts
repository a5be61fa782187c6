import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** Files or folders named on the command line ("open with", a second launch): existing paths only, flags skipped. */
export function pathsFromArgv(argv: string[], packaged: boolean, cwd = process.cwd()): string[] {
  return argv
    .slice(packaged ? 1 : 2)
    .filter((arg) => !arg.startsWith('-'))
    .map((arg) => resolve(cwd, arg))
    .filter((path) => existsSync(path) && (statSync(path).isFile() || statSync(path).isDirectory()));
}
