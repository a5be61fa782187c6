import type { HostArch } from '../resolver/load-context.ts';
import { CONTEXT_NOTICE_CODES, documentSummary, errorLabel, failingVerdict, type DocumentSummary, type FileReport, type RealLoaderRow, type ReportDocument, type TreeNode, type VerdictRow } from './report-document.ts';
export { documentSummary };
import { signatureFact } from './signature-section.ts';

export const HOST_LABELS: Record<HostArch, string> = { x86: '32-bit process', x64: '64-bit process' };

export const hex = (value: number): string => `0x${value.toString(16).toUpperCase()}`;

/** How a verdict is shown: loads, fails, or (neutral) not built for this host when other hosts were judged too. */
export type VerdictMood = 'loads' | 'fails' | 'not-for-host';

export function verdictMood(verdict: VerdictRow, report: FileReport): VerdictMood {
  if (verdict.loads) return 'loads';
  return !verdict.builtForHost && Object.keys(report.verdicts).length > 1 ? 'not-for-host' : 'fails';
}

/** "loads" or "fails: 126 ERROR_MOD_NOT_FOUND (The specified module could not be found.)"; with a report, "not for this host (...)". */
export function verdictText(verdict: VerdictRow, report?: FileReport): string {
  if (verdict.loads) return 'loads';
  if (report && verdictMood(verdict, report) === 'not-for-host') {
    return `not for this host${verdict.error ? ` (${verdict.error.code > 0xffff ? hex(verdict.error.code) : verdict.error.code} ${verdict.error.name} if tried)` : ''}`;
  }
  const error = verdict.error;
  const code = error ? `${error.code > 0xffff ? hex(error.code) : error.code} ${error.name}` : 'fails';
  return error ? `fails: ${code} "${error.message}"` : 'fails';
}

/** One line on how the loader was assumed to look. */
export function contextText(verdict: VerdictRow): string {
  const c = verdict.context;
  const parts = [`app dir ${c.applicationDir}`, `load via ${c.loadMethod}${c.searchFlags.length ? ` (${c.searchFlags.join(', ')})` : ''}`];
  parts.push(c.windowsDir ? `Windows dir ${c.windowsDir}` : 'no Windows dir');
  if (c.extraDirs.length) parts.push(`extra dirs ${c.extraDirs.join(', ')}`);
  if (c.hostExecutable) parts.unshift(`host ${c.hostExecutable}`);
  return parts.join('; ');
}

function nodeLabel(node: TreeNode): string {
  const tags: string[] = [];
  if (node.path === null) tags.push(node.strategy === 'api-set-unresolved' ? 'API set, not resolved' : 'NOT FOUND');
  else tags.push(node.strategy);
  if (node.apiSetTarget) tags.push(`-> ${node.apiSetTarget}`);
  if (node.machine && node.path) tags.push(node.machine);
  if (node.delayLoad) tags.push('delay-load');
  if (node.repeated) tags.push('shown above');
  if (node.error) tags.push(`error: ${node.error}`);
  if (node.missingImports?.length) tags.push(`missing: ${node.missingImports.map((m) => m.function).join(', ')}`);
  if (node.skipped?.length) tags.push(`skipped ${node.skipped.map((s) => `${s.path} (${s.reason})`).join('; ')}`);
  return `${node.name} [${tags.join(', ')}]`;
}

/** The dependency tree as indented lines, bounded so a huge tree stays readable. */
export function treeLines(root: TreeNode, maxLines = 400): string[] {
  const lines: string[] = [];
  const visit = (node: TreeNode, prefix: string, last: boolean, isRoot: boolean): void => {
    if (lines.length >= maxLines) return;
    lines.push(isRoot ? nodeLabel(node) : `${prefix}${last ? '└─ ' : '├─ '}${nodeLabel(node)}`);
    const childPrefix = isRoot ? '' : `${prefix}${last ? '   ' : '│  '}`;
    node.children.forEach((child, index) => visit(child, childPrefix, index === node.children.length - 1, false));
  };
  visit(root, '', true, true);
  if (lines.length >= maxLines) lines.push(`… (tree cut at ${maxLines} lines; see the JSON report for all of it)`);
  return lines;
}

/** Hardening flags as "ASLR yes, DEP yes, CFG no, ...", skipping the ones that do not apply. */
export function hardeningText(report: FileReport): string {
  const labels: Record<string, string> = {
    aslr: 'ASLR', highEntropyVa: 'high-entropy VA', dep: 'DEP', cfg: 'CFG', safeSeh: 'SafeSEH', noSeh: 'no-SEH',
    forceIntegrity: 'force-integrity', appContainer: 'AppContainer', securityCookie: 'GS cookie',
  };
  return Object.entries(report.summary?.hardening ?? {})
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${labels[key] ?? key} ${value ? 'yes' : 'no'}`)
    .join(', ');
}

/** Facts for the header block, as label/value pairs (absent ones left out). */
export function factRows(report: FileReport): [string, string][] {
  const s = report.summary;
  if (!s) return [];
  const rows: [string, string | null][] = [
    ['Machine', `${s.machine} (${s.format ?? 'no optional header'})${s.isDll ? ', DLL' : ''}`],
    ['Subsystem', s.subsystem],
    ['Size', report.size === null ? null : `${report.size.toLocaleString('en-US')} bytes`],
    ['Built', s.timestamp],
    ['File version', s.fileVersion],
    ['Product', [s.productName, s.productVersion].filter(Boolean).join(' ') || null],
    ['Company', s.companyName],
    ['Description', s.fileDescription],
    ['PDB', s.pdb ? `${s.pdb.path}${s.pdb.guid ? ` ${s.pdb.guid} age ${s.pdb.age}` : ''}` : null],
    ['Signature', report.signature ? signatureFact(report.signature) : s.signed ? 'Authenticode signature present' : 'not signed'],
    ['.NET', s.dotnet ? `${s.dotnet.flavor} (runtime ${s.dotnet.runtimeVersion}${s.dotnet.metadataVersion ? `, ${s.dotnet.metadataVersion}` : ''})` : null],
    ['Hardening', hardeningText(report) || null],
    ['Checksum', s.checksum ? `${hex(s.checksum.stored)}${s.checksum.matches === false ? ` (computed ${hex(s.checksum.computed ?? 0)}: mismatch)` : s.checksum.matches ? ' (valid)' : ''}` : null],
    ['Overlay', s.overlay ? `${s.overlay.size.toLocaleString('en-US')} bytes at ${hex(s.overlay.offset)}` : null],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== null && row[1] !== '');
}

/** Findings in display order: blocking, then warnings, then information; within each, root causes first. */
export function orderedFindings(report: FileReport): FileReport['findings'] {
  const rank = { error: 1, warning: 2, info: 3 } as const;
  return [...report.findings].sort((a, b) => rank[a.severity] - rank[b.severity] || Number(b.rootCause) - Number(a.rootCause));
}

/** "3 files: 1 with a blocking problem, 1 with warnings only, 1 without problems". */
export function summaryLine(summary: DocumentSummary): string {
  const errors = Object.entries(summary.byError).map(([label, count]) => `${label} ×${count}`).join(', ');
  const parts = [`${summary.blocking.length} with a blocking problem${errors ? ` (${errors})` : ''}`, `${summary.warnings.length} with warnings only`, `${summary.clean.length} without problems`];
  return `${summary.total} file${summary.total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** The one line a summary shows per file: its worst verdict or error. */
export function fileHeadline(report: FileReport): string {
  if (report.status !== 'analysed') return report.error ?? report.status;
  const failing = failingVerdict(report);
  if (failing) {
    const code = failing.error ? errorLabel(failing.error) : 'fails';
    return `${code}${failing.rootCause ? `: ${failing.rootCause}` : ''}`;
  }
  const warning = report.findings.find((f) => f.severity === 'warning' && !CONTEXT_NOTICE_CODES.has(f.code));
  return warning ? `loads; warning: ${warning.title}` : 'loads';
}

/** "real loader (runtime): loads — agrees with the prediction". */
export function realLoaderText(row: RealLoaderRow): string {
  if (row.unavailable) return `real loader unavailable: ${row.unavailable}`;
  const verdict = row.loads === null ? `not asked: ${row.error?.message ?? 'no agent'}` : row.loads ? 'loads' : `fails: ${row.error ? `${row.error.code} ${row.error.name} "${row.error.message}"` : ''}`;
  const agreement = row.agreesWithPrediction === null ? '' : row.agreesWithPrediction ? ' (agrees with the prediction)' : ' (DISAGREES with the prediction)';
  return `real loader${row.runtime ? ` [${row.runtime}]` : ''}: ${verdict}${agreement}`;
}

/** The anchor of a file's section in HTML and Markdown, so the summary can link to it. */
export function fileAnchor(index: number): string {
  return `file-${index + 1}`;
}

/** The files worst first (blocking, then warnings, then clean), each with its index in results[] for its anchor. */
export function filesWorstFirst(document: ReportDocument): { report: FileReport; index: number }[] {
  const summary = documentSummary(document);
  const index = new Map(document.results.map((r, i) => [r, i]));
  return [...summary.blocking, ...summary.warnings, ...summary.clean].map((report) => ({ report, index: index.get(report)! }));
}

/** Says that a report holds only part of what was found, or null for a whole one. */
export function incompleteLine(document: Pick<ReportDocument, 'incomplete'>): string | null {
  const gap = document.incomplete;
  if (!gap) return null;
  return `Incomplete: the triage was cancelled after ${gap.filesDone} of ${gap.filesFound} files; the ${gap.filesFound - gap.filesDone} not reached are not in this report`;
}
