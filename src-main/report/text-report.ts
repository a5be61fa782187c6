import type { HostArch } from '../resolver/load-context.ts';
import { CONTEXT_NOTICE_CODES, hasReportableProblem, type FileReport, type ReportDocument } from './report-document.ts';
import { signatureOutline } from './signature-section.ts';
import { HOST_LABELS, contextText, factRows, orderedFindings, realLoaderText, treeLines, verdictText } from './report-format.ts';

const ICONS = { error: '✗', warning: '!', info: 'i' } as const;

/** Names come from untrusted files: no escape sequences or carriage returns reach the terminal. */
export function terminalSafe(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, '?');
}

/** The readable terminal summary of one file. */
export function fileText(report: FileReport, options: { problemsOnly?: boolean } = {}): string {
  const lines = [`${report.file}`];
  if (report.status !== 'analysed') {
    lines.push(`  ✗ ${report.error}`);
    return lines.join('\n');
  }
  for (const [arch, verdict] of Object.entries(report.verdicts) as [HostArch, NonNullable<FileReport['verdicts'][HostArch]>][]) {
    const mark = verdict.loads ? '✓' : verdict.builtForHost ? '✗' : '–';
    lines.push(`  ${mark} ${HOST_LABELS[arch]}: ${verdictText(verdict)}`);
    if (verdict.rootCause) lines.push(`      cause: ${verdict.rootCause}`);
    const real = report.realLoader?.[arch];
    if (real) lines.push(`      ${realLoaderText(real)}`);
    if (!options.problemsOnly) lines.push(`      context: ${contextText(verdict)}`);
  }
  const findings = orderedFindings(report).filter((f) => !options.problemsOnly || (f.severity !== 'info' && !CONTEXT_NOTICE_CODES.has(f.code)));
  for (const finding of findings) {
    lines.push(`  ${ICONS[finding.severity]} [${finding.code}] ${finding.title}${finding.hostArch ? ` (${finding.hostArch})` : ''}`);
    if (finding.severity !== 'info') lines.push(`      fix: ${finding.fix}`);
  }
  if (options.problemsOnly) return lines.join('\n');
  for (const [label, value] of factRows(report)) lines.push(`  ${label.padEnd(13)} ${value}`);
  lines.push(`  Exports       ${report.exports.length} (${report.exports.filter((e) => e.forwarder).length} forwarded, ${report.exports.filter((e) => !e.name).length} by ordinal only)`);
  lines.push(`  Imports       ${report.imports.length} modules, ${report.imports.reduce((n, m) => n + m.functions.length, 0)} functions; delay-load ${report.delayImports.length} modules`);
  lines.push(...signatureLines(report));
  return lines.join('\n');
}

/** The Authenticode section: only for signed files (an unsigned one says so in its findings and facts). */
export function signatureLines(report: FileReport): string[] {
  if (!report.signature || report.signature.status === 'unsigned') return [];
  return ['  Authenticode', ...signatureOutline(report.signature).flatMap((item) => [`    ${item.text}`, ...item.children.map((child) => `      ${child}`)])];
}

/** The full text report for `thunk triage`; with problemsOnly, files without problems are left out. */
export function documentText(document: ReportDocument, options: { problemsOnly?: boolean; withTree?: boolean } = {}): string {
  const blocks: string[] = [];
  for (const report of document.results) {
    if (options.problemsOnly && !hasReportableProblem(report)) continue;
    let block = fileText(report, options);
    if (options.withTree) {
      for (const [arch, tree] of Object.entries(report.dependencies)) {
        if (tree) block += `\n  Dependencies (${arch}):\n${treeLines(tree).map((l) => `    ${l}`).join('\n')}`;
      }
    }
    blocks.push(block);
  }
  if (blocks.length === 0) blocks.push(`No problems found in ${document.results.length} file(s).`);
  const unchecked = document.results.filter((r) => r.findings.some((f) => CONTEXT_NOTICE_CODES.has(f.code))).length;
  if (options.problemsOnly && unchecked > 0) blocks.push(`Note: system DLLs were not checked for ${unchecked} file(s): no Windows folder (give --windows-dir).`);
  return terminalSafe(`${blocks.join('\n\n')}\n`);
}
