import type { DependencyViewNode } from '../../../../src-main/contract/api-contract.ts';

export interface TreeRow {
  node: DependencyViewNode;
  expanded: boolean;
  setSize: number;
  posInSet: number;
}

/** The rows a tree shows: nodes in pre-order whose ancestors are all expanded, with their place among siblings. */
export function visibleRows(nodes: readonly DependencyViewNode[], expanded: ReadonlySet<number>): TreeRow[] {
  const children = new Map<number, DependencyViewNode[]>();
  for (const node of nodes) if (node.parent !== null) (children.get(node.parent) ?? children.set(node.parent, []).get(node.parent)!).push(node);
  const rows: TreeRow[] = [];
  const visit = (node: DependencyViewNode, setSize: number, posInSet: number): void => {
    const open = expanded.has(node.id);
    rows.push({ node, expanded: open, setSize, posInSet });
    if (!open) return;
    const kids = children.get(node.id) ?? [];
    kids.forEach((kid, index) => visit(kid, kids.length, index + 1));
  };
  if (nodes[0]) visit(nodes[0], 1, 1);
  return rows;
}
