import { ApiError, type ReportFormat } from '../../../src-main/contract/api-contract.ts';
import type { ClientApi } from '../api/client-api.ts';
import { appStore } from './store.ts';
import { initialFolderView, type FolderSortKey, type FolderView } from './folder-slice.ts';

let api: ClientApi;
let jobCounter = 0;

const message = (error: unknown): string => (error instanceof ApiError ? error.message : (error as Error)?.message ?? String(error));

/** Rows pushed by the service join the table of the run they belong to. */
export function connectFolders(client: ClientApi): void {
  api = client;
  client.on('folder.rows', (batch) => appStore.setState((s) => {
    if (!s.folder || s.folder.jobId !== batch.jobId || s.folder.id !== null) return {};
    return { folder: { ...s.folder, rows: [...s.folder.rows, ...batch.rows], done: batch.done, total: batch.total, file: batch.file } };
  }));
}

/** True when the paths make a set (a folder, or several files): the folder table rather than one file's view. */
export async function isSet(paths: string[]): Promise<boolean> {
  return (await api.request('paths.kind', { paths })).kind === 'set';
}

/** Triages a folder (or several files) into the table, rows appearing as files are done. */
export async function openFolder(paths: string[]): Promise<void> {
  const jobId = `folder-${Date.now()}-${++jobCounter}`;
  const startedAt = performance.now();
  appStore.setState({
    phase: 'folder', error: null, fileFromFolder: false, folderView: initialFolderView,
    folder: { jobId, inputs: paths, id: null, state: 'running', rows: [], done: 0, total: 0, file: '', startedAt, elapsedMs: null, error: null },
  });
  try {
    const opened = await api.request('folder.open', { jobId, paths });
    const have = appStore.getState().folder?.rows ?? [];
    const rows = have.length < opened.rowCount ? [...have, ...(await api.request('folder.table', { id: opened.id, from: have.length })).rows] : have;
    const total = opened.cancelled ? Math.max(appStore.getState().folder?.total ?? 0, rows.length) : rows.length;
    updateFolder(jobId, { id: opened.id, rows, done: rows.length, total, state: opened.cancelled ? 'cancelled' : 'done', elapsedMs: performance.now() - startedAt, file: '' });
    void api.request('settings.get', {}).then((settings) => appStore.setState({ settings }));
  } catch (error) {
    updateFolder(jobId, { state: 'failed', error: message(error), elapsedMs: performance.now() - startedAt });
  }
}

function updateFolder(jobId: string, change: Partial<NonNullable<ReturnType<typeof appStore.getState>['folder']>>): void {
  appStore.setState((s) => (s.folder?.jobId === jobId ? { folder: { ...s.folder, ...change } } : {}));
}

/** Stops the run at once; the rows so far stay, and so does their report. */
export async function cancelFolder(): Promise<void> {
  const folder = appStore.getState().folder;
  if (!folder || folder.state !== 'running') return;
  updateFolder(folder.jobId, { state: 'cancelling' });
  await api.request('triage.cancel', { jobId: folder.jobId }).catch(() => undefined);
}

/** Opens one file of the table in the file view; "back" returns to the table. */
export async function openFolderFile(index: number): Promise<void> {
  const folder = appStore.getState().folder;
  if (!folder?.id) return;
  appStore.setState((s) => ({ folderView: { ...s.folderView, activeIndex: index } }));
  try {
    const opened = await api.request('folder.file', { id: folder.id, index });
    appStore.setState({ phase: 'triage', opened, selected: 0, fileFromFolder: true });
  } catch (error) {
    updateFolder(folder.jobId, { error: message(error) });
  }
}

export function backToFolder(): void {
  appStore.setState({ phase: 'folder' });
}

/** Esc in a file's view: back to the folder table it came from, else to the start screen. */
export function leaveFile(): void {
  if (appStore.getState().fileFromFolder) backToFolder();
  else appStore.setState({ phase: 'start', error: null });
}

export function setFolderView(change: Partial<FolderView>): void {
  appStore.setState((s) => ({ folderView: { ...s.folderView, ...change } }));
}

/** A click on a column header: that column, or the other direction when it already sorts. */
export function sortFolderBy(key: FolderSortKey): void {
  const { sort } = appStore.getState().folderView;
  setFolderView({ sort: { key, descending: sort.key === key ? !sort.descending : key !== 'name' && key !== 'machine' } });
}

/** The whole table as one report, from the same generators as `thunk triage` (a cancelled run: the files done). */
export async function exportFolder(format: ReportFormat, redactUserPaths: boolean): Promise<{ fileName: string; mimeType: string; content: string }> {
  const folder = appStore.getState().folder;
  if (!folder?.id) throw new ApiError('not-found', 'the folder is still being triaged: export when it ends, or cancel it');
  return api.request('report.export', { id: folder.id, format, redactUserPaths });
}

/** Compare: the two paths typed or dropped, analysed by the service and compared. */
export function showCompare(a = '', b = ''): void {
  appStore.setState((s) => ({ phase: 'compare', error: null, compare: { ...s.compare, a: a || s.compare.a, b: b || s.compare.b } }));
}

export async function runCompare(a: string, b: string): Promise<void> {
  appStore.setState({ compare: { a, b, state: 'running', result: null, error: null } });
  try {
    const result = await api.request('compare.open', { a: a.trim(), b: b.trim() });
    appStore.setState((s) => ({ compare: { ...s.compare, state: 'done', result } }));
  } catch (error) {
    appStore.setState((s) => ({ compare: { ...s.compare, state: 'failed', error: message(error) } }));
  }
}

/** A dropped file becomes a path on the host (an upload in the browser), for one side of a comparison. */
export async function pathOfDropped(file: File): Promise<string> {
  return api.pathForDroppedFile(file);
}
