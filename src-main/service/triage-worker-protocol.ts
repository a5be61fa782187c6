import type { FileIdentity, TriageSettings } from '../contract/api-contract.ts';
import type { ReportDocument } from '../report/report-document.ts';

/** Main thread to triage worker: one run at a time; `cancel` is a shared flag the worker polls between files. */
export interface TriageRunMessage {
  type: 'run';
  jobId: string;
  paths: string[];
  settings: TriageSettings;
  cancel: SharedArrayBuffer;
}

/** Triage worker to main thread. */
export type TriageWorkerMessage =
  | { type: 'progress'; jobId: string; done: number; total: number; file: string }
  | { type: 'done'; jobId: string; document: ReportDocument; identities: FileIdentity[] }
  | { type: 'cancelled'; jobId: string }
  | { type: 'failed'; jobId: string; message: string };
