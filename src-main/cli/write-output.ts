import { writeFileSync } from 'node:fs';

/** Writes a command's output to --out FILE, or stdout. */
export function writeOutput(text: string, outFile: string | undefined): void {
  if (outFile) {
    writeFileSync(outFile, text);
    process.stderr.write(`thunk: wrote ${outFile}\n`);
  } else {
    process.stdout.write(text);
  }
}

/** JSON with bigints as decimal strings (image bases, cookies) so any reader can parse it. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}
