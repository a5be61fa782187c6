import { useShallow } from 'zustand/react/shallow';
import { appStore } from './store.ts';
import type { AgentsSlice, LoaderCheckState } from './agents-slice.ts';

export const useAgents = (): Pick<AgentsSlice, 'agents' | 'agentsOpen' | 'restarting' | 'agentsError'> =>
  appStore(useShallow((s) => ({ agents: s.agents, agentsOpen: s.agentsOpen, restarting: s.restarting, agentsError: s.agentsError })));
export const useLoaderCheck = (file: string): LoaderCheckState | undefined => appStore((s) => s.loaderChecks[file]);
