import { resolve } from 'node:path';
import type { DependencyView, DependencyViewNode, ModuleRow } from '../../contract/dependencies-contract.ts';
import type { HostArch } from '../../analysis/resolver/load-context.ts';
import type { MissingImport } from '../../analysis/resolver/dependency-node.ts';
import type { ModuleCache } from '../../analysis/resolver/module-cache.ts';
import { searchLocations } from '../../analysis/resolver/search-order.ts';
import { windowsDirsFor } from '../../analysis/resolver/windows-dirs.ts';
import type { DirectoryIndex } from '../../analysis/resolver/directory-index.ts';
import { errorLabel, type FileReport, type ImportRow, type TreeNode } from '../../analysis/report/report-document.ts';

const HOW_FOUND: Record<string, string> = {
  root: 'the file itself',
  'known-dll': 'KnownDLL',
  'application-dir': 'application folder',
  'dll-dir': "the DLL's own folder",
  'system-dir': 'system folder',
  'windows-dir': 'Windows folder',
  'current-dir': 'current folder',
  path: 'PATH',
  'extra-dir': 'extra folder',
  'api-set': 'API set',
  sxs: 'side-by-side assembly',
  'not-found': 'not found',
  'api-set-unresolved': 'API set, not resolved (no schema)',
};

export function howFound(node: Pick<TreeNode, 'strategy' | 'apiSetTarget' | 'path'>): string {
  // The resolver assumes a system DLL name is there when it has no Windows folder to look in.
  if (node.strategy === 'system-dir' && node.path === null) return 'system DLL, not checked (no Windows folder)';
  const words = HOW_FOUND[node.strategy] ?? node.strategy;
  return node.strategy === 'api-set' && node.apiSetTarget ? `${words} → ${node.apiSetTarget}` : words;
}

/** Where a tree node's module is the same as another's: its file, else how it failed and its name. */
export function moduleKey(node: { path: string | null; strategy: string; name: string }): string {
  return node.path ? `path:${resolve(node.path).toLowerCase()}` : `${node.strategy}:${node.name.toLowerCase()}`;
}

/** A function as the loader names it in its messages: the name, or "#ordinal". */
function refText(fn: { name: string | null; ordinal: number | null }): string {
  return fn.name ?? `#${fn.ordinal ?? 0}`;
}

function whyMissing(missing: MissingImport): string {
  const via = missing.via.length ? ` (via ${missing.via.join(' → ')})` : '';
  if (missing.reason === 'forwarder-target-missing') return `forwarded to ${missing.lackingModule ?? 'a module'}, which was not found${via}`;
  if (missing.reason === 'forwarder-loop') return `the forwarders loop${via}`;
  return `${missing.lackingModule ?? 'the module'} does not export it${via}`;
}

type ImportList = { dll: string; functions: { name: string | null; ordinal: number | null }[] }[];

function fromRows(rows: ImportRow[]): ImportList {
  return rows.map((row) => ({ dll: row.dll, functions: row.functions.map((fn) => ('name' in fn ? { name: fn.name, ordinal: null } : { name: null, ordinal: fn.ordinal })) }));
}

/** Static and delay imports of a module: the root's from its report, the others parsed (cached). */
class ImportLists {
  private readonly lists = new Map<string, { imports: ImportList; delayImports: ImportList }>();

  constructor(private readonly report: FileReport, private readonly modules: ModuleCache) {}

  of(node: TreeNode, isRoot: boolean): { imports: ImportList; delayImports: ImportList } {
    if (isRoot) return { imports: fromRows(this.report.imports), delayImports: fromRows(this.report.delayImports) };
    const key = node.path ?? '';
    let found = this.lists.get(key);
    if (!found) {
      const image = node.path ? this.modules.get(node.path).image : null;
      found = { imports: image?.imports ?? [], delayImports: image?.delayImports ?? [] };
      this.lists.set(key, found);
    }
    return found;
  }
}

function importedFunctions(child: TreeNode, parentLists: { imports: ImportList; delayImports: ImportList }): string[] {
  const wanted = child.name.toLowerCase();
  const lists = child.delayLoad ? [parentLists.delayImports, parentLists.imports] : [parentLists.imports, parentLists.delayImports];
  const entry = lists.flat().find((module) => module.dll.toLowerCase() === wanted);
  return (entry?.functions ?? []).map(refText);
}

function missingFunctions(node: TreeNode): Record<string, string> {
  return Object.fromEntries((node.missingImports ?? []).map((m) => [m.function, whyMissing(m)]));
}

/** The node's own problem: not found or unreadable (where the module first appears), functions it lacks. */
function ownProblem(node: TreeNode, repeated: boolean): string | null {
  const parts: string[] = [];
  if (!repeated && node.strategy === 'not-found') {
    const passed = node.skipped?.length ? `; ${node.skipped.length} ${node.skipped.length === 1 ? 'copy' : 'copies'} passed over` : '';
    parts.push(node.error ?? `${node.name} was not found${passed}`);
  } else if (!repeated && node.error) parts.push(node.error);
  const missing = node.missingImports ?? [];
  if (missing.length > 0) parts.push(`lacks ${missing.length} imported function${missing.length === 1 ? '' : 's'}: ${missing.slice(0, 5).map((m) => m.function).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  return parts.length ? parts.join('; ') : null;
}

/** A tree flattened in pre-order, with what each node's parent imports from it (sent one node at a time). */
export interface FlatTree {
  nodes: DependencyViewNode[];
  functions: (string[] | null)[];
}

/** Flattens a tree in pre-order, marks problems and counts them up to the root, links repeats to their first occurrence. */
export function flattenTree(report: FileReport, tree: TreeNode, modules: ModuleCache): FlatTree {
  const nodes: DependencyViewNode[] = [];
  const functions: (string[] | null)[] = [];
  const first = new Map<string, number>();
  const lists = new ImportLists(report, modules);
  const walk = (node: TreeNode, parent: TreeNode | null, parentId: number | null, depth: number): number => {
    const id = nodes.length;
    const key = moduleKey(node);
    const repeated = node.repeated === true || (first.has(key) && parent !== null);
    if (!first.has(key)) first.set(key, id);
    const problem = ownProblem(node, repeated);
    const imported = parent ? importedFunctions(node, lists.of(parent, parentId === 0)) : null;
    const view: DependencyViewNode = {
      id, parent: parentId, depth, name: node.name, path: node.path, strategy: node.strategy, howFound: howFound(node),
      machine: node.machine, apiSetTarget: node.apiSetTarget ?? null, delayLoad: node.delayLoad === true,
      firstId: repeated ? (first.get(key) ?? null) : null, error: node.error ?? null, skipped: node.skipped ?? [],
      problem, severity: problem ? (node.delayLoad ? 'warning' : 'error') : null, problemsBelow: problem ? 1 : 0,
      childCount: node.children.length,
      functionCount: imported?.length ?? null, missingFunctions: missingFunctions(node),
    };
    nodes.push(view);
    functions.push(imported);
    for (const child of node.children) view.problemsBelow += nodes[walk(child, node, id, depth + 1)]!.problemsBelow;
    return id;
  };
  walk(tree, null, null, 0);
  return { nodes, functions };
}

/** One row per module (first occurrence), with every problem its nodes have. */
export function moduleRows(nodes: DependencyViewNode[], details: ModuleCache, rootVersion: string | null): ModuleRow[] {
  const rows = new Map<string, ModuleRow>();
  for (const node of nodes) {
    const key = moduleKey(node);
    let row = rows.get(key);
    if (!row) {
      // The root's version is in its report; parsing an 87 MB node.exe again for it took seconds.
      const version = node.id === 0 ? rootVersion : node.path ? (details.get(node.path).image?.resources?.version?.fileVersion ?? null) : null;
      row = { name: node.name, path: node.path, machine: node.machine, version, howFound: node.howFound, problems: [], nodeId: node.id };
      rows.set(key, row);
    }
    if (node.problem && !row.problems.includes(node.problem)) row.problems.push(node.problem);
  }
  return [...rows.values()];
}

export function verdictLine(report: FileReport, host: HostArch): { verdict: string; loads: boolean } {
  const verdict = report.verdicts[host];
  if (!verdict) return { verdict: `Not judged for a ${host === 'x86' ? '32' : '64'}-bit process`, loads: false };
  if (verdict.loads) return { verdict: 'Loads', loads: true };
  const error = verdict.error ? `error ${errorLabel(verdict.error)}` : 'fails';
  return { verdict: `Does not load: ${error}${verdict.rootCause ? `: ${verdict.rootCause}` : ''}`, loads: false };
}

/** Where the loader looked for a module by name in this host's load context, in order. */
export function searchOrder(report: FileReport, host: HostArch, index: DirectoryIndex): DependencyView['searchOrder'] {
  const context = report.verdicts[host]?.context;
  if (!context) return [];
  const dirs = context.windowsDir ? windowsDirsFor(index, context.windowsDir, host) : null;
  return searchLocations(context, dirs, report.file).map((location) => ({ dir: location.dir, where: HOW_FOUND[location.strategy] ?? location.strategy }));
}

/** The Dependencies tab's view of one file for one host, and the functions per node it leaves out. */
export function dependencyView(report: FileReport, host: HostArch, caches: { modules: ModuleCache; index: DirectoryIndex }, details: ModuleCache): { view: DependencyView; functions: FlatTree['functions'] } {
  const tree = report.dependencies[host];
  const { nodes, functions } = tree ? flattenTree(report, tree, caches.modules) : { nodes: [], functions: [] };
  const view: DependencyView = {
    file: report.file, host, nodes, modules: moduleRows(nodes, details, report.summary?.fileVersion ?? null),
    searchOrder: searchOrder(report, host, caches.index), ...verdictLine(report, host),
  };
  return { view, functions };
}
