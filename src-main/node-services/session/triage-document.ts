import { createCaches } from '../../analysis/resolver/module-locator.ts';
import { analyseFile, type TriageOptions } from '../../analysis/triage/analyse-file.ts';
import { scanInputs } from '../../analysis/triage/scan-inputs.ts';
import { failedFileReport } from '../../analysis/report/build-file-report.ts';
import { SCHEMA_VERSION, type FileReport, type ReportDocument } from '../../analysis/report/report-document.ts';
import { VERSION } from '../../analysis/report/tool-version.ts';

const ACCESS_WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied: Thunk cannot read it (run as a user that can, or copy it somewhere readable)',
  EPERM: 'permission denied: Thunk cannot read it (run as a user that can, or copy it somewhere readable)',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ELOOP: 'a symbolic link loop',
};

function accessError(path: string, error: NodeJS.ErrnoException): string {
  return `${path}: ${ACCESS_WORDS[error.code ?? ''] ?? error.message}`;
}

/** Called before each file and once at the end (file ''); may throw to stop the run. */
export type TriageProgress = (done: number, total: number, file: string) => void;

/** For the folder view: each report as it is made, and a way to stop between files keeping those done. */
export interface TriageHooks {
  onResult?: (report: FileReport, index: number, total: number) => void;
  stopped?: () => boolean;
}

/** Builds the report document for the given inputs (files or folders, scanned recursively). */
export function triageDocument(inputs: string[], options: TriageOptions, onProgress?: TriageProgress, hooks: TriageHooks = {}): ReportDocument {
  const entries = scanInputs(inputs);
  const shared: TriageOptions = { ...options, caches: options.caches ?? createCaches() };
  const results: FileReport[] = [];
  for (const [index, entry] of entries.entries()) {
    if (hooks.stopped?.()) break;
    onProgress?.(index, entries.length, entry.path);
    const report = entry.error ? failedFileReport(entry.path, 'unreadable', accessError(entry.path, entry.error), null) : analyseFile(entry.path, shared);
    results.push(report);
    hooks.onResult?.(report, index, entries.length);
  }
  onProgress?.(results.length, entries.length, '');
  const incomplete = results.length < entries.length ? { incomplete: { reason: 'cancelled' as const, filesDone: results.length, filesFound: entries.length } } : {};
  return { schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: VERSION }, generatedAt: new Date().toISOString(), ...incomplete, results };
}
