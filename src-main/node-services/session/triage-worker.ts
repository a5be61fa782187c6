// The triage worker thread: parsing and resolving are synchronous, so they run here, off the
// thread that serves the UI. Its resolver caches live as long as the session's worker.
import { parentPort } from 'node:worker_threads';
import type { TriageSettings } from '../../contract/api-contract.ts';
import type { TriageOptions } from '../../analysis/triage/analyse-file.ts';
import { createSessionCaches } from './session-caches.ts';
import { loadContextOptions } from './load-context-settings.ts';
import { fileIdentitySync } from './file-identity.ts';
import { triageDocument } from './triage-document.ts';
import type { TriageRunMessage, TriageWorkerMessage } from './triage-worker-protocol.ts';
import { folderRow } from './folder-row.ts';

const caches = createSessionCaches();

class Cancelled extends Error {}

function optionsFrom(settings: TriageSettings): TriageOptions {
  return {
    windowsDir: settings.windowsDir ?? undefined,
    applicationDir: settings.applicationDir ?? undefined,
    searchDirs: settings.searchDirs,
    ...loadContextOptions(settings),
    caches,
  };
}

function run(message: TriageRunMessage): TriageWorkerMessage {
  const flag = new Int32Array(message.cancel);
  try {
    const document = triageDocument(message.paths, optionsFrom(message.settings), (done, total, file) => {
      if (Atomics.load(flag, 0) !== 0) throw new Cancelled();
      parentPort!.postMessage({ type: 'progress', jobId: message.jobId, done, total, file } satisfies TriageWorkerMessage);
    });
    return { type: 'done', jobId: message.jobId, document, identities: document.results.map(fileIdentitySync) };
  } catch (error) {
    if (error instanceof Cancelled) return { type: 'cancelled', jobId: message.jobId };
    return { type: 'failed', jobId: message.jobId, message: (error as Error)?.message ?? String(error) };
  }
}

/** A folder run: a row per file as it is done; a cancel stops between files and keeps what was done. */
function runFolder(message: TriageRunMessage): TriageWorkerMessage {
  const flag = new Int32Array(message.cancel);
  const stopped = (): boolean => Atomics.load(flag, 0) !== 0;
  try {
    const document = triageDocument(message.paths, optionsFrom(message.settings), undefined, {
      stopped,
      onResult: (report, index, total) => parentPort!.postMessage({ type: 'row', jobId: message.jobId, row: folderRow(report, index), done: index + 1, total } satisfies TriageWorkerMessage),
    });
    return { type: 'done', jobId: message.jobId, document, identities: [], cancelled: stopped() };
  } catch (error) {
    return { type: 'failed', jobId: message.jobId, message: (error as Error)?.message ?? String(error) };
  }
}

parentPort!.on('message', (message: TriageRunMessage) => parentPort!.postMessage(message.type === 'run-folder' ? runFolder(message) : run(message)));
