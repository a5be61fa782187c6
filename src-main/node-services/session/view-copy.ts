import type { FileReport } from '../../analysis/report/report-document.ts';

/** The view's copy of a report: what the screens show, without the long lists and the trees. */
export function withoutLists(report: FileReport): FileReport {
  return { ...report, exports: [], imports: [], delayImports: [], dependencies: {} };
}
