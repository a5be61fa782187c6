import type { Finding } from '../diagnosis/finding.ts';
import type { LoaderError } from '../diagnosis/verdict.ts';
import type { HostArch, LoadContext } from '../resolver/load-context.ts';
import type { ResolutionStrategy, SkippedCandidate, MissingImport } from '../resolver/dependency-node.ts';
import type { MachineName } from '../pe/pe-image.ts';
import type { FileSignatureReport } from '../signature/signature-types.ts';

/** Bumped on any incompatible change to the JSON document. */
export const SCHEMA_VERSION = 1;

export interface ExportRow {
  ordinal: number;
  name?: string;
  demangled?: string;
  /** For a decorated 32-bit C name (`_Add@8`, `@Fast@8`): what the decoration states. */
  callingConvention?: string;
  argumentBytes?: number;
  rva?: number;
  forwarder?: string;
  section?: string | null;
  kind: 'code' | 'data' | 'forwarder' | 'unknown';
}

export interface ImportRow {
  dll: string;
  functions: ({ name: string; hint?: number } | { ordinal: number })[];
}

export interface TreeNode {
  name: string;
  path: string | null;
  strategy: ResolutionStrategy;
  machine: MachineName | null;
  apiSetTarget?: string;
  delayLoad?: boolean;
  repeated?: boolean;
  error?: string;
  skipped?: SkippedCandidate[];
  missingImports?: MissingImport[];
  children: TreeNode[];
}

export interface VerdictRow {
  loads: boolean;
  /** False when the DLL is not built for this host's bitness at all. */
  builtForHost: boolean;
  error: LoaderError | null;
  rootCause: string | null;
  context: LoadContext;
}

export interface FileSummary {
  machine: MachineName;
  format: 'PE32' | 'PE32+' | null;
  isDll: boolean;
  subsystem: string | null;
  timestamp: string | null;
  fileVersion: string | null;
  productVersion: string | null;
  companyName: string | null;
  productName: string | null;
  fileDescription: string | null;
  pdb: { path: string; guid: string | null; age: number } | null;
  signed: boolean;
  dotnet: { flavor: string; runtimeVersion: string; metadataVersion: string | null } | null;
  hardening: Record<string, boolean | null>;
  sections: { name: string; virtualSize: number; rawSize: number; entropy: number | null; flags: string[] }[];
  checksum: { stored: number; computed: number | null; matches: boolean | null } | null;
  overlay: { offset: number; size: number } | null;
}

/** What the real Windows loader said in an agent process (thunk triage --real-loader). */
export interface RealLoaderRow {
  /** null when the agent could not be asked (no runtime, Wine missing): see error. */
  loads: boolean | null;
  error: LoaderError | null;
  /** The agent's runtime, e.g. "node 22.23.2 win32-ia32 (Wine 8.0)". */
  runtime: string | null;
  agreesWithPrediction: boolean | null;
  /** Modules the load brought in. */
  modules: string[];
  /** Set when no agent could be started to ask: why (the loader's verdict is unknown, not negative). */
  unavailable?: string;
}

/** One analysed file; `error` set when it could not be analysed at all. */
export interface FileReport {
  file: string;
  size: number | null;
  /** 'failed': an internal error in Thunk; the message says so and the run goes on. */
  status: 'analysed' | 'not-pe' | 'unreadable' | 'failed';
  error: string | null;
  machine: MachineName | null;
  summary: FileSummary | null;
  verdicts: Partial<Record<HostArch, VerdictRow>>;
  findings: Pick<Finding, 'code' | 'severity' | 'title' | 'explanation' | 'evidence' | 'fix' | 'hostArch' | 'rootCause'>[];
  exports: ExportRow[];
  imports: ImportRow[];
  delayImports: ImportRow[];
  dependencies: Partial<Record<HostArch, TreeNode>>;
  realLoader?: Partial<Record<HostArch, RealLoaderRow>>;
  /** Authenticode verification: status and one entry per signature; null when not verified. */
  signature?: FileSignatureReport | null;
}

/** The whole JSON document: one per CLI run, whatever the number of files. */
export interface ReportDocument {
  schemaVersion: number;
  tool: { name: 'thunk'; version: string };
  generatedAt: string;
  /** Set when the run stopped before every file found was analysed (a cancelled folder run). */
  incomplete?: { reason: 'cancelled'; filesDone: number; filesFound: number };
  results: FileReport[];
}

/** The single-file document shape: the file's fields at top level, as the CLI prints for one file. */
export type SingleFileDocument = Omit<ReportDocument, 'results'> & FileReport;

/** The several-file JSON document: a summary first (counts, files with blocking problems first), then results[]. */
export type SeveralFilesDocument = Omit<ReportDocument, 'results'> & { summary: JsonSummary; results: FileReport[] };

export interface JsonSummary {
  files: number;
  blocking: number;
  warningsOnly: number;
  clean: number;
  notAnalysed: number;
  /** Blocking files per error, e.g. {"126 ERROR_MOD_NOT_FOUND": 2}. */
  byError: Record<string, number>;
  /** Files with a blocking problem, then those with warnings only. */
  filesWithProblems: { file: string; blocking: boolean }[];
}

/**
 * One document for one file (fields at top level), one with a summary and results[] for several.
 * The shape follows what was analysed, not what a filter left, so scripts always know which to parse.
 */
export function documentJson(document: ReportDocument, singleFile = document.results.length === 1): SeveralFilesDocument | SingleFileDocument {
  const { results, ...head } = document;
  if (singleFile && results.length === 1) return { ...head, ...results[0]! };
  const s = documentSummary(document);
  const summary: JsonSummary = {
    files: s.total, blocking: s.blocking.length, warningsOnly: s.warnings.length, clean: s.clean.length, notAnalysed: s.notAnalysed, byError: s.byError,
    filesWithProblems: [...s.blocking.map((r) => ({ file: r.file, blocking: true })), ...s.warnings.map((r) => ({ file: r.file, blocking: false }))],
  };
  return { ...head, summary, results };
}

/** Findings that are blocking whatever the load verdicts say: a file modified after signing. */
export const BLOCKING_FINDING_CODES: ReadonlySet<string> = new Set(['THK-SIGNATURE-MODIFIED']);

/**
 * True when a file has a blocking problem: it was not analysable, it was modified after signing,
 * it fails in a host it is built for, or it loads in none of the hosts asked about (a 32-bit DLL
 * judged for x64 alone).
 */
export function hasBlockingProblem(report: FileReport): boolean {
  if (report.status !== 'analysed') return true;
  if (report.findings.some((f) => BLOCKING_FINDING_CODES.has(f.code))) return true;
  const verdicts = Object.values(report.verdicts).filter((v): v is VerdictRow => v !== undefined);
  return verdicts.some((v) => v.builtForHost && !v.loads) || verdicts.every((v) => !v.loads);
}

/** Findings about the analysis context rather than the file: shown, but not a problem of the file. */
export const CONTEXT_NOTICE_CODES: ReadonlySet<string> = new Set(['THK-NO-WINDOWS-DIR']);

/** True when a file deserves a place in a --problems-only listing. */
export function hasReportableProblem(report: FileReport): boolean {
  if (hasBlockingProblem(report)) return true;
  return report.findings.some((f) => f.severity !== 'info' && !CONTEXT_NOTICE_CODES.has(f.code));
}

/** Counts for the summary at the top of a several-file report, and its files worst first. */
export interface DocumentSummary {
  total: number;
  blocking: FileReport[];
  /** Blocking files per error, e.g. {"126 ERROR_MOD_NOT_FOUND": 2}. */
  byError: Record<string, number>;
  warnings: FileReport[];
  clean: FileReport[];
  notAnalysed: number;
}

/** The verdict that makes a file's problem blocking: failing in a host it is built for, or in the only host asked about. */
export function failingVerdict(report: FileReport): VerdictRow | null {
  const verdicts = Object.values(report.verdicts).filter((v): v is VerdictRow => v !== undefined);
  return verdicts.find((v) => !v.loads && (v.builtForHost || verdicts.length === 1)) ?? null;
}

/** "126 ERROR_MOD_NOT_FOUND", "0xC0000135 STATUS_DLL_NOT_FOUND". */
export function errorLabel(error: LoaderError): string {
  return `${error.code > 0xffff ? `0x${error.code.toString(16).toUpperCase()}` : error.code} ${error.name}`;
}

export function documentSummary(document: ReportDocument): DocumentSummary {
  const blocking = document.results.filter(hasBlockingProblem);
  const byError: Record<string, number> = {};
  for (const report of blocking) {
    const error = failingVerdict(report)?.error;
    const label = report.status !== 'analysed' ? `not analysed (${report.status})` : error ? errorLabel(error) : 'fails';
    byError[label] = (byError[label] ?? 0) + 1;
  }
  const rest = document.results.filter((r) => !hasBlockingProblem(r));
  const warnings = rest.filter((r) => r.findings.some((f) => f.severity === 'warning' && !CONTEXT_NOTICE_CODES.has(f.code)));
  return {
    total: document.results.length, blocking, byError, warnings, clean: rest.filter((r) => !warnings.includes(r)),
    notAnalysed: document.results.filter((r) => r.status !== 'analysed').length,
  };
}

