import type { ReportFormat } from '../contract/api-contract.ts';
import { documentJson, type ReportDocument } from '../report/report-document.ts';
import { documentHtml } from '../report/html-report.ts';
import { documentMarkdown } from '../report/markdown-report.ts';
import { toJson } from '../cli/write-output.ts';
import { redactValue } from './redact-user-paths.ts';

export interface ExportedReport {
  fileName: string;
  mimeType: string;
  content: string;
}

const FORMATS: Record<ReportFormat, { extension: string; mimeType: string; render: (document: ReportDocument) => string }> = {
  html: { extension: 'html', mimeType: 'text/html', render: documentHtml },
  json: { extension: 'json', mimeType: 'application/json', render: (document) => toJson(documentJson(document)) },
  markdown: { extension: 'md', mimeType: 'text/markdown', render: documentMarkdown },
};

function baseName(document: ReportDocument): string {
  const first = document.results[0]?.file.split(/[\\/]/).pop() ?? 'report';
  const stem = document.results.length === 1 ? first.replace(/\.[^.]+$/, '') : `${document.results.length}-files`;
  return `thunk-${stem.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
}

/** The report in a format, from the same generators as `thunk triage`, optionally without user paths. */
export function exportReport(document: ReportDocument, format: ReportFormat, redactUserPaths: boolean): ExportedReport {
  const source = redactUserPaths ? redactValue(document) : document;
  const spec = FORMATS[format];
  return { fileName: `${baseName(source)}.${spec.extension}`, mimeType: spec.mimeType, content: spec.render(source) };
}
