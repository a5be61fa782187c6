import { basename } from 'node:path';
import type { DependencyNode, MissingImport } from '../resolver/dependency-node.ts';

/** Something wrong in a dependency tree, with the import chain from the root. */
export type TreeProblem =
  | { kind: 'missing-module'; node: DependencyNode; chain: string[]; delay: boolean }
  | { kind: 'no-valid-copy'; node: DependencyNode; chain: string[]; delay: boolean }
  | { kind: 'wrong-copy-first'; node: DependencyNode; chain: string[]; delay: boolean }
  | { kind: 'missing-export'; node: DependencyNode; chain: string[]; delay: boolean; missing: MissingImport }
  | { kind: 'unreadable'; node: DependencyNode; chain: string[]; delay: boolean }
  | { kind: 'api-set-unresolved'; node: DependencyNode; chain: string[]; delay: boolean }
  | { kind: 'unchecked'; node: DependencyNode; chain: string[]; delay: boolean }
  | { kind: 'sxs-missing'; node: DependencyNode; chain: string[]; delay: boolean };

export function displayName(node: DependencyNode): string {
  return node.strategy === 'root' && node.path ? basename(node.path) : node.name;
}

/** "app.dll → libfoo.dll → zlib1.dll" */
export function formatChain(chain: string[]): string {
  return chain.join(' → ');
}

function nodeProblems(node: DependencyNode, chain: string[]): TreeProblem[] {
  const delay = node.delayLoad;
  const base = { node, chain, delay };
  const found: TreeProblem[] = [];
  if (node.sxsAssembly) return node.path ? [] : [{ kind: 'sxs-missing', ...base }];
  if (node.unchecked) return [{ kind: 'unchecked', ...base }];
  if (node.strategy === 'api-set-unresolved') return [{ kind: 'api-set-unresolved', ...base }];
  if (!node.path) found.push({ kind: node.skipped.length > 0 ? 'no-valid-copy' : 'missing-module', ...base });
  else if (node.skipped.length > 0) found.push({ kind: 'wrong-copy-first', ...base });
  if (node.path && node.error) found.push({ kind: 'unreadable', ...base });
  // A forwarder whose module is missing fails as that module (126): its node is in the tree.
  for (const missing of node.missingImports) if (missing.reason !== 'forwarder-target-missing') found.push({ kind: 'missing-export', ...base, missing });
  return found;
}

/** Every problem in the tree, depth first in load order (the order the loader meets them). */
export function collectProblems(root: DependencyNode): TreeProblem[] {
  const problems: TreeProblem[] = [];
  const walk = (node: DependencyNode, chain: string[]): void => {
    const here = [...chain, displayName(node)];
    if (node.strategy !== 'root') problems.push(...nodeProblems(node, here));
    for (const child of node.children) walk(child, here);
  };
  walk(root, []);
  return problems;
}
