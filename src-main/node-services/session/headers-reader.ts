import type { Worker } from 'node:worker_threads';
import type { HeadersView } from '../../analysis/pe/headers-view.ts';
import { startWorker } from './worker-start.ts';

export interface HeadersRequest { id: number; path: string }
export type HeadersReply = { id: number; view: HeadersView } | { id: number; error: string };

/** Parses files for the headers tab in one worker thread, started on first use and idle (unref'd) between requests. */
export class HeadersReader {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (view: HeadersView) => void; reject: (error: Error) => void }>();

  read(path: string): Promise<HeadersView> {
    const worker = this.started();
    const id = ++this.nextId;
    worker.ref();
    return new Promise<HeadersView>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, path } satisfies HeadersRequest);
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker('headers-worker');
    worker.unref();
    worker.on('message', (reply: HeadersReply) => this.settle(reply));
    const failAll = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the headers worker stopped (exit ${code})`)));
    return (this.worker = worker);
  }

  private settle(reply: HeadersReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('view' in reply) waiting.resolve(reply.view);
    else waiting.reject(new Error(reply.error));
  }
}
