// The call console's own store: the draft call, its check, the history, the log lines. Kept apart
// from the triage store so a flood of log lines re-renders only the log pane.
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { CallRecord, LogLine, PrototypeCheck } from '../../../src-main/contract/api-contract.ts';
import type { FormValues } from '../ui/calls/argument-values.ts';

/** Lines kept in the page: the service keeps the same bound. */
export const LOG_LINES_KEPT = 10_000;

export interface CallDraft {
  /** The DLL the draft is for: its declarations are that DLL's, never carried to another. */
  dll: string;
  exportName: string;
  prototype: string;
  declarations: string;
  values: FormValues;
  repeat: number;
  timeoutMs: number;
}

export interface CallSlice {
  draft: CallDraft;
  /** What the prototype's prefill said about where it came from. */
  prefillNote: string | null;
  prefillGuessed: boolean;
  check: PrototypeCheck | null;
  fieldErrors: Record<string, string>;
  busy: boolean;
  calls: CallRecord[];
  /** The call whose result (or crash card) is shown. */
  shownCallId: string | null;
  logs: LogLine[];
  droppedLines: number;
  logFilter: string | null;
  notice: string | null;
}

export const EMPTY_DRAFT: CallDraft = { dll: '', exportName: '', prototype: '', declarations: '', values: {}, repeat: 1, timeoutMs: 10_000 };

export const callStore = create<CallSlice>()(() => ({
  draft: EMPTY_DRAFT, prefillNote: null, prefillGuessed: false, check: null, fieldErrors: {}, busy: false,
  calls: [], shownCallId: null, logs: [], droppedLines: 0, logFilter: null, notice: null,
}));

export const useDraft = (): CallDraft => callStore((s) => s.draft);
export const useCheck = (): { check: PrototypeCheck | null; note: string | null; guessed: boolean } => callStore(useShallow((s) => ({ check: s.check, note: s.prefillNote, guessed: s.prefillGuessed })));
export const useFieldErrors = (): Record<string, string> => callStore((s) => s.fieldErrors);
export const useCallBusy = (): boolean => callStore((s) => s.busy);
export const useCalls = (): CallRecord[] => callStore((s) => s.calls);
export const useShownCall = (): CallRecord | null => callStore((s) => s.calls.find((c) => c.id === s.shownCallId) ?? null);
export const useLogs = (): { logs: LogLine[]; dropped: number; filter: string | null } => callStore(useShallow((s) => ({ logs: s.logs, dropped: s.droppedLines, filter: s.logFilter })));
export const useCallNotice = (): string | null => callStore((s) => s.notice);
