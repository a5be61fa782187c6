import { ApiError } from '../../../src-main/contract/api-contract.ts';
import { moveColumn, type ColumnId, type SortOrder } from '../ui/exports/export-table-model.ts';
import { apiClient, openPaths, selectTab } from './actions.ts';
import { fileKey, keepRecentFiles, type ExportsSlice } from './exports-slice.ts';
import { appStore } from './store.ts';

const message = (error: unknown): string => (error instanceof ApiError ? error.message : (error as Error)?.message ?? String(error));

/** Fetches one file's exports once per open document. */
export async function loadExports(documentId: string, file: string): Promise<void> {
  const key = fileKey(documentId, file);
  if (appStore.getState().exportsByFile[key]) return;
  const set = (value: ExportsSlice['exportsByFile'][string]): void => appStore.setState((s) => ({ exportsByFile: keepRecentFiles(s.exportsByFile, key, value) }));
  set({ state: 'loading' });
  try {
    const { rows } = await apiClient().request('exports.list', { id: documentId, file });
    set({ state: 'ready', value: rows });
  } catch (error) {
    set({ state: 'failed', message: message(error) });
  }
}

export function setExportsSearch(documentId: string, change: Partial<Omit<ExportsSlice['exportsSearch'], 'documentId'>>): void {
  appStore.setState((s) => {
    const text = s.exportsSearch.documentId === documentId ? s.exportsSearch.text : '';
    return { exportsSearch: { ...s.exportsSearch, text, ...change, documentId } };
  });
}

/** Click or Enter on a column header: that column ascending, again for descending. */
export function sortExportsBy(column: ColumnId): void {
  appStore.setState((s) => {
    const current = s.exportsLayout.sort;
    const sort: SortOrder = { column, direction: current.column === column && current.direction === 'ascending' ? 'descending' : 'ascending' };
    return { exportsLayout: { ...s.exportsLayout, sort } };
  });
}

export function toggleExportsColumn(column: ColumnId): void {
  appStore.setState((s) => {
    const hidden = s.exportsLayout.hidden.includes(column) ? s.exportsLayout.hidden.filter((c) => c !== column) : [...s.exportsLayout.hidden, column];
    return { exportsLayout: { ...s.exportsLayout, hidden } };
  });
}

/** Moves a column one place earlier or later (the Columns menu's arrows). */
export function moveExportsColumn(column: ColumnId, by: -1 | 1): void {
  appStore.setState((s) => ({ exportsLayout: { ...s.exportsLayout, order: moveColumn(s.exportsLayout.order, column, by) } }));
}

export function setExportsColumnWidth(column: ColumnId, width: number): void {
  appStore.setState((s) => ({ exportsLayout: { ...s.exportsLayout, widths: { ...s.exportsLayout.widths, [column]: Math.round(Math.min(900, Math.max(48, width))) } } }));
}

export function dismissExportsNotice(): void {
  appStore.setState({ exportsNotice: null });
}

/**
 * Opens the module a forwarder points to, found in the load context the file was judged in, and
 * shows the forwarded function there; or says in words why it cannot.
 */
export async function followForwarder(documentId: string, file: string, forwarder: string): Promise<void> {
  appStore.setState({ exportsNotice: { documentId, tone: 'info', text: `Looking for the module of ${forwarder}…` } });
  try {
    const target = await apiClient().request('exports.resolveForwarder', { id: documentId, file, forwarder });
    if (!target.path) {
      appStore.setState({ exportsNotice: { documentId, tone: 'fail', text: `Cannot open ${target.module} (${forwarder}): ${target.reason ?? 'not found'}.` } });
      return;
    }
    const from = file.split(/[\\/]/).pop();
    await openPaths([target.path]);
    const { opened, phase } = appStore.getState();
    if (phase !== 'triage' || !opened) return;
    // An ordinal forwarder names "#12": the search finds that ordinal.
    setExportsSearch(opened.id, { text: target.function, regex: false });
    selectTab('exports');
    appStore.setState({ exportsNotice: { documentId: opened.id, tone: 'info', text: `Opened ${target.module}, found in ${target.how ?? 'the load context'} (${target.host} process), from ${from}'s forwarder ${forwarder}.` } });
  } catch (error) {
    appStore.setState({ exportsNotice: { documentId, tone: 'fail', text: `Cannot follow ${forwarder}: ${message(error)}` } });
  }
}
