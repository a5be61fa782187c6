import { basename } from 'node:path';
import type { ExportHit, WhoExports } from '../../contract/dependencies-contract.ts';
import type { ExportEntry } from '../../analysis/pe/pe-image.ts';
import type { HostArch } from '../../analysis/resolver/load-context.ts';
import { ModuleLocator, type Located, type ResolverCaches } from '../../analysis/resolver/module-locator.ts';
import { describeRef, forwarderModuleFile, parseForwarder } from '../../analysis/resolver/export-check.ts';
import type { FileReport, TreeNode } from '../../analysis/report/report-document.ts';
import { moduleKey } from './dependency-view.ts';

/** Results returned at most; a search for "a" in a Windows tree matches tens of thousands. */
export const WHO_EXPORTS_LIMIT = 500;
const MAX_FORWARDER_HOPS = 16;

interface TreeModule {
  path: string;
  name: string;
  /** API set names (or other names) the tree reaches it by. */
  reachedAs: Set<string>;
}

/** Every module of a tree that was found, once, with the names it is reached by. */
function treeModules(tree: TreeNode): TreeModule[] {
  const modules = new Map<string, TreeModule>();
  const visit = (node: TreeNode): void => {
    if (node.path) {
      const key = moduleKey(node);
      const module = modules.get(key) ?? { path: node.path, name: basename(node.path), reachedAs: new Set<string>() };
      if (node.name.toLowerCase() !== module.name.toLowerCase()) module.reachedAs.add(node.name);
      modules.set(key, module);
    }
    node.children.forEach(visit);
  };
  visit(tree);
  return [...modules.values()];
}

function label(located: Located): string {
  const file = located.path ? basename(located.path) : located.name;
  return located.apiSetTarget && located.name.toLowerCase() !== file.toLowerCase() ? `${located.name} → ${file}` : file;
}

/** Follows a forwarder as the loader does (API sets included): each hop, and where it breaks. */
function followForwarder(entry: ExportEntry, owner: string, locator: ModuleLocator, caches: ResolverCaches): { chain: string[]; broken: string | null } {
  const chain = [`${owner}!${entry.name ?? `#${entry.ordinal}`}`];
  let forwarder = entry.forwarder;
  let from = owner;
  for (let hop = 0; forwarder && hop < MAX_FORWARDER_HOPS; hop++) {
    const target = parseForwarder(forwarder);
    if (!target) return { chain, broken: `malformed forwarder "${forwarder}"` };
    const located = locator.locate(forwarderModuleFile(target.module), from);
    const ref = describeRef(target.ref);
    chain.push(`${label(located)}!${ref}`);
    if (located.unchecked) return { chain, broken: `${forwarderModuleFile(target.module)} is a system DLL, not checked: set a Windows folder in the load context` };
    if (!located.path) return { chain, broken: located.strategy === 'api-set-unresolved' ? 'API set not resolved (no Windows folder with an API set schema)' : `${forwarderModuleFile(target.module)} was not found` };
    const image = caches.modules.get(located.path).image;
    const next = image?.exports?.entries.find((e) => ('name' in target.ref ? e.name === target.ref.name : e.ordinal === target.ref.ordinal));
    if (!next) return { chain, broken: `${basename(located.path)} does not export ${ref}` };
    forwarder = next.forwarder;
    from = basename(located.path);
  }
  return { chain, broken: forwarder ? 'the forwarders loop' : null };
}

/**
 * Searches export names and forwarder targets (case-insensitive substring; exact names first) across every module of
 * the file's tree for a host, and follows each forwarder to the module that finally has the code.
 */
export function whoExports(report: FileReport, host: HostArch, query: string, caches: ResolverCaches): WhoExports {
  const tree = report.dependencies[host];
  const context = report.verdicts[host]?.context;
  if (!tree || !context) return { query, modulesSearched: 0, hits: [], truncated: false };
  const locator = new ModuleLocator(context, report.file, caches);
  const wanted = query.trim().toLowerCase();
  const hits: ExportHit[] = [];
  let matched = 0;
  const modules = treeModules(tree);
  for (const module of modules) {
    for (const entry of caches.modules.get(module.path).image?.exports?.entries ?? []) {
      if (entry.name === null || !(entry.name.toLowerCase().includes(wanted) || entry.forwarder?.toLowerCase().includes(wanted))) continue;
      matched++;
      if (hits.length >= WHO_EXPORTS_LIMIT) continue;
      const followed = entry.forwarder ? followForwarder(entry, module.name, locator, caches) : { chain: [], broken: null };
      hits.push({ module: module.name, path: module.path, ordinal: entry.ordinal, name: entry.name, reachedAs: [...module.reachedAs], ...followed });
    }
  }
  const exact = (hit: ExportHit): number => (hit.name.toLowerCase() === wanted ? 0 : 1);
  hits.sort((a, b) => exact(a) - exact(b));
  return { query, modulesSearched: modules.length, hits, truncated: matched > hits.length };
}
