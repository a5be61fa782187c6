import { dirname, resolve } from 'node:path';
import type { Supervisor } from '../agent/supervisor.ts';
import { type FaultReport, type Outcome, crashSummary, frameText } from '../agent/outcome.ts';
import type { LoadResult } from '../../../src-agent32/protocol/messages.ts';
import type { HostArch, LoadContext, SearchFlag } from '../../analysis/resolver/load-context.ts';
import type { FileReport, RealLoaderRow, VerdictRow } from '../../analysis/report/report-document.ts';

const AGENT_ARCH = { x86: 'win32-ia32', x64: 'win32-x64' } as const;
const LOAD_WITH_ALTERED_SEARCH_PATH = 0x8;
const SEARCH_FLAG_BITS: Record<SearchFlag, number> = {
  'dll-load-dir': 0x100, 'application-dir': 0x200, 'user-dirs': 0x400, system32: 0x800, 'default-dirs': 0x1000,
};

/** How to ask the agent's loader for the context the prediction was made in, or null when it cannot be reproduced. */
interface LoaderRequest {
  flags: number;
  searchDirs: string[];
}

/**
 * The agent's application folder is its runtime's, not the host's. LOAD_WITH_ALTERED_SEARCH_PATH
 * looks beside the DLL first, which reproduces the default context (the DLL's folder as the
 * application folder); a different application folder with plain LoadLibrary cannot be reproduced.
 */
export function loaderRequestFor(file: string, context: LoadContext): LoaderRequest | null {
  const ownFolder = context.applicationDir === dirname(resolve(file));
  if (context.loadMethod === 'search-flags') {
    const flags = context.searchFlags.reduce((bits, flag) => bits | SEARCH_FLAG_BITS[flag], 0);
    return { flags: flags || SEARCH_FLAG_BITS['default-dirs'], searchDirs: context.extraDirs };
  }
  if (context.loadMethod === 'altered-search-path' || ownFolder) return { flags: LOAD_WITH_ALTERED_SEARCH_PATH, searchDirs: context.extraDirs };
  return null;
}

function rowFrom(outcome: Outcome<LoadResult>, predicted: VerdictRow): RealLoaderRow {
  const runtime = outcome.agent?.runtime ?? null;
  if (outcome.kind === 'result') {
    return { loads: true, error: null, runtime, agreesWithPrediction: predicted.loads, modules: outcome.result.newModules.map((m) => m.path) };
  }
  if (outcome.kind === 'crash') {
    const error = { code: outcome.crash.code ?? -1, name: outcome.crash.name, message: `the process crashed while loading (${outcome.crash.module ?? 'unknown module'})` };
    // A crash is never the failure a static prediction names: always worth a look.
    return { loads: false, error, runtime, agreesWithPrediction: false, modules: [] };
  }
  const e = outcome.error;
  if (e.code === 'AGENT_UNAVAILABLE') return { loads: null, error: null, runtime, agreesWithPrediction: null, modules: [], unavailable: e.message };
  if (e.osCode === undefined) return { loads: null, error: { code: -1, name: e.code, message: e.message }, runtime, agreesWithPrediction: null, modules: [] };
  const error = { code: e.osCode, name: e.name, message: e.message };
  return { loads: false, error, runtime, agreesWithPrediction: !predicted.loads && predicted.error?.code === e.osCode, modules: [] };
}

/** The finding's text for the cases that say more than "they disagree". */
interface Explained {
  explanation: string;
  fix: string;
  evidence: string[];
}

function explain(row: RealLoaderRow, predicted: VerdictRow, fault: FaultReport | undefined): Explained | null {
  const underWine = row.loads === true && /wine/i.test(row.runtime ?? '');
  if (!predicted.loads && (predicted.error?.code === 127 || predicted.error?.code === 182) && underWine) {
    const what = predicted.error.code === 182 ? 'ordinal' : 'function';
    return {
      explanation: `Wine binds a missing imported ${what} to a stub and lets the load succeed; the first call of it aborts. Windows fails the load with ${predicted.error.code}.`,
      fix: `Trust the ${predicted.error.code} for Windows: ship the dependency version that exports the ${what}.`,
      evidence: [],
    };
  }
  if (!predicted.loads && predicted.error?.code === 14001 && underWine) {
    return {
      explanation: 'Wine loads a DLL whose manifest names a side-by-side assembly it cannot find; Windows refuses to create the activation context and fails the load with 14001.',
      fix: 'Trust the 14001 for Windows: install the runtime that provides the assembly (see the side-by-side finding).',
      evidence: [],
    };
  }
  if (row.error?.code === 1114) {
    return {
      explanation: 'Every dependency was found, but the DLL\'s own initialisation (DllMain, or a TLS callback or static constructor) returned FALSE: only running it shows that.',
      fix: 'Ask the DLL\'s vendor what its initialisation needs (a licence, a config file, a service, a registry key); run it with its own logging on, or call its exports with `thunk call` to see its output.',
      evidence: [],
    };
  }
  if (fault) {
    const access = fault.accessKind && fault.accessAddress ? ` (${fault.accessKind} access to ${fault.accessAddress})` : '';
    return {
      explanation: `Every dependency was found, but the DLL's own initialisation (DllMain, or a TLS callback or static constructor) faulted: ${crashSummary(fault)}${access}. The loader caught the exception and failed the load with ${row.error?.code ?? 'an error'}.`,
      fix: 'Send the DLL\'s developer the fault and its backtrace (this finding\'s evidence; `thunk load` prints them too): the bug is in the DLL\'s start-up code, unless that code reads a file, setting or device that is missing here.',
      evidence: fault.frames.slice(0, 8).map(frameText),
    };
  }
  return null;
}

function disagreement(file: FileReport, host: HostArch, row: RealLoaderRow, predicted: VerdictRow, fault: FaultReport | undefined): FileReport['findings'][number] {
  const said = (loads: boolean | null, error: { code: number; name: string } | null): string => (loads ? 'loads' : error ? `fails with ${error.code} ${error.name}` : 'fails');
  const explained = explain(row, predicted, fault);
  return {
    code: 'THK-REAL-LOADER-DISAGREES', severity: 'warning', hostArch: host, rootCause: false,
    title: `The real loader ${said(row.loads, row.error)}; the analysis predicted it ${said(predicted.loads, predicted.error)}`,
    explanation: explained?.explanation ?? 'The static analysis and the loader saw different things: a dependency the loader finds elsewhere (already loaded, a different search path), DllMain failing or crashing, or a Wine difference.',
    evidence: [`${file.file} loaded by ${row.runtime ?? 'the agent'}`, ...(explained?.evidence ?? []), ...row.modules.slice(0, 10)],
    fix: explained?.fix ?? 'Check the load context (--app-dir, --search-dir, --windows-dir) against the real host, and the DLL\'s initialisation.',
  };
}

/**
 * Asks the real Windows loader (in an agent of each bitness the DLL is built for) whether each
 * analysed file loads, and returns new reports with its verdict beside the prediction and a
 * finding for each disagreement. The reports passed in are left as they were.
 */
export async function checkWithRealLoader(reports: readonly FileReport[], supervisor: Supervisor): Promise<FileReport[]> {
  const checked: FileReport[] = [];
  for (const report of reports) checked.push(report.status === 'analysed' ? await checkOne(report, supervisor) : report);
  return checked;
}

async function checkOne(report: FileReport, supervisor: Supervisor): Promise<FileReport> {
  const realLoader: NonNullable<FileReport['realLoader']> = {};
  const findings = [...report.findings];
  for (const [host, predicted] of Object.entries(report.verdicts) as [HostArch, VerdictRow][]) {
    if (!predicted.builtForHost) continue;
    const request = loaderRequestFor(report.file, predicted.context);
    const outcome = await supervisor.load(resolve(report.file), { arch: AGENT_ARCH[host], flags: request?.flags ?? LOAD_WITH_ALTERED_SEARCH_PATH, searchDirs: request?.searchDirs ?? predicted.context.extraDirs });
    const row = rowFrom(outcome, predicted);
    if (!request) row.agreesWithPrediction = null; // a different application folder: not comparable
    realLoader[host] = row;
    if (row.agreesWithPrediction === false) findings.push(disagreement(report, host, row, predicted, outcome.handledFault));
    if (outcome.kind === 'result') await supervisor.unload(resolve(report.file), { arch: AGENT_ARCH[host] });
  }
  return { ...report, realLoader, findings };
}
