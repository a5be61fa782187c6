import type { HostArch } from '../resolver/load-context.ts';
import type { FileReport, ReportDocument } from './report-document.ts';
import { signatureOutline } from './signature-section.ts';
import { HOST_LABELS, contextText, documentSummary, fileAnchor, filesWorstFirst, factRows, fileHeadline, hex, incompleteLine, orderedFindings, realLoaderText, summaryLine, treeLines, verdictMood, verdictText } from './report-format.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #d8dce3;padding-bottom:.3rem;margin-top:2.5rem;word-break:break-all}
h3{font-size:1rem;margin-top:1.5rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
td,th{border:1px solid #d8dce3;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f3f5f8}
code,pre{font-family:ui-monospace,Consolas,monospace;font-size:12.5px}pre{background:#f6f8fa;padding:.75rem;overflow-x:auto}
.ok{color:#11703a;font-weight:600}.fail{color:#b42318;font-weight:600}
.finding{border-left:4px solid #98a2b3;padding:.25rem .75rem;margin:.5rem 0}.finding p{margin:.3rem 0}.finding ul{margin:.3rem 0}
.finding.error{border-color:#d92d20}.finding.warning{border-color:#f79009}.finding.info{border-color:#2e90fa}
.muted{color:#667085}details summary{cursor:pointer}.neutral{color:#667085;font-weight:600}
td,th,li,p,h2{overflow-wrap:anywhere}.index li{margin:.15rem 0}.index .fail,.index .ok,.index .warn{font-weight:600}.warn{color:#b54708}.incomplete{border-left:4px solid #f79009;padding:.3rem .6rem;background:#fffaeb}
@media print{
body{margin:0;max-width:none;font-size:11pt}
section.file+section.file{break-before:page}
details::details-content{content-visibility:visible;display:block;height:auto}
details>summary{list-style:none;font-weight:600}
pre{white-space:pre-wrap;overflow-wrap:anywhere;overflow:visible}
table{table-layout:fixed}tr,.finding{break-inside:avoid}
a{color:inherit;text-decoration:none}
}`;

function verdictRows(report: FileReport): string {
  return (Object.entries(report.verdicts) as [HostArch, NonNullable<FileReport['verdicts'][HostArch]>][])
    .map(([arch, v]) => {
      const real = report.realLoader?.[arch];
      const realCell = real ? `<br><span class="muted">${escapeHtml(realLoaderText(real))}</span>` : '';
      const mood = verdictMood(v, report);
      const cls = mood === 'loads' ? 'ok' : mood === 'fails' ? 'fail' : 'neutral';
      return `<tr><td>${HOST_LABELS[arch]}</td><td class="${cls}">${escapeHtml(verdictText(v, report))}${realCell}</td><td>${mood === 'not-for-host' ? '' : escapeHtml(v.rootCause ?? '')}</td><td class="muted">${escapeHtml(contextText(v))}</td></tr>`;
    })
    .join('');
}

function findingsHtml(report: FileReport): string {
  const findings = orderedFindings(report);
  if (findings.length === 0) return '<p>None.</p>';
  return findings
    .map((f) => `<div class="finding ${f.severity}"><p><strong>${escapeHtml(f.severity.toUpperCase())} ${escapeHtml(f.code)}</strong>: ${escapeHtml(f.title)}${f.hostArch ? ` (${f.hostArch})` : ''}</p><p>${escapeHtml(f.explanation)}</p>${
      f.evidence.length ? `<ul>${f.evidence.slice(0, 50).map((e) => `<li><code>${escapeHtml(e)}</code></li>`).join('')}</ul>` : ''
    }<p><strong>Fix:</strong> ${escapeHtml(f.fix)}</p></div>`)
    .join('');
}

function exportsHtml(report: FileReport): string {
  const rows = report.exports
    .map((e) => `<tr><td>${e.ordinal}</td><td><code>${escapeHtml(e.name ?? '(by ordinal)')}</code></td><td><code>${escapeHtml(e.demangled ?? '')}</code></td><td>${e.forwarder ? `→ ${escapeHtml(e.forwarder)}` : e.rva !== undefined ? `${hex(e.rva)} ${e.kind}` : ''}</td></tr>`)
    .join('');
  return `<details${report.exports.length <= 200 ? ' open' : ''}><summary>Exports (${report.exports.length})</summary><table><tr><th>Ordinal</th><th>Name</th><th>Undecorated</th><th>RVA / forwarder</th></tr>${rows}</table></details>`;
}

function importsHtml(report: FileReport): string {
  const modules = [...report.imports, ...report.delayImports.map((d) => ({ ...d, dll: `${d.dll} (delay-load)` }))];
  const items = modules.map((m) => `<li><strong>${escapeHtml(m.dll)}</strong>: <code>${escapeHtml(m.functions.map((f) => ('name' in f ? f.name : `#${f.ordinal}`)).join(', '))}</code></li>`).join('');
  return `<details open><summary>Imports (${modules.length} modules)</summary><ul>${items}</ul></details>`;
}

function signatureHtml(report: FileReport): string {
  if (!report.signature || report.signature.status === 'unsigned') return '';
  const items = signatureOutline(report.signature)
    .map((item) => `<li>${escapeHtml(item.text)}${item.children.length ? `<ul>${item.children.map((child) => `<li><code>${escapeHtml(child)}</code></li>`).join('')}</ul>` : ''}</li>`)
    .join('');
  return `<h3>Authenticode signature</h3><ul>${items}</ul>`;
}

function fileHtml(report: FileReport, index: number): string {
  return `<section class="file" id="${fileAnchor(index)}">${fileBody(report)}</section>`;
}

function fileBody(report: FileReport): string {
  const title = `<h2>${escapeHtml(report.file)}</h2>`;
  if (report.status !== 'analysed') return `${title}<p class="fail">Not analysed: ${escapeHtml(report.error ?? '')}</p>`;
  const facts = factRows(report).map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const trees = Object.entries(report.dependencies)
    .map(([arch, tree]) => (tree ? `<details open><summary>Dependencies (${arch})</summary><pre>${escapeHtml(treeLines(tree).join('\n'))}</pre></details>` : ''))
    .join('');
  return `${title}<table><tr><th>Host</th><th>Verdict</th><th>Root cause</th><th>Load context</th></tr>${verdictRows(report)}</table>
<h3>Findings</h3>${findingsHtml(report)}<h3>File</h3><table>${facts}</table>${signatureHtml(report)}${trees}${exportsHtml(report)}${importsHtml(report)}`;
}

/** The summary and index of several files: counts, then the files with blocking problems first, linked. */
function summaryHtml(document: ReportDocument): string {
  const summary = documentSummary(document);
  const index = new Map(document.results.map((r, i) => [r, i]));
  const item = (cls: string, label: string, r: FileReport): string =>
    `<li><span class="${cls}">${label}</span> <a href="#${fileAnchor(index.get(r)!)}">${escapeHtml(r.file)}</a>: ${escapeHtml(fileHeadline(r))}</li>`;
  const items = [...summary.blocking.map((r) => item('fail', 'blocking', r)), ...summary.warnings.map((r) => item('warn', 'warning', r)), ...summary.clean.map((r) => item('ok', 'ok', r))];
  return `<section class="summary"><h2>Summary</h2><p>${escapeHtml(summaryLine(summary))}.</p><ol class="index">${items.join('')}</ol></section>`;
}

function incompleteHtml(document: ReportDocument): string {
  const line = incompleteLine(document);
  return line ? `<p class="incomplete"><strong>${escapeHtml(line)}.</strong></p>\n` : '';
}

/** A self-contained HTML page (inline CSS, no scripts, no external resources). */
export function documentHtml(document: ReportDocument): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Thunk report</title><style>${STYLE}</style></head><body><h1>Thunk report</h1>
<p class="muted">Generated ${escapeHtml(document.generatedAt)} by Thunk ${escapeHtml(document.tool.version)}; ${document.results.length} file(s).</p>
${incompleteHtml(document)}${document.results.length > 1 ? summaryHtml(document) : ''}
${filesWorstFirst(document).map(({ report, index }) => fileHtml(report, index)).join('\n')}</body></html>
`;
}
