import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OutputError } from './usage-error.ts';

function reason(path: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT': return `the folder ${dirname(resolve(path))} does not exist`;
    case 'EISDIR': return 'it is a folder; give a file name';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the file system is read-only';
    case 'ENOSPC': return 'the disk is full';
    case 'EIO': return 'an input/output error';
    case 'ENOTDIR': return 'a part of the path is a file, not a folder';
    default: return error.message;
  }
}

/** Writes a command's output to --out FILE, or stdout; a file that cannot be written is an OutputError. */
export function writeOutput(text: string, outFile: string | undefined): void {
  if (!outFile) {
    process.stdout.write(text);
    return;
  }
  try {
    if (statSync(outFile, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    writeFileSync(outFile, text);
  } catch (error) {
    throw new OutputError(`cannot write ${outFile}: ${reason(outFile, error as NodeJS.ErrnoException)}`);
  }
  process.stderr.write(`thunk: wrote ${outFile}\n`);
}

/** JSON with bigints as decimal strings (image bases, cookies) so any reader can parse it. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}
