import type { StateCreator } from 'zustand';
import type { AgentsStatus } from '../../../src-main/contract/api-contract.ts';
import type { AppState } from './store.ts';

/** "Ask the real loader" for one file: asking, or why it could not be asked. */
export interface LoaderCheckState {
  asking: boolean;
  error: string | null;
}

export interface AgentsSlice {
  agents: AgentsStatus | null;
  agentsOpen: boolean;
  /** The arch being restarted, or null. */
  restarting: string | null;
  agentsError: string | null;
  /** Per file path. */
  loaderChecks: Record<string, LoaderCheckState>;
}

export const agentsSlice: StateCreator<AppState, [], [], AgentsSlice> = () => ({ agents: null, agentsOpen: false, restarting: null, agentsError: null, loaderChecks: {} });
