import { Command, Option } from 'commander';
import { statSync } from 'node:fs';
import { analyseFile } from '../../analysis/triage/analyse-file.ts';
import { createCaches } from '../../analysis/resolver/module-locator.ts';
import { compareReports } from '../../analysis/compare/compare-reports.ts';
import { comparisonHtml, comparisonJson, comparisonMarkdown, comparisonText } from '../../analysis/compare/compare-format.ts';
import { exitCodeAction, exitCodesHelp, type CliCommand } from '../cli-command.ts';
import { EXIT, UsageError } from '../usage-error.ts';
import { toJson, writeOutput } from '../write-output.ts';
import { triageOptions } from './triage-inputs.ts';

interface CompareFlags {
  json?: boolean;
  md?: boolean;
  html?: boolean;
  out?: string;
  host?: 'x86' | 'x64' | 'both';
  windowsDir?: string;
}

function requireFile(path: string): void {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${path} is a folder: compare takes two files (e.g. the same DLL from two folders)`);
}

function render(flags: CompareFlags, comparison: ReturnType<typeof compareReports>): string {
  if (flags.json) return toJson(comparisonJson(comparison));
  if (flags.md) return comparisonMarkdown(comparison);
  if (flags.html) return comparisonHtml(comparison);
  return comparisonText(comparison);
}

function runCompare(a: string, b: string, flags: CompareFlags): number {
  requireFile(a);
  requireFile(b);
  const options = { ...triageOptions({ ...flags, minSeverity: 'info' }), caches: createCaches() };
  const reports = [analyseFile(a, options), analyseFile(b, options)];
  const unusable = reports.filter((r) => r.status === 'unreadable' || r.status === 'not-pe');
  for (const report of unusable) process.stderr.write(`thunk compare: cannot compare ${report.file}: ${report.error ?? report.status}\n`);
  if (unusable.length) return EXIT.unreadable;
  const comparison = compareReports(reports[0]!, reports[1]!);
  writeOutput(render(flags, comparison), flags.out);
  return comparison.differs.exports || comparison.differs.imports ? EXIT.problem : EXIT.ok;
}

/** `thunk compare A.dll B.dll`. */
export const compareCommand: CliCommand = {
  name: 'compare',
  declare: () => new Command('compare')
    .summary('what changed between two versions of a DLL (--json, --md, --html)')
    .description('Compare two versions of a DLL side by side: machine, version, timestamps, signature, hardening, exports added/removed/changed, imports added/removed per module, and the dependency verdicts per host.')
    .argument('<a>', 'version A (the one that works)')
    .argument('<b>', 'version B (the one that does not)')
    .option('--json', 'one JSON document {schemaVersion, comparison}')
    .option('--md', 'Markdown')
    .option('--html', 'a self-contained HTML page')
    .option('--out <file>', 'write to FILE instead of stdout')
    .addOption(new Option('--host <bitness>', 'host process bitness to judge').choices(['x86', 'x64', 'both']))
    .option('--windows-dir <dir>', 'a Windows folder (or Wine prefix) to resolve system DLLs in')
    .addHelpText('after', exitCodesHelp([[0, 'same exports and imports'], [1, 'the exports or imports differ'], [2, 'usage error'], [3, 'a file could not be read or is not a PE file, or the output could not be written']]))
    .action(exitCodeAction((a: string, b: string, flags: CompareFlags) => runCompare(a, b, flags))),
};
