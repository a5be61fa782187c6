import { create, type StateCreator } from 'zustand';
import { devtools } from 'zustand/middleware';
import { useShallow } from 'zustand/react/shallow';
import type { OpenDocument, Settings } from '../../../src-main/contract/api-contract.ts';
import { exportsSlice, type ExportsSlice } from './exports-slice.ts';
import { headersSlice, type HeadersSlice } from './headers-slice.ts';
import { folderSlice, type FolderSlice } from './folder-slice.ts';
import { agentsSlice, type AgentsSlice } from './agents-slice.ts';

/** A problem shown in words: what happened, why, and what to do. */
export interface ShownError {
  title: string;
  message: string;
  fix: string;
}

export interface TriageSlice {
  phase: 'start' | 'working' | 'triage' | 'error' | 'folder' | 'compare';
  jobId: string | null;
  progress: { done: number; total: number; file: string } | null;
  opened: OpenDocument | null;
  selected: number;
  /** The workspace tab shown; kept when another file of the set is shown. */
  selectedTab: string;
  error: ShownError | null;
}

export interface SettingsSlice {
  settings: Settings | null;
}

export interface SessionSlice {
  connection: 'connecting' | 'ready' | 'failed';
  host: 'browser' | 'electron' | null;
  agentLines: string[];
}

export type AppState = TriageSlice & SettingsSlice & SessionSlice & ExportsSlice & HeadersSlice & FolderSlice & AgentsSlice;

const triageSlice: StateCreator<AppState, [], [], TriageSlice> = () => ({ phase: 'start', jobId: null, progress: null, opened: null, selected: 0, selectedTab: 'overview', error: null });
const settingsSlice: StateCreator<AppState, [], [], SettingsSlice> = () => ({ settings: null });
const sessionSlice: StateCreator<AppState, [], [], SessionSlice> = () => ({ connection: 'connecting', host: null, agentLines: [] });

const slices: StateCreator<AppState> = (...a) => ({
  ...triageSlice(...a), ...settingsSlice(...a), ...sessionSlice(...a),
  ...exportsSlice(...a),
  ...headersSlice(...a),
  ...folderSlice(...a),
  ...agentsSlice(...a),
});

/** The one store; components read it through the selector hooks below, actions write it. */
export const appStore = create<AppState>()(devtools(slices, { name: 'thunk', enabled: import.meta.env.DEV }));

export const usePhase = (): AppState['phase'] => appStore((s) => s.phase);
export const useProgress = (): TriageSlice['progress'] => appStore((s) => s.progress);
export const useShownError = (): ShownError | null => appStore((s) => s.error);
export const useOpened = (): { opened: OpenDocument | null; selected: number } => appStore(useShallow((s) => ({ opened: s.opened, selected: s.selected })));
export const useTriageSettings = (): Settings['triage'] | null => appStore((s) => s.settings?.triage ?? null);
export const useRecentFiles = (): Settings['recentFiles'] => appStore(useShallow((s) => s.settings?.recentFiles ?? []));
export const useConnection = (): { connection: SessionSlice['connection']; host: SessionSlice['host'] } => appStore(useShallow((s) => ({ connection: s.connection, host: s.host })));
export const useSelectedTab = (): string => appStore((s) => s.selectedTab);
