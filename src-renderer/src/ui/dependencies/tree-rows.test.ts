import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DependencyViewNode } from '../../../../src-main/contract/api-contract.ts';
import { visibleRows } from './tree-rows.ts';

function node(id: number, parent: number | null, childCount: number): DependencyViewNode {
  return {
    id, parent, depth: 0, name: `n${id}`, path: null, strategy: 'root', howFound: '', machine: null, apiSetTarget: null, delayLoad: false,
    firstId: null, error: null, skipped: [], problem: null, severity: null, problemsBelow: 0, childCount, functionCount: null, missingFunctions: {},
  };
}

// root 0 → 1 (→ 3), 2
const nodes = [node(0, null, 2), node(1, 0, 1), node(3, 1, 0), node(2, 0, 0)];

test('only the children of expanded nodes show, in pre-order, with their place among siblings', () => {
  assert.deepEqual(visibleRows(nodes, new Set([0])).map((r) => [r.node.id, r.posInSet, r.setSize]), [[0, 1, 1], [1, 1, 2], [2, 2, 2]]);
  assert.deepEqual(visibleRows(nodes, new Set([0, 1])).map((r) => r.node.id), [0, 1, 3, 2]);
  assert.deepEqual(visibleRows(nodes, new Set()).map((r) => r.node.id), [0]);
});
