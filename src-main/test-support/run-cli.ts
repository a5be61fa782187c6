import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What one run of the real `bin/thunk` printed and returned. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm run build` makes dist/cli.js) as a user would, in a child process. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  // Generous: a first agent start under Wine may create its prefix.
  const env = { ...process.env, ...options.env };
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'thunk'), ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', timeout: 180_000, env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `thunk(a, b)` reads like the command line it runs. */
export function thunk(...args: string[]): CliRun {
  return runCli(args);
}

/** A skip reason when the CLI bundle has not been built, else false. */
export const builtCliSkip: string | false = existsSync(join(ROOT, 'dist', 'cli.js')) ? false : 'dist/cli.js is missing: run `npm run build`';
