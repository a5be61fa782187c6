import type { DependencyViewNode, OpenDocument, TriageSettings } from '../../../src-main/contract/api-contract.ts';
import { connectedClient, saveTriageSettings } from './actions.ts';
import { appStore } from './store.ts';
import { dependenciesStore, type Host } from './dependencies-slice.ts';

const set = dependenciesStore.setState;

function viewKey(opened: OpenDocument, file: string, host: Host): string {
  return `${opened.id}|${file}|${host}`;
}

/** Loads the tree of the file shown for a host, unless it is already there. */
export async function loadDependencies(opened: OpenDocument, file: string, host: Host): Promise<void> {
  const key = viewKey(opened, file, host);
  if (dependenciesStore.getState().key === key) return;
  set({ key, host, loading: true, error: null, whoExports: null, searchError: null });
  try {
    const view = await connectedClient().request('dependencies.view', { id: opened.id, file, host });
    if (dependenciesStore.getState().key !== key) return;
    set({ view, loading: false, expanded: new Set([0]), selectedNode: 0 });
  } catch (error) {
    if (dependenciesStore.getState().key === key) set({ loading: false, view: null, error: (error as Error).message });
  }
}

export function chooseHost(host: Host): void {
  set({ host });
}

export function toggleNode(id: number, open?: boolean): void {
  const expanded = new Set(dependenciesStore.getState().expanded);
  if (open ?? !expanded.has(id)) expanded.add(id);
  else expanded.delete(id);
  set({ expanded });
}

export function selectNode(id: number): void {
  set({ selectedNode: id });
}

/** Selects a node and opens every ancestor, so it shows (a repeat's first occurrence, a module row). */
export function revealNode(id: number): void {
  const { view, expanded } = dependenciesStore.getState();
  if (!view) return;
  const next = new Set(expanded);
  for (let parent = view.nodes[id]?.parent ?? null; parent !== null; parent = view.nodes[parent]!.parent) next.add(parent);
  set({ expanded: next, selectedNode: id });
}

export function expandAll(): void {
  const view = dependenciesStore.getState().view;
  if (view) set({ expanded: new Set(view.nodes.filter((n) => n.childCount > 0).map((n) => n.id)) });
}

export function collapseAll(): void {
  set({ expanded: new Set([0]), selectedNode: 0 });
}

/** Opens every node on the way to a problem, and selects the first problem. */
export function expandToProblems(): void {
  const view = dependenciesStore.getState().view;
  if (!view) return;
  const withProblems = (n: DependencyViewNode): boolean => n.childCount > 0 && n.problemsBelow > (n.problem ? 1 : 0);
  const first = view.nodes.find((n) => n.problem !== null);
  set({ expanded: new Set([0, ...view.nodes.filter(withProblems).map((n) => n.id)]), selectedNode: first?.id ?? 0 });
}

/** Fetches the functions of the node shown, unless they are there already. */
export async function loadFunctions(opened: OpenDocument, file: string, host: Host, node: number): Promise<void> {
  const key = viewKey(opened, file, host);
  const current = dependenciesStore.getState().functions;
  if (current && current.key === key && current.node === node) return;
  try {
    const { functions } = await connectedClient().request('dependencies.functions', { id: opened.id, file, host, node });
    const state = dependenciesStore.getState();
    if (state.key === key && state.selectedNode === node) set({ functions: { key, node, list: functions } });
  } catch (error) {
    set({ error: (error as Error).message });
  }
}

export function setProblemsOnly(problemsOnly: boolean): void {
  set({ problemsOnly });
}

export async function searchExports(opened: OpenDocument, file: string, host: Host, query: string): Promise<void> {
  if (!query.trim()) return set({ searchError: 'Type a function name (or part of one) to search for.' });
  set({ searching: true, searchError: null });
  try {
    set({ whoExports: await connectedClient().request('dependencies.whoExports', { id: opened.id, file, host, query: query.trim() }), searching: false });
  } catch (error) {
    set({ searching: false, searchError: (error as Error).message });
  }
}

let retriages = 0;

/**
 * Saves the load context and triages the open files again in it, staying on the file and tab
 * shown (the old tree stays until the new one is there); a refused change keeps the old context.
 */
export async function applyLoadContext(change: Partial<TriageSettings>): Promise<void> {
  const { opened, selected } = appStore.getState();
  set({ applying: true, contextError: null });
  try {
    await saveTriageSettings(change);
    if (opened) {
      const file = opened.document.results[selected]?.file;
      const fresh = await connectedClient().request('triage.open', { jobId: `load-context-${Date.now()}-${++retriages}`, paths: opened.inputs });
      const index = fresh.document.results.findIndex((r) => r.file === file);
      appStore.setState({ opened: fresh, selected: Math.max(0, index) });
    }
    set({ applying: false });
  } catch (error) {
    set({ applying: false, contextError: (error as Error).message });
  }
}
