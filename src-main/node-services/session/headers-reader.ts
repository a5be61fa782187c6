import { Worker } from 'node:worker_threads';
import type { HeadersView } from '../../analysis/pe/headers-view.ts';
import { unpacked } from './triage-runner.ts';

export interface HeadersRequest { id: number; path: string }
export type HeadersReply = { id: number; view: HeadersView } | { id: number; error: string };

/** As triage-runner's worker: the bundled sibling, or from the sources through tsx's loader (workers do not inherit --import). */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(unpacked(new URL('./headers-worker.js', import.meta.url)));
  const source = new URL('./headers-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

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
    const worker = startWorker();
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
