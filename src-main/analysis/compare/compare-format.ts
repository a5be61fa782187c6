// A comparison as text, Markdown and self-contained HTML (the same sections in each), and JSON.
import { escapeHtml } from '../report/html-report.ts';
import { escapeMarkdown } from '../report/markdown-report.ts';
import { SCHEMA_VERSION } from '../report/report-document.ts';
import { VERSION } from '../report/tool-version.ts';
import type { ComparedExport, Comparison, ImportModuleDifference } from './compare-reports.ts';

const HOSTS = { x86: '32-bit process', x64: '64-bit process' } as const;

export function exportText(entry: ComparedExport): string {
  const name = entry.name ?? '(by ordinal)';
  return `${name} @${entry.ordinal}${entry.forwarder ? ` → ${entry.forwarder}` : ''}`;
}

export function moduleText(module: ImportModuleDifference): string {
  return `${module.dll}${module.delayLoad ? ' (delay-load)' : ''}`;
}

interface Section {
  title: string;
  header: string[];
  rows: string[][];
  empty: string;
}

function sections(c: Comparison): Section[] {
  const exportsRows = [
    ...c.exports.added.map((e) => ['added', '', exportText(e)]),
    ...c.exports.removed.map((e) => ['removed', exportText(e), '']),
    ...c.exports.changed.map((x) => [`changed (${x.what.join(', ')})`, exportText(x.a), exportText(x.b)]),
  ];
  const importRows = c.imports.filter((m) => m.change !== 'same').map((m) => [moduleText(m), m.change, m.added.join(', ') || '—', m.removed.join(', ') || '—']);
  return [
    { title: 'Files', header: ['', 'A', 'B'], rows: [['file', c.a.file, c.b.file], ...c.facts.map((f) => [`${f.changed ? '≠ ' : ''}${f.label}`, f.a, f.b])], empty: '' },
    { title: 'Dependency verdicts', header: ['host', 'A', 'B'], rows: c.verdicts.map((v) => [`${v.changed ? '≠ ' : ''}${HOSTS[v.host]}`, v.a, v.b]), empty: 'no host judged' },
    { title: `Exports (${c.exports.unchanged} unchanged)`, header: ['change', 'A', 'B'], rows: exportsRows, empty: 'no export added, removed or changed' },
    { title: 'Imports', header: ['module', 'change', 'functions added', 'functions removed'], rows: importRows, empty: 'no import added or removed' },
  ];
}

function textTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export function comparisonText(c: Comparison): string {
  const lines = [`A: ${c.a.file}`, `B: ${c.b.file}`, c.headline];
  for (const section of sections(c)) {
    lines.push('', section.title);
    if (section.rows.length === 0) lines.push(`  ${section.empty}`);
    else lines.push(...textTable(section.header, section.rows).map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

export function comparisonMarkdown(c: Comparison): string {
  const cell = escapeMarkdown;
  const lines = [`# Thunk comparison`, '', `**${escapeMarkdown(c.headline)}**`, ''];
  for (const section of sections(c)) {
    lines.push(`## ${escapeMarkdown(section.title)}`, '');
    if (section.rows.length === 0) { lines.push(`_${escapeMarkdown(section.empty)}_`, ''); continue; }
    lines.push(`| ${section.header.map(cell).join(' | ')} |`, `|${section.header.map(() => '---').join('|')}|`);
    for (const row of section.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #d8dce3;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f3f5f8}.changed td:first-child{font-weight:600;color:#b42318}.muted{color:#667085}h2{font-size:1.15rem;margin-top:2rem}`;

export function comparisonHtml(c: Comparison): string {
  const body = sections(c).map((section) => {
    if (section.rows.length === 0) return `<h2>${escapeHtml(section.title)}</h2><p class="muted">${escapeHtml(section.empty)}</p>`;
    const head = `<tr>${section.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
    const rows = section.rows.map((row) => `<tr${row[0]!.startsWith('≠') ? ' class="changed"' : ''}>${row.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('');
    return `<h2>${escapeHtml(section.title)}</h2><table>${head}${rows}</table>`;
  }).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Thunk comparison: ${escapeHtml(c.a.name)} and ${escapeHtml(c.b.name)}</title><style>${STYLE}</style></head><body>
<h1>Thunk comparison</h1><p><strong>${escapeHtml(c.headline)}</strong></p>
${body}</body></html>
`;
}

/** The JSON document of `thunk compare --json` (schemaVersion as the triage document). */
export function comparisonJson(c: Comparison): object {
  return { schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: VERSION }, generatedAt: new Date().toISOString(), comparison: c };
}
