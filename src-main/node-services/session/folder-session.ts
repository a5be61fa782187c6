import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { ApiError, type EventName, type EventPayload, type OpenDocument, type RequestArgs, type RequestResult } from '../../contract/api-contract.ts';
import type { FolderOpened, FolderRow } from '../../contract/folder-contract.ts';
import type { Supervisor } from '../agent/supervisor.ts';
import { compareReports, type Comparison } from '../../analysis/compare/compare-reports.ts';
import { checkWithRealLoader } from '../agent/real-loader-check.ts';
import type { TriageRunner } from './triage-runner.ts';
import type { SettingsStore } from './settings-store.ts';
import { fileIdentity } from './file-identity.ts';
import { withoutLists } from './view-copy.ts';
import { folderRow } from './folder-row.ts';

/** What the folder and compare views need from the session that owns them. */
export interface FolderSessionHost {
  runner: TriageRunner;
  jobs: Map<string, AbortController>;
  settings: () => SettingsStore;
  keep: (document: OpenDocument) => void;
  document: (id: string) => OpenDocument;
  emit: <N extends EventName>(name: N, payload: EventPayload<N>) => void;
  agents: () => Supervisor;
  isTransient: (path: string) => boolean;
}

/** Rows reach the page in batches: one event per file would be 700 messages (and renders) a run. */
const ROW_BATCH_MS = 200;

/** Collects rows and pushes them at most every ROW_BATCH_MS; flush() pushes what is left. */
class RowBatcher {
  private rows: FolderRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private last = { done: 0, total: 0, file: '' };

  constructor(private readonly push: (rows: FolderRow[], progress: { done: number; total: number; file: string }) => void) {}

  add(row: FolderRow, done: number, total: number): void {
    this.rows.push(row);
    this.last = { done, total, file: row.file };
    this.timer ??= setTimeout(() => this.flush(), ROW_BATCH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    this.push(rows, this.last);
  }
}

const isFolder = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** Folder triage (rows streamed, cancel keeps them, one file opened from the table) and compare. */
export class FolderSession {
  constructor(private readonly host: FolderSessionHost) {}

  kind(paths: string[]): RequestResult<'paths.kind'> {
    return { kind: paths.length > 1 || paths.some(isFolder) ? 'set' : 'file' };
  }

  async open({ jobId, paths }: RequestArgs<'folder.open'>): Promise<FolderOpened> {
    const { jobs, runner } = this.host;
    if (jobs.has(jobId)) throw new ApiError('bad-request', `job "${jobId}" is already running`);
    const controller = new AbortController();
    jobs.set(jobId, controller);
    const started = performance.now();
    const batcher = new RowBatcher((rows, progress) => this.host.emit('folder.rows', { jobId, rows, ...progress }));
    try {
      const settings = this.host.settings();
      const run = await runner.run({ jobId, paths, settings: settings.get().triage, signal: controller.signal, onRow: (row, done, total) => batcher.add(row, done, total) });
      batcher.flush();
      const opened: OpenDocument = { id: randomUUID(), inputs: paths, document: run.document, identities: [], durationMs: Math.round(performance.now() - started) };
      this.host.keep(opened);
      const lasting = paths.filter((path) => !this.host.isTransient(path));
      if (lasting.length) settings.addRecent(lasting);
      return { id: opened.id, inputs: paths, rowCount: run.document.results.length, cancelled: run.cancelled ?? false, durationMs: opened.durationMs };
    } finally {
      jobs.delete(jobId);
    }
  }

  table({ id, from }: RequestArgs<'folder.table'>): RequestResult<'folder.table'> {
    return { rows: this.host.document(id).document.results.slice(from).map((report, offset) => folderRow(report, from + offset)) };
  }

  /** One file of a folder table as its own open document (exported alone, checked by the real loader when it is on). */
  async file({ id, index }: RequestArgs<'folder.file'>): Promise<OpenDocument> {
    const table = this.host.document(id);
    const report = table.document.results[index];
    if (!report) throw new ApiError('not-found', `that folder has no file number ${index + 1}: open the folder again`);
    const checked = this.host.settings().get().triage.realLoader ? (await checkWithRealLoader([report], this.host.agents()))[0]! : report;
    const identity = { ...(await fileIdentity(checked)), uploaded: this.host.isTransient(checked.file) };
    const opened: OpenDocument = { id: randomUUID(), inputs: [checked.file], document: { ...table.document, results: [checked] }, identities: [identity], durationMs: table.durationMs };
    this.host.keep(opened);
    return { ...opened, document: { ...opened.document, results: [withoutLists(checked)] } };
  }

  /** Two files analysed in the worker (with the session's caches and load context), then compared. */
  async compare({ a, b }: RequestArgs<'compare.open'>): Promise<Comparison> {
    for (const path of [a, b]) if (isFolder(path)) throw new ApiError('bad-request', `${path} is a folder: compare takes two files (e.g. the same DLL from two folders)`);
    const settings = this.host.settings().get().triage;
    const jobId = `compare-${randomUUID()}`;
    const [first, second] = await Promise.all([a, b].map((path, side) => this.host.runner.run({ jobId: `${jobId}-${side}`, paths: [path], settings })));
    const reportA = first!.document.results[0];
    const reportB = second!.document.results[0];
    if (!reportA || !reportB) throw new ApiError('not-found', `${!reportA ? a : b} holds no file to compare`);
    return compareReports(reportA, reportB);
  }
}
