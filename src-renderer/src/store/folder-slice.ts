import type { StateCreator } from 'zustand';
import type { Comparison, FolderRow } from '../../../src-main/contract/api-contract.ts';

export type FolderSortKey = 'name' | 'machine' | 'x86' | 'x64' | 'error' | 'warning' | 'info';

/** A folder triage in the table: rows as they arrive, then the open table (id) for files and export. */
export interface FolderState {
  jobId: string;
  inputs: string[];
  /** Set when the run ended: the table's open document. */
  id: string | null;
  state: 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';
  rows: FolderRow[];
  done: number;
  total: number;
  file: string;
  startedAt: number;
  /** Wall time of the run, once it ended. */
  elapsedMs: number | null;
  error: string | null;
}

export interface FolderView {
  sort: { key: FolderSortKey; descending: boolean };
  text: string;
  problemsOnly: boolean;
  /** The file (row index) focused in the table, kept when a file is opened and closed again; -1: the first row shown. */
  activeIndex: number;
}

export interface CompareState {
  a: string;
  b: string;
  state: 'idle' | 'running' | 'done' | 'failed';
  result: Comparison | null;
  error: string | null;
}

export interface FolderSlice {
  folder: FolderState | null;
  folderView: FolderView;
  /** The open file came from the folder table: "back" returns there. */
  fileFromFolder: boolean;
  compare: CompareState;
}

export const initialFolderView: FolderView = { sort: { key: 'error', descending: true }, text: '', problemsOnly: false, activeIndex: -1 };

export const folderSlice: StateCreator<FolderSlice, [], [], FolderSlice> = () => ({
  folder: null,
  folderView: initialFolderView,
  fileFromFolder: false,
  compare: { a: '', b: '', state: 'idle', result: null, error: null },
});
