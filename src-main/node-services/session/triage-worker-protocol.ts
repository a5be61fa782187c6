import type { FileIdentity, TriageSettings } from '../../contract/api-contract.ts';
import type { FolderRow } from '../../contract/folder-contract.ts';
import type { ReportDocument } from '../../analysis/report/report-document.ts';

/** Main thread to triage worker: one run at a time; `cancel` is a shared flag the worker polls between files. */
export interface TriageRunMessage {
  /** 'run-folder': a row per file as it is done, no file hashes, and a cancel keeps the files done. */
  type: 'run' | 'run-folder';
  jobId: string;
  paths: string[];
  settings: TriageSettings;
  cancel: SharedArrayBuffer;
}

/** Triage worker to main thread. */
export type TriageWorkerMessage =
  | { type: 'progress'; jobId: string; done: number; total: number; file: string }
  | { type: 'row'; jobId: string; row: FolderRow; done: number; total: number }
  | { type: 'done'; jobId: string; document: ReportDocument; identities: FileIdentity[]; cancelled?: boolean }
  | { type: 'cancelled'; jobId: string }
  | { type: 'failed'; jobId: string; message: string };
