import { Command } from 'commander';
import { FileAccessError, NotPeError, parsePeFile } from '../../analysis/pe/parse-pe.ts';
import { SCHEMA_VERSION } from '../../analysis/report/report-document.ts';
import { signatureOutline } from '../../analysis/report/signature-section.ts';
import { terminalSafe } from '../../analysis/report/text-report.ts';
import type { FileSignatureReport } from '../../analysis/signature/signature-types.ts';
import { scanInputs, type ScanEntry } from '../../analysis/triage/scan-inputs.ts';
import { verifyAuthenticodeFile } from '../../analysis/signature/verify-authenticode.ts';
import { UNDER_WINE_NOTE, type WindowsTrustAnswer, WindowsTrustAsker, windowsVerdictLine } from '../../node-services/agent/ask-windows.ts';
import { exitCodeAction, exitCodesHelp, type CliCommand } from '../cli-command.ts';
import { toJson, writeOutput } from '../write-output.ts';
import { VERSION } from '../../analysis/report/tool-version.ts';

/** `thunk verify` exit codes: the worst file decides (invalid, then unreadable, then unsigned). */
export const VERIFY_EXIT = { valid: 0, invalid: 1, usage: 2, unreadable: 3, unsigned: 4 } as const;

/** One file's verification result, as `thunk verify --json` prints it. */
export interface VerifyResult {
  file: string;
  status: FileSignatureReport['status'] | 'unreadable' | 'not-pe';
  error: string | null;
  signature: FileSignatureReport | null;
  /** With --ask-windows: WinVerifyTrust's answer (under Wine: Wine's), or why there is none. */
  windows?: WindowsTrustAnswer & { note?: string };
}

/** Verifies one file; unreadable and non-PE files give a result with the reason, not an exception. */
export function verifyFile(file: string): VerifyResult {
  try {
    const image = parsePeFile(file, { entropy: false });
    const signature = verifyAuthenticodeFile(file, image);
    return { file, status: signature.status, error: null, signature };
  } catch (error) {
    if (error instanceof FileAccessError) return { file, status: 'unreadable', error: error.message, signature: null };
    if (error instanceof NotPeError) return { file, status: 'not-pe', error: error.message, signature: null };
    throw error;
  }
}

function verifyEntry(entry: ScanEntry): VerifyResult {
  if (entry.error) return { file: entry.path, status: 'unreadable', error: `${entry.path}: ${entry.error.message}`, signature: null };
  return verifyFile(entry.path);
}

function resultText(result: VerifyResult): string {
  if (!result.signature) return `${result.error}`;
  const lines = [`${result.file}: ${result.status}`];
  for (const item of signatureOutline(result.signature).slice(1)) lines.push(`  ${item.text}`, ...item.children.map((child) => `    ${child}`));
  // A signed file's outline already holds trust.windowsVerdict; an unsigned one has no trust to hold it.
  if (result.windows && !result.signature.signatures[0]?.trust) lines.push(`  ${windowsLabel(result.windows)}: ${windowsVerdictLine(result.windows)}`);
  return lines.join('\n');
}

function windowsLabel(answer: WindowsTrustAnswer): string {
  return answer.kind === 'answered' && answer.underWine ? 'Wine\'s WinVerifyTrust' : 'Windows (WinVerifyTrust)';
}

/** Adds Windows' answer to each PE file's result; one agent serves the whole batch. */
async function askWindows(results: VerifyResult[]): Promise<string | null> {
  const files = results.filter((r) => r.signature !== null);
  if (files.length === 0) return null;
  let asker: WindowsTrustAsker;
  try {
    asker = await WindowsTrustAsker.start();
  } catch (error) {
    for (const result of files) result.windows = { kind: 'failed', message: (error as Error).message, runtime: 'none' };
    return null;
  }
  try {
    for (const result of files) {
      const answer = await asker.ask(result.file);
      result.windows = asker.underWine ? { ...answer, note: UNDER_WINE_NOTE } : answer;
      const trust = result.signature?.signatures[0]?.trust;
      if (trust) trust.windowsVerdict = `${asker.underWine ? '(Wine\'s, not Windows\') ' : ''}${windowsVerdictLine(answer)}`;
    }
    return asker.underWine ? UNDER_WINE_NOTE : null;
  } finally {
    await asker.dispose();
  }
}

/** The exit code for a set of results. */
export function verifyExitCode(results: readonly VerifyResult[]): number {
  const statuses = new Set(results.map((r) => r.status));
  if (statuses.has('invalid') || statuses.has('malformed')) return VERIFY_EXIT.invalid;
  if (statuses.has('unreadable') || statuses.has('not-pe')) return VERIFY_EXIT.unreadable;
  if (statuses.has('unsigned')) return VERIFY_EXIT.unsigned;
  return VERIFY_EXIT.valid;
}

interface VerifyOptions {
  json?: boolean;
  out?: string;
  /** Undefined when neither --ask-windows nor --no-ask-windows was given: on by default on Windows only. */
  askWindows?: boolean;
}

async function runVerify(inputs: string[], options: VerifyOptions): Promise<number> {
  const results = scanInputs(inputs).map(verifyEntry);
  const note = (options.askWindows ?? process.platform === 'win32') ? await askWindows(results) : null;
  if (options.json) {
    const head = { schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: VERSION }, generatedAt: new Date().toISOString() };
    writeOutput(toJson(results.length === 1 ? { ...head, ...results[0] } : { ...head, results }), options.out);
  } else {
    const footer = note ? `\n\nNote: ${note}` : '';
    writeOutput(terminalSafe(`${results.map(resultText).join('\n\n')}${footer}\n`), options.out);
  }
  return verifyExitCode(results);
}

/** `thunk verify <files or folders...>`. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  declare: () => new Command('verify')
    .summary('verify Authenticode signatures offline: digest, signer, chain, timestamp')
    .description('Verify Authenticode signatures offline: the file\'s digest against the signed one, the signer\'s signature, certificate (validity, key usage, code-signing EKU) and chain, the timestamp, nested signatures, and whether the chain ends at a root in Thunk\'s list of Windows code-signing roots. Folders are scanned recursively for PE files (.dll, .exe, .sys, ...).')
    .argument('<inputs...>', 'files or folders')
    .option('--json', 'one JSON document (results[] for several files, the file\'s fields at top level for one)')
    .option('--out <file>', 'write to FILE instead of stdout')
    .option('--ask-windows', 'also ask Windows itself (WinVerifyTrust, then the system catalogs for files without an embedded signature) in a helper process, offline; on by default on Windows; elsewhere it runs under Wine and gives Wine\'s answer')
    .option('--no-ask-windows', 'do not ask WinVerifyTrust (the default off Windows)')
    .addHelpText('after', exitCodesHelp([
      [VERIFY_EXIT.valid, 'every file validly signed'],
      [VERIFY_EXIT.invalid, 'a signature is invalid or malformed (modified after signing, expired without timestamp, ...)'],
      [VERIFY_EXIT.usage, 'usage error'],
      [VERIFY_EXIT.unreadable, 'a file could not be read or is not a PE file'],
      [VERIFY_EXIT.unsigned, 'a file is unsigned (it may still be catalog-signed: check on Windows)'],
    ]))
    .action(exitCodeAction((inputs: string[], options: VerifyOptions) => runVerify(inputs, options))),
};
