import { dirname } from 'node:path';
import type { DependencyNode } from '../resolver/dependency-node.ts';
import type { TreeResult } from '../resolver/dependency-tree.ts';
import type { HostArch } from '../resolver/load-context.ts';
import { isSystemDllName } from '../resolver/system-dll-names.ts';
import type { Finding } from './finding.ts';
import { FINDING_CODES, finding } from './findings.ts';

const APP_LOCAL = new Set(['application-dir', 'dll-dir', 'extra-dir', 'current-dir', 'path']);

function walk(node: DependencyNode, visit: (node: DependencyNode) => void): void {
  visit(node);
  node.children.forEach((child) => walk(child, visit));
}

/**
 * A copy of a Windows DLL found in an application folder before System32: it shadows the
 * system's own, so the program behaves differently from machine to machine.
 */
export function shadowingFindings(result: TreeResult, host: HostArch): Finding[] {
  const systemDir = result.locator.dirs?.systemDir;
  if (!systemDir) return [];
  const found = new Map<string, { node: DependencyNode; system: string }>();
  walk(result.tree, (node) => {
    if (!node.path || !APP_LOCAL.has(node.strategy) || !isSystemDllName(node.name)) return;
    const system = result.locator.caches.index.find(systemDir, node.name.toLowerCase());
    if (system && !found.has(node.path)) found.set(node.path, { node, system });
  });
  return [...found.values()].map(({ node, system }) => finding({
    code: FINDING_CODES.systemDllShadowed, severity: 'warning', hostArch: host,
    title: `An application-local ${node.name} shadows the Windows one`,
    explanation: `${node.path} is found (${node.strategy}) before Windows' own ${system}, so this copy is loaded instead. It may be older or built for another Windows version: a classic cause of "works on one machine, not on another".`,
    evidence: [`loaded: ${node.path}`, `shadowed: ${system}`],
    fix: `Remove ${node.name} from ${dirname(node.path!)} unless the vendor requires that copy; Windows' own copy is kept up to date by Windows Update.`,
  }));
}
