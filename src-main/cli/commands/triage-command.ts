import { parseArgs } from 'node:util';
import type { HostArch, LoadMethod, SearchFlag } from '../../resolver/load-context.ts';
import type { TriageOptions } from '../../triage/analyse-file.ts';
import { triageDocument } from '../../service/triage-document.ts';
import { checkWithRealLoader } from '../../triage/real-loader-check.ts';
import { Supervisor } from '../../agent/supervisor.ts';
import { documentJson, hasBlockingProblem, hasReportableProblem, type ReportDocument } from '../../report/report-document.ts';
import { documentText } from '../../report/text-report.ts';
import { documentMarkdown } from '../../report/markdown-report.ts';
import { documentHtml } from '../../report/html-report.ts';
import { ProgressBar } from '../progress-bar.ts';
import { EXIT, UsageError } from '../usage-error.ts';
import { toJson, writeOutput } from '../write-output.ts';

export const TRIAGE_USAGE = `Usage: thunk triage <files or folders...> [options]

Will these DLLs load in a 32-bit / 64-bit process, and if not, why? Folders are scanned recursively.

Output (default: a readable summary):
  --json | --md | --html   one document in that format (HTML is self-contained)
  --out FILE               write to FILE instead of stdout
  --problems-only          leave out files without problems
  --tree                   also print dependency trees in the summary
  --real-loader            also load each DLL for real in an agent of its bitness (Wine on Linux)
                           and show the loader's verdict beside the prediction
Load context:
  --host x86|x64|both      host process bitness to judge (default: both)
  --app-dir DIR            the host application's folder (default: each DLL's own folder)
  --host-exe FILE          the host executable (its folder becomes the app dir)
  --load-method M          load-library (default; plain LoadLibrary) | altered-search-path | search-flags
  --search-flag F          with search-flags: dll-load-dir | application-dir | user-dirs | system32 | default-dirs; repeatable
  --search-dir DIR         an extra DLL folder (AddDllDirectory/PATH); repeatable
  --windows-dir DIR        a Windows folder: C:\\Windows copy or mount, or a Wine prefix's drive_c/windows
Exit codes: 0 no blocking problem, 1 a blocking problem, 2 usage error, 3 a file could not be read.`;

const LOAD_METHODS: LoadMethod[] = ['load-library', 'altered-search-path', 'search-flags'];
const SEARCH_FLAGS: SearchFlag[] = ['dll-load-dir', 'application-dir', 'user-dirs', 'system32', 'default-dirs'];

function parseSearchFlags(values: string[] | undefined): SearchFlag[] | undefined {
  if (!values) return undefined;
  const unknown = values.find((v) => !SEARCH_FLAGS.includes(v as SearchFlag));
  if (unknown) throw new UsageError(`--search-flag must be one of ${SEARCH_FLAGS.join(', ')}, not "${unknown}"`, TRIAGE_USAGE);
  return values as SearchFlag[];
}

function parseHosts(value: string | undefined): HostArch[] {
  if (value === undefined || value === 'both') return ['x86', 'x64'];
  if (value === 'x86' || value === 'x64') return [value];
  throw new UsageError(`--host must be x86, x64 or both, not "${value}"`, TRIAGE_USAGE);
}

function parseTriageArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' }, md: { type: 'boolean' }, html: { type: 'boolean' }, out: { type: 'string' },
      host: { type: 'string' }, 'app-dir': { type: 'string' }, 'host-exe': { type: 'string' }, 'load-method': { type: 'string' },
      'search-dir': { type: 'string', multiple: true }, 'search-flag': { type: 'string', multiple: true }, 'windows-dir': { type: 'string' },
      'problems-only': { type: 'boolean' }, tree: { type: 'boolean' }, 'real-loader': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if ([values.json, values.md, values.html].filter(Boolean).length > 1) throw new UsageError('choose one of --json, --md, --html', TRIAGE_USAGE);
  if (values['load-method'] && !LOAD_METHODS.includes(values['load-method'] as LoadMethod)) {
    throw new UsageError(`--load-method must be one of ${LOAD_METHODS.join(', ')}`, TRIAGE_USAGE);
  }
  return { values, positionals };
}

async function withRealLoader(document: ReportDocument): Promise<ReportDocument> {
  const supervisor = new Supervisor({ pingIntervalMs: 0 });
  try {
    return { ...document, results: await checkWithRealLoader(document.results, supervisor) };
  } finally {
    await supervisor.dispose();
  }
}

/** `thunk triage`: returns the exit code. */
export async function runTriage(args: string[]): Promise<number> {
  const { values, positionals } = parseTriageArgs(args);
  if (values.help) {
    process.stdout.write(`${TRIAGE_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('name at least one DLL or folder', TRIAGE_USAGE);
  const options: TriageOptions = {
    hosts: parseHosts(values.host),
    applicationDir: values['app-dir'],
    hostExecutable: values['host-exe'],
    loadMethod: values['load-method'] as LoadMethod | undefined,
    searchFlags: parseSearchFlags(values['search-flag']),
    searchDirs: values['search-dir'] ?? [],
    windowsDir: values['windows-dir'],
  };
  let bar: ProgressBar | undefined;
  const analysed = triageDocument(positionals, options, (done, total, file) => {
    bar ??= new ProgressBar(total);
    bar.update(done, file);
  });
  bar?.finish();
  const document = values['real-loader'] ? await withRealLoader(analysed) : analysed;
  const filtered = values['problems-only'] ? { ...document, results: document.results.filter(hasReportableProblem) } : document;
  if (values.json) writeOutput(toJson(documentJson(filtered, document.results.length === 1)), values.out);
  else if (values.md) writeOutput(documentMarkdown(filtered), values.out);
  else if (values.html) writeOutput(documentHtml(filtered), values.out);
  else writeOutput(documentText(document, { problemsOnly: values['problems-only'], withTree: values.tree }), values.out);
  if (document.results.some((r) => r.status === 'unreadable')) return EXIT.unreadable;
  return document.results.some(hasBlockingProblem) ? EXIT.problem : EXIT.ok;
}
