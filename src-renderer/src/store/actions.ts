import { ApiError, CONTRACT_VERSION, type ReportFormat, type TriageSettings } from '../../../src-main/contract/api-contract.ts';
import type { ClientApi } from '../api/client-api.ts';
import { appStore, type ShownError } from './store.ts';
import { firstFailing } from '../ui/verdict-words.ts';
import { connectFolders, isSet, openFolder } from './folder-actions.ts';
import { connectAgents } from './agents-actions.ts';

let api: ClientApi;
let jobCounter = 0;

/** Work the page started (opening, uploading) is superseded by the next; a test of whether it is still the current one. */
let workStarted = 0;
export function startWork(): () => boolean {
  const mine = ++workStarted;
  return () => workStarted === mine;
}

export function shown(error: unknown): ShownError {
  if (error instanceof ApiError) {
    if (error.code === 'offline' || error.code === 'refused') return { title: 'Thunk is not connected', message: error.message, fix: 'Start `thunk serve` again and open the URL it prints.' };
    if (error.code === 'too-large') return { title: 'The file is too large to upload', message: error.message, fix: 'Type the file\'s path in the box instead: the server reads it where it is.' };
    if (error.code === 'bad-request') return { title: 'Thunk could not open that', message: error.message, fix: 'Check the path and try again.' };
    return { title: 'Thunk failed', message: error.message, fix: 'Try again; if it happens again, report it with the file.' };
  }
  return { title: 'Thunk failed', message: (error as Error)?.message ?? String(error), fix: 'Try again; if it happens again, report it with the file.' };
}

/** The connected client, for the feature action modules (exports-actions.ts, …). */
export const apiClient = (): ClientApi => api;

/** Connects the store to the backend: events go into the store here, not in components. */
export async function connect(client: ClientApi): Promise<void> {
  api = client;
  appStore.setState({ host: client.host });
  connectFolders(client);
  connectAgents(client);
  client.on('triage.progress', (p) => {
    if (appStore.getState().jobId === p.jobId) appStore.setState({ progress: { done: p.done, total: p.total, file: p.file } });
  });
  client.on('app.open', (p) => void openPaths(p.paths));
  client.on('agent.crash', (c) => appStore.setState((s) => ({ agentLines: [...s.agentLines.slice(-99), `${c.arch}: crash ${c.summary}`] })));
  try {
    const hello = await client.request('session.hello', { contractVersion: CONTRACT_VERSION });
    if (hello.contractVersion !== CONTRACT_VERSION) throw new ApiError('internal', `this UI speaks contract ${CONTRACT_VERSION}, the service ${hello.contractVersion}: reload the page`);
    appStore.setState({ connection: 'ready', settings: await client.request('settings.get', {}) });
  } catch (error) {
    appStore.setState({ connection: 'failed', phase: 'error', error: shown(error) });
  }
}

/** Triages files or folders given by path (typed, recent, or from Electron's File > Open). */
export async function openPaths(paths: string[]): Promise<void> {
  startWork();
  const clean = paths.map((p) => p.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean);
  if (clean.length === 0) return;
  if (await isSet(clean).catch(() => false)) return openFolder(clean);
  const jobId = `job-${Date.now()}-${++jobCounter}`;
  appStore.setState({ phase: 'working', jobId, progress: null, error: null });
  try {
    const opened = await api.request('triage.open', { jobId, paths: clean });
    if (appStore.getState().jobId !== jobId) return;
    appStore.setState({ phase: 'triage', opened, selected: firstFailing(opened.document.results), jobId: null, progress: null });
    void refreshSettings();
  } catch (error) {
    if (appStore.getState().jobId !== jobId) return;
    const cancelled = error instanceof ApiError && error.code === 'cancelled';
    appStore.setState(cancelled ? { phase: 'start', jobId: null } : { phase: 'error', jobId: null, error: shown(error) });
  }
}

/** Dropped or picked files: the host turns each into a path (an upload in the browser). */
export async function openFiles(files: File[]): Promise<void> {
  if (files.length === 0) return;
  startWork();
  appStore.setState({ phase: 'working', progress: { done: 0, total: files.length, file: `uploading ${files[0]!.name}` }, error: null });
  try {
    const paths: string[] = [];
    for (const file of files) paths.push(await api.pathForDroppedFile(file));
    await openPaths(paths);
  } catch (error) {
    appStore.setState({ phase: 'error', error: shown(error) });
  }
}

export async function cancelWork(): Promise<void> {
  startWork();
  const { jobId } = appStore.getState();
  appStore.setState({ phase: 'start', jobId: null, progress: null });
  if (jobId) await api.request('triage.cancel', { jobId }).catch(() => undefined);
}

export function backToStart(): void {
  appStore.setState({ phase: 'start', error: null, fileFromFolder: false });
}

export function selectFile(index: number): void {
  appStore.setState({ selected: index });
}

export function selectTab(id: string): void {
  appStore.setState({ selectedTab: id });
}

async function refreshSettings(): Promise<void> {
  appStore.setState({ settings: await api.request('settings.get', {}) });
}

export async function saveTriageSettings(change: Partial<TriageSettings>): Promise<void> {
  appStore.setState({ settings: await api.request('settings.update', { triage: change }) });
}

export async function clearRecent(): Promise<void> {
  appStore.setState({ settings: await api.request('recent.clear', {}) });
}

/** Exports the open report; returns the file name, or throws an ApiError in words. */
export async function exportReport(format: ReportFormat | 'pdf', redactUserPaths: boolean): Promise<string> {
  const { opened } = appStore.getState();
  if (!opened) throw new ApiError('not-found', 'open a file first');
  const exported = await api.request('report.export', { id: opened.id, format: format === 'pdf' ? 'html' : format, redactUserPaths });
  if (format === 'pdf' && api.host === 'electron') {
    const pdf = await api.request('report.pdf', { id: opened.id, redactUserPaths });
    return pdf.savedTo ?? 'nothing (cancelled)';
  }
  if (format === 'pdf') {
    printHtml(exported.content);
    return exported.fileName.replace(/\.html$/, '.pdf');
  }
  download(exported.fileName, exported.mimeType, exported.content);
  return exported.fileName;
}

export function download(fileName: string, mimeType: string, content: string | Uint8Array<ArrayBuffer>): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** PDF in the browser: the report's own print stylesheet, through the browser's print dialog. */
function printHtml(html: string): void {
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  const win = window.open(url, '_blank');
  win?.addEventListener('load', () => win.print(), { once: true });
}

/** The connected client, for the actions of each feature (their own files beside this one). */
export function connectedClient(): ClientApi {
  return api;
}
