import type { HostArch } from '../resolver/load-context.ts';
import type { FileReport, ReportDocument } from './report-document.ts';
import { signatureOutline } from './signature-section.ts';
import { HOST_LABELS, contextText, documentSummary, fileAnchor, filesWorstFirst, factRows, fileHeadline, hex, incompleteLine, orderedFindings, realLoaderText, summaryLine, treeLines, verdictMood, verdictText } from './report-format.ts';

/** Escapes text for a Markdown table cell or line. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]|<>#])/g, '\\$1').replace(/\r\n?|[\n\u2028\u2029]/g, ' ');
}

const oneLine = (text: string): string => text.replace(/[\x00-\x1f\x7f\u2028\u2029]/g, ' ');

const MOOD_ICONS = { loads: '✅', fails: '❌', 'not-for-host': '➖' } as const;


// Every line of a finding below its bullet is indented by the bullet's width and separated by
// blank lines, so renderers keep the explanation, evidence and fix inside that list item.
function findingMarkdown(f: FileReport['findings'][number]): string[] {
  const out = [`- **${f.severity.toUpperCase()} ${escapeMarkdown(f.code)}**: ${escapeMarkdown(f.title)}${f.hostArch ? ` (${f.hostArch})` : ''}`, '', `  ${escapeMarkdown(f.explanation)}`];
  if (f.evidence.length > 0) out.push('', ...f.evidence.slice(0, 20).map((e) => `  - ${escapeMarkdown(e)}`));
  out.push('', `  **Fix:** ${escapeMarkdown(f.fix)}`, '');
  return out;
}

function fileMarkdown(report: FileReport, index: number): string {
  const out = [`<a id="${fileAnchor(index)}"></a>`, '', `## ${escapeMarkdown(report.file)}`, ''];
  if (report.status !== 'analysed') return [...out, `**Not analysed:** ${escapeMarkdown(report.error ?? '')}`, ''].join('\n');
  out.push('| Host | Verdict | Root cause |', '|---|---|---|');
  for (const [arch, verdict] of Object.entries(report.verdicts) as [HostArch, NonNullable<FileReport['verdicts'][HostArch]>][]) {
    const mood = verdictMood(verdict, report);
    out.push(`| ${HOST_LABELS[arch]} | ${MOOD_ICONS[mood]} ${escapeMarkdown(verdictText(verdict, report))} | ${mood === 'not-for-host' ? '' : escapeMarkdown(verdict.rootCause ?? '')} |`);
  }
  for (const [arch, row] of Object.entries(report.realLoader ?? {})) if (row) out.push('', `${HOST_LABELS[arch as HostArch]}: ${escapeMarkdown(realLoaderText(row))}`);
  const first = Object.values(report.verdicts)[0];
  if (first) out.push('', `Load context: ${escapeMarkdown(contextText(first))}`);
  out.push('', '### Findings', '');
  const findings = orderedFindings(report);
  if (findings.length === 0) out.push('None.', '');
  for (const f of findings) out.push(...findingMarkdown(f));
  out.push('### File', '', '| Fact | Value |', '|---|---|');
  for (const [label, value] of factRows(report)) out.push(`| ${label} | ${escapeMarkdown(value)} |`);
  out.push(...signatureMarkdown(report));
  for (const [arch, tree] of Object.entries(report.dependencies)) {
    // An indented code block: names from the file cannot close it the way they could a fence.
    if (tree) out.push('', `### Dependencies (${arch})`, '', ...treeLines(tree).map((line) => `    ${oneLine(line)}`));
  }
  out.push('', `### Exports (${report.exports.length})`, '', '| Ordinal | Name | Undecorated | RVA / forwarder |', '|---|---|---|---|');
  for (const e of report.exports) {
    out.push(`| ${e.ordinal} | ${escapeMarkdown(e.name ?? '(by ordinal)')} | ${escapeMarkdown(e.demangled ?? '')} | ${e.forwarder ? `→ ${escapeMarkdown(e.forwarder)}` : e.rva !== undefined ? `${hex(e.rva)} ${e.kind}` : ''} |`);
  }
  out.push('', '### Imports', '');
  for (const m of [...report.imports, ...report.delayImports.map((d) => ({ ...d, dll: `${d.dll} (delay-load)` }))]) {
    const names = m.functions.map((f) => ('name' in f ? f.name : `#${f.ordinal}`));
    out.push(`- **${escapeMarkdown(m.dll)}**: ${escapeMarkdown(names.join(', '))}`);
  }
  return [...out, ''].join('\n');
}

function signatureMarkdown(report: FileReport): string[] {
  if (!report.signature || report.signature.status === 'unsigned') return [];
  return ['', '### Authenticode signature', '', ...signatureOutline(report.signature).flatMap((item) => [`- ${escapeMarkdown(item.text)}`, ...item.children.map((child) => `  - ${escapeMarkdown(child)}`)])];
}

/** The summary of several files: counts, then the files with blocking problems first, linked to their sections. */
function summaryMarkdown(document: ReportDocument): string[] {
  const summary = documentSummary(document);
  const index = new Map(document.results.map((r, i) => [r, i]));
  const item = (icon: string, r: FileReport): string => `- ${icon} [${escapeMarkdown(r.file)}](#${fileAnchor(index.get(r)!)}): ${escapeMarkdown(fileHeadline(r))}`;
  return ['## Summary', '', `${summaryLine(summary)}.`, '', ...summary.blocking.map((r) => item('❌', r)), ...summary.warnings.map((r) => item('⚠️', r)), ...summary.clean.map((r) => item('✅', r)), ''];
}

/** The whole document as Markdown, for a ticket or a chat. */
export function documentMarkdown(document: ReportDocument): string {
  const head = [`# Thunk report`, '', `Generated ${document.generatedAt} by Thunk ${document.tool.version}; ${document.results.length} file(s).`, ''];
  const incomplete = incompleteLine(document);
  if (incomplete) head.push(`**${incomplete}.**`, '');
  if (document.results.length > 1) head.push(...summaryMarkdown(document));
  return [...head, ...filesWorstFirst(document).map(({ report, index }) => fileMarkdown(report, index))].join('\n');
}
