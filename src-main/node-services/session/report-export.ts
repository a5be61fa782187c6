import type { ReportFormat } from '../../contract/api-contract.ts';
import { documentJson, type ReportDocument } from '../../analysis/report/report-document.ts';
import { documentHtml } from '../../analysis/report/html-report.ts';
import { documentMarkdown } from '../../analysis/report/markdown-report.ts';
import { toJson } from '../../cli/write-output.ts';
import { redactValue } from './redact-user-paths.ts';
import { sessionHtml, sessionMarkdown, sessionSection, type SessionSection } from './session-report.ts';

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

/** The optional session section (calls on the report's files) in each format. */
const WITH_SESSION: Record<ReportFormat, (content: string, session: SessionSection) => string> = {
  html: (content, session) => content.replace(/<\/body><\/html>\s*$/, `${sessionHtml(session)}</body></html>\n`),
  json: (content, session) => toJson({ ...(JSON.parse(content) as object), session }),
  markdown: (content, session) => `${content.replace(/\n*$/, '\n')}${sessionMarkdown(session)}`,
};

/** The report in a format, from the same generators as `thunk triage`, optionally without user paths and with the session's calls. */
export function exportReport(document: ReportDocument, format: ReportFormat, redactUserPaths: boolean, history?: SessionSection): ExportedReport {
  const session = history ? sessionSection(document.results.map((r) => r.file), history) : null;
  const source = redactUserPaths ? redactValue(document) : document;
  const spec = FORMATS[format];
  const content = spec.render(source);
  const withSession = session ? WITH_SESSION[format](content, redactUserPaths ? redactValue(session) : session) : content;
  return { fileName: `${baseName(source)}.${spec.extension}`, mimeType: spec.mimeType, content: withSession };
}
