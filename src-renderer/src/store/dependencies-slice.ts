import { create } from 'zustand';
import type { DependencyView, WhoExports } from '../../../src-main/contract/api-contract.ts';

export type Host = 'x86' | 'x64';

/**
 * The Dependencies tab's state, in its own small store: what it shows depends only on the open
 * document (read from the app store) and on what the user does in the tab.
 */
export interface DependenciesState {
  /** Which open document, file and host the view belongs to: a view of another is stale. */
  key: string | null;
  host: Host | null;
  view: DependencyView | null;
  loading: boolean;
  error: string | null;
  expanded: ReadonlySet<number>;
  selectedNode: number;
  problemsOnly: boolean;
  whoExports: WhoExports | null;
  searching: boolean;
  searchError: string | null;
  /** What the selected node's parent imports from it, fetched when it is selected. */
  functions: { key: string; node: number; list: string[] } | null;
  /** A load context change being applied (saved, then the file triaged again). */
  applying: boolean;
  contextError: string | null;
}

export const dependenciesStore = create<DependenciesState>()(() => ({
  key: null, host: null, view: null, loading: false, error: null, expanded: new Set([0]), selectedNode: 0,
  problemsOnly: false, functions: null, whoExports: null, searching: false, searchError: null, applying: false, contextError: null,
}));

export const useDependencies = <T,>(pick: (s: DependenciesState) => T): T => dependenciesStore(pick);
