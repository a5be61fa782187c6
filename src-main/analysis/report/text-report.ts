import type { HostArch } from '../resolver/load-context.ts';
import { CONTEXT_NOTICE_CODES, hasReportableProblem, type FileReport, type ImportRow, type ReportDocument } from './report-document.ts';
import { HOST_LABELS, contextText, documentSummary, factRows, filesWorstFirst, fileHeadline, orderedFindings, realLoaderText, summaryLine, treeLines, verdictMood, verdictText } from './report-format.ts';
import { signatureOutline } from './signature-section.ts';

const ICONS = { error: '✗', warning: '!', info: 'i' } as const;
const MARKS = { loads: '✓', fails: '✗', 'not-for-host': '–' } as const;
const EVIDENCE_LINES = 6;

export interface TextOptions {
  problemsOnly?: boolean;
  withTree?: boolean;
  withImports?: boolean;
}

/** Names come from untrusted files: no escape sequences or carriage returns reach the terminal. */
export function terminalSafe(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, '?');
}

function verdictLines(report: FileReport, options: TextOptions): string[] {
  const lines: string[] = [];
  for (const [arch, verdict] of Object.entries(report.verdicts) as [HostArch, NonNullable<FileReport['verdicts'][HostArch]>][]) {
    lines.push(`  ${MARKS[verdictMood(verdict, report)]} ${HOST_LABELS[arch]}: ${verdictText(verdict, report)}`);
    if (verdict.rootCause && verdictMood(verdict, report) !== 'not-for-host') lines.push(`      cause: ${verdict.rootCause}`);
    const real = report.realLoader?.[arch];
    if (real) lines.push(`      ${realLoaderText(real)}`);
    if (!options.problemsOnly) lines.push(`      context: ${contextText(verdict)}`);
  }
  return lines;
}

// The evidence of blocking findings and warnings (the chain, the copy skipped and where) is what
// an engineer needs without --tree; information stays one line.
function findingLines(report: FileReport, options: TextOptions): string[] {
  const lines: string[] = [];
  const findings = orderedFindings(report).filter((f) => !options.problemsOnly || (f.severity !== 'info' && !CONTEXT_NOTICE_CODES.has(f.code)));
  for (const finding of findings) {
    lines.push(`  ${ICONS[finding.severity]} [${finding.code}] ${finding.title}${finding.hostArch ? ` (${finding.hostArch})` : ''}`);
    if (finding.severity === 'info') continue;
    if (CONTEXT_NOTICE_CODES.has(finding.code)) {
      lines.push(`      fix: ${finding.fix}`);
      continue;
    }
    for (const evidence of finding.evidence.slice(0, EVIDENCE_LINES)) lines.push(`      · ${evidence}`);
    if (finding.evidence.length > EVIDENCE_LINES) lines.push(`      · … ${finding.evidence.length - EVIDENCE_LINES} more (see --json)`);
    lines.push(`      fix: ${finding.fix}`);
  }
  return lines;
}

function importLines(label: string, modules: ImportRow[]): string[] {
  return modules.map((m) => `    ${m.dll}${label}: ${m.functions.map((f) => ('name' in f ? f.name : `#${f.ordinal}`)).join(', ')}`);
}

/** The readable terminal summary of one file. */
export function fileText(report: FileReport, options: TextOptions = {}): string {
  const lines = [`${report.file}`];
  if (report.status !== 'analysed') {
    lines.push(`  ✗ ${report.error}`);
    return lines.join('\n');
  }
  lines.push(...verdictLines(report, options), ...findingLines(report, options));
  if (options.problemsOnly) return lines.join('\n');
  for (const [label, value] of factRows(report)) lines.push(`  ${label.padEnd(13)} ${value}`);
  lines.push(`  Exports       ${report.exports.length} (${report.exports.filter((e) => e.forwarder).length} forwarded, ${report.exports.filter((e) => !e.name).length} by ordinal only)`);
  lines.push(`  Imports       ${report.imports.length} modules, ${report.imports.reduce((n, m) => n + m.functions.length, 0)} functions; delay-load ${report.delayImports.length} modules${options.withImports ? '' : ' (--imports lists them)'}`);
  lines.push(...signatureLines(report));
  if (options.withImports) lines.push(...importLines('', report.imports), ...importLines(' (delay-load)', report.delayImports));
  return lines.join('\n');
}

function summaryBlock(document: ReportDocument): string {
  const summary = documentSummary(document);
  const lines = [summaryLine(summary)];
  for (const report of summary.blocking) lines.push(`  ✗ ${report.file}: ${fileHeadline(report)}`);
  for (const report of summary.warnings) lines.push(`  ! ${report.file}: ${fileHeadline(report)}`);
  return lines.join('\n');
}

/** The Authenticode section: only for signed files (an unsigned one says so in its findings and facts). */
export function signatureLines(report: FileReport): string[] {
  if (!report.signature || report.signature.status === 'unsigned') return [];
  return ['  Authenticode', ...signatureOutline(report.signature).flatMap((item) => [`    ${item.text}`, ...item.children.map((child) => `      ${child}`)])];
}

/** The full text report for `thunk triage`; with problemsOnly, files without problems are left out. */
export function documentText(document: ReportDocument, options: TextOptions = {}): string {
  const blocks: string[] = [];
  if (document.results.length > 1) blocks.push(summaryBlock(document));
  for (const { report } of filesWorstFirst(document)) {
    if (options.problemsOnly && !hasReportableProblem(report)) continue;
    let block = fileText(report, options);
    if (options.withTree) {
      for (const [arch, tree] of Object.entries(report.dependencies)) {
        if (tree) block += `\n  Dependencies (${arch}):\n${treeLines(tree).map((l) => `    ${l}`).join('\n')}`;
      }
    }
    blocks.push(block);
  }
  if (options.problemsOnly && !document.results.some(hasReportableProblem)) blocks.push(`No problems found in ${document.results.length} file(s).`);
  const unchecked = document.results.filter((r) => r.findings.some((f) => CONTEXT_NOTICE_CODES.has(f.code))).length;
  if (options.problemsOnly && unchecked > 0) blocks.push(`Note: system DLLs were not checked for ${unchecked} file(s): no Windows folder (give --windows-dir).`);
  return terminalSafe(`${blocks.join('\n\n')}\n`);
}
