import type { HostArch } from '../../analysis/resolver/load-context.ts';
import type { FileReport, TreeNode } from '../../analysis/report/report-document.ts';

function isNamedProblem(node: TreeNode, named: string): boolean {
  const broken = node.path === null || Boolean(node.missingImports?.length) || Boolean(node.error) || Boolean(node.skipped?.length);
  return broken && named.includes(node.name.toLowerCase());
}

/** Deep enough for any real import chain; a tree deeper than this is cut by the resolver anyway. */
const MAX_DEPTH = 64;

/**
 * The import chain from the DLL to the module its verdict's root cause names, e.g.
 * [app.dll, helper.dll, missing.dll]; empty when the DLL itself is the problem (wrong bitness,
 * not a PE) or it loads.
 */
export function failureChain(report: FileReport, host: HostArch): string[] {
  const verdict = report.verdicts[host];
  const root = report.dependencies[host];
  const named = (verdict?.rootCause ?? '').toLowerCase();
  if (!verdict || verdict.loads || !verdict.builtForHost || !root || !named) return [];
  const walk = (node: TreeNode, trail: string[], depth: number): string[] | null => {
    const here = [...trail, node.name];
    if (depth > 0 && isNamedProblem(node, named)) return here;
    if (depth >= MAX_DEPTH) return null;
    for (const child of node.children) {
      const found = walk(child, here, depth + 1);
      if (found) return found;
    }
    return null;
  };
  return walk(root, [], 0) ?? [];
}
