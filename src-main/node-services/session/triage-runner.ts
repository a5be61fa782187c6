import type { Worker } from 'node:worker_threads';
import type { FileIdentity, TriageSettings } from '../../contract/api-contract.ts';
import type { FolderRow } from '../../contract/folder-contract.ts';
import type { ReportDocument } from '../../analysis/report/report-document.ts';
import type { TriageRunMessage, TriageWorkerMessage } from './triage-worker-protocol.ts';
import { startWorker } from './worker-start.ts';

/** A run ended because its AbortSignal fired. */
export class TriageCancelledError extends Error {
  constructor() {
    super('the triage was cancelled');
    this.name = 'TriageCancelledError';
  }
}

export interface TriageRunRequest {
  jobId: string;
  paths: string[];
  settings: TriageSettings;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, file: string) => void;
  /** A folder run: called with each file's row as it is done; a cancel resolves with the rows so far. */
  onRow?: (row: FolderRow, done: number, total: number) => void;
}

export interface TriageRunResult {
  document: ReportDocument;
  identities: FileIdentity[];
  /** A folder run stopped by its signal: the document holds the files done. */
  cancelled?: boolean;
}

/**
 * Runs triages in one worker thread, one at a time, so the serving thread stays free. The worker
 * (and its resolver caches) is started on first use and lives until dispose().
 */
export class TriageRunner {
  private worker: Worker | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  run(request: TriageRunRequest): Promise<TriageRunResult> {
    const next = this.tail.then(() => this.runNow(request));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Starts the worker ahead of the first run, so the first file opened does not wait for it. */
  warmUp(): void {
    this.started();
  }

  async dispose(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker('triage-worker');
    worker.unref();
    worker.on('exit', () => { if (this.worker === worker) this.worker = null; });
    return (this.worker = worker);
  }

  private runNow(request: TriageRunRequest): Promise<TriageRunResult> {
    if (request.signal?.aborted) return Promise.reject(new TriageCancelledError());
    const worker = this.started();
    const cancel = new SharedArrayBuffer(4);
    const abort = (): void => { Atomics.store(new Int32Array(cancel), 0, 1); };
    request.signal?.addEventListener('abort', abort, { once: true });
    return new Promise<TriageRunResult>((resolve, reject) => {
      const finish = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        request.signal?.removeEventListener('abort', abort);
      };
      const onError = (error: Error): void => { finish(); reject(error); };
      const onMessage = (message: TriageWorkerMessage): void => {
        if (message.jobId !== request.jobId) return;
        if (message.type === 'progress') return request.onProgress?.(message.done, message.total, message.file);
        if (message.type === 'row') return request.onRow?.(message.row, message.done, message.total);
        finish();
        if (message.type === 'done') resolve({ document: message.document, identities: message.identities, cancelled: message.cancelled });
        else if (message.type === 'cancelled') reject(new TriageCancelledError());
        else reject(new Error(message.message));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.ref();
      worker.postMessage({ type: request.onRow ? 'run-folder' : 'run', jobId: request.jobId, paths: request.paths, settings: request.settings, cancel } satisfies TriageRunMessage);
    }).finally(() => worker.unref());
  }
}
