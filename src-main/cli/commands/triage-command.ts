import { Command, Option } from 'commander';
import { PE_EXTENSIONS } from '../../analysis/triage/scan-inputs.ts';
import { checkWithRealLoader } from '../../node-services/agent/real-loader-check.ts';
import { triageDocument } from '../../node-services/session/triage-document.ts';
import { Supervisor } from '../../node-services/agent/supervisor.ts';
import { documentJson, hasBlockingProblem, hasReportableProblem, type FileReport, type ReportDocument } from '../../analysis/report/report-document.ts';
import { withMinSeverity, withoutOtherBitnessTrees } from '../../analysis/report/report-filter.ts';
import { documentText } from '../../analysis/report/text-report.ts';
import { documentMarkdown } from '../../analysis/report/markdown-report.ts';
import { documentHtml } from '../../analysis/report/html-report.ts';
import { ProgressBar } from '../progress-bar.ts';
import { exitCodeAction, exitCodesHelp, repeatable, type CliCommand } from '../cli-command.ts';
import { EXIT } from '../usage-error.ts';
import { toJson, writeOutput } from '../write-output.ts';
import { triageOptions, type TriageFlags } from './triage-inputs.ts';

const LOAD_METHODS = ['load-library', 'altered-search-path', 'search-flags'];
const SEARCH_FLAGS = ['dll-load-dir', 'application-dir', 'user-dirs', 'system32', 'default-dirs'];

function realLoaderUnavailable(report: FileReport): boolean {
  return Object.values(report.realLoader ?? {}).some((row) => row?.unavailable);
}

async function withRealLoader(document: ReportDocument): Promise<ReportDocument> {
  const supervisor = new Supervisor({ pingIntervalMs: 0 });
  try {
    return { ...document, results: await checkWithRealLoader(document.results, supervisor) };
  } finally {
    await supervisor.dispose();
  }
}

function render(document: ReportDocument, flags: TriageFlags): string {
  const shown = flags.problemsOnly ? { ...document, results: document.results.filter(hasReportableProblem) } : document;
  if (flags.json) return toJson(documentJson(shown, document.results.length === 1));
  if (flags.md) return documentMarkdown(shown);
  if (flags.html) return documentHtml(shown);
  return documentText(document, { problemsOnly: flags.problemsOnly, withTree: flags.tree, withImports: flags.imports });
}

async function runTriage(inputs: string[], flags: TriageFlags): Promise<number> {
  const options = triageOptions(flags);
  let bar: ProgressBar | undefined;
  const scanned = triageDocument(inputs, options, (done, total, file) => {
    bar ??= new ProgressBar(total);
    bar.update(done, file);
  });
  bar?.finish();
  if (scanned.results.length === 0) {
    process.stderr.write(`thunk triage: no PE files (${[...PE_EXTENSIONS].join(', ')}) in ${inputs.join(', ')}: nothing to triage\n`);
    return EXIT.noInput;
  }
  const analysed = flags.realLoader ? await withRealLoader(scanned) : scanned;
  const trimmed = flags.allTrees ? analysed : withoutOtherBitnessTrees(analysed);
  writeOutput(render(withMinSeverity(trimmed, flags.minSeverity), flags), flags.out);
  if (analysed.results.some((r) => r.status === 'unreadable')) return EXIT.unreadable;
  if (analysed.results.some(hasBlockingProblem)) return EXIT.problem;
  return analysed.results.some(realLoaderUnavailable) ? EXIT.agentUnavailable : EXIT.ok;
}

/** `thunk triage <files or folders...>`: options, help and exit codes declared once, here. */
export const triageCommand: CliCommand = {
  name: 'triage',
  declare: () => new Command('triage')
    .summary('load verdicts (32/64-bit), root cause and fix, findings; a report (--json/--md/--html)')
    .description('Will these DLLs (or programs) load in a 32-bit / 64-bit process, and if not, why, and what is the fix? Folders are scanned recursively; a file named twice is triaged once.')
    .argument('<inputs...>', 'DLLs, EXEs or folders')
    .optionsGroup('Output (default: a readable summary):')
    .addOption(new Option('--json', 'one JSON document (schemaVersion 1)').conflicts(['md', 'html']))
    .addOption(new Option('--md', 'one Markdown document').conflicts(['html']))
    .option('--html', 'one self-contained HTML page (with an index and a print stylesheet)')
    .option('--out <file>', 'write to FILE instead of stdout')
    .option('--problems-only', 'leave out files without problems')
    .addOption(new Option('--min-severity <level>', 'leave out findings below LEVEL (warning leaves out hardening and signature information)').choices(['error', 'warning', 'info']).default('info'))
    .option('--tree', 'also print dependency trees in the summary')
    .option('--imports', 'also list the imported modules and functions in the summary')
    .option('--all-trees', "keep the dependency tree of a bitness the file is not built for (a 64-bit DLL's 32-bit tree)")
    .option('--real-loader', "also load each DLL for real in an agent of its bitness (Wine on Linux) and show the loader's verdict beside the prediction")
    .optionsGroup('Load context:')
    .addOption(new Option('--host <arch>', 'host process bitness to judge (default: both; --host-exe decides when given)').choices(['x86', 'x64', 'both']))
    .option('--app-dir <dir>', "the host application's folder (default: each DLL's own folder)")
    .option('--host-exe <file>', 'the host program: its folder becomes the application folder and its bitness the host bitness')
    .addOption(new Option('--load-method <method>', 'load-library: plain LoadLibrary (default); altered-search-path: LOAD_WITH_ALTERED_SEARCH_PATH; search-flags: LOAD_LIBRARY_SEARCH_*').choices(LOAD_METHODS))
    .addOption(repeatable('--search-flag <flag>', 'with --load-method search-flags; repeatable', SEARCH_FLAGS))
    .addOption(repeatable('--search-dir <dir>', 'an extra DLL folder (AddDllDirectory/SetDllDirectory); repeatable'))
    .option('--current-dir <dir>', "the host process's current folder (plain LoadLibrary searches it)")
    .addOption(repeatable('--path-dir <dir>', "a folder on the host process's PATH (searched last); repeatable"))
    .option('--windows-dir <dir>', "a Windows folder: a C:\\Windows copy or mount, or a Wine prefix (or its drive_c/windows); it must hold system32")
    .addHelpText('after', exitCodesHelp([
      [0, 'no blocking problem'], [1, 'at least one blocking problem'], [2, 'usage error'],
      [3, 'a file or folder could not be read, or the output could not be written'], [4, 'no PE files in the inputs (an empty folder)'],
      [5, 'with --real-loader: no blocking problem, but an agent could not start to ask the loader (`thunk doctor` says why)'],
    ]))
    .action(exitCodeAction((inputs: string[], flags: TriageFlags) => runTriage(inputs, flags))),
};
