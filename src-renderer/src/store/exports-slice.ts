import type { StateCreator } from 'zustand';
import type { ExportRow } from '../../../src-main/contract/api-contract.ts';
import { EXPORT_COLUMNS, type ColumnId, type SortOrder } from '../ui/exports/export-table-model.ts';

/** A request's state, per open file. */
export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

/** The exports browser's state: layout and sort outlive the file shown; rows are kept per open file. */
export interface ExportsSlice {
  exportsLayout: { sort: SortOrder; order: ColumnId[]; hidden: ColumnId[]; widths: Partial<Record<ColumnId, number>> };
  /** The search text belongs to one open document (a new file starts unfiltered); the regex switch is a preference. */
  exportsSearch: { documentId: string | null; text: string; regex: boolean };
  exportsByFile: Record<string, Loadable<ExportRow[]>>;
  /** What following a forwarder found, or why it could not. */
  exportsNotice: { documentId: string; tone: 'info' | 'fail'; text: string } | null;
}

export const exportsSlice: StateCreator<ExportsSlice> = () => ({
  exportsLayout: { sort: { column: 'ordinal', direction: 'ascending' }, order: EXPORT_COLUMNS.map((c) => c.id), hidden: [], widths: {} },
  exportsSearch: { documentId: null, text: '', regex: false },
  exportsByFile: {},
  exportsNotice: null,
});

/** Key of one file of one open document. */
export const fileKey = (documentId: string, file: string): string => `${documentId}\n${file}`;

/** Per-file data kept for this many files; a folder's files are fetched again when shown again. */
const KEPT_FILES = 6;

/** The map with `key` set, the oldest entries beyond KEPT_FILES dropped. */
export function keepRecentFiles<T>(map: Record<string, T>, key: string, value: T): Record<string, T> {
  const next = { ...map, [key]: value };
  const keys = Object.keys(next);
  for (const old of keys.slice(0, Math.max(0, keys.length - KEPT_FILES))) delete next[old];
  return next;
}
