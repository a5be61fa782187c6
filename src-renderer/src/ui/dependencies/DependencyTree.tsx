import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DependencyView, DependencyViewNode } from '../../../../src-main/contract/api-contract.ts';
import { revealNode, selectNode, toggleNode } from '../../store/dependencies-actions.ts';
import { useDependencies } from '../../store/dependencies-slice.ts';
import { visibleRows, type TreeRow } from './tree-rows.ts';

const ROW_HEIGHT = 24;

function NodeBadges({ node }: { node: DependencyViewNode }) {
  return (
    <>
      {node.severity && <span className={`badge ${node.severity}`}>{node.strategy === 'not-found' && node.firstId === null ? 'not found' : 'problem'}</span>}
      {node.delayLoad && <span className="badge neutral">delay-load</span>}
      {node.firstId !== null && <span className="badge neutral">repeat</span>}
      {node.problemsBelow > (node.problem ? 1 : 0) && <span className="below">{node.problemsBelow - (node.problem ? 1 : 0)} below</span>}
    </>
  );
}

function Row({ row, selected, onFocusRow }: { row: TreeRow; selected: boolean; onFocusRow: () => void }) {
  const { node } = row;
  const expandable = node.childCount > 0;
  return (
    <div
      role="treeitem" id={`dep-node-${node.id}`} aria-level={node.depth + 1} aria-setsize={row.setSize} aria-posinset={row.posInSet}
      aria-expanded={expandable ? row.expanded : undefined} aria-selected={selected} tabIndex={selected ? 0 : -1}
      className={`tree-row${selected ? ' selected' : ''}${node.severity ? ` ${node.severity}` : ''}`}
      style={{ paddingLeft: `${node.depth * 16 + 4}px` }}
      onClick={() => { selectNode(node.id); onFocusRow(); }}
      data-node-id={node.id}
    >
      <span className="twisty" aria-hidden="true" onClick={(e) => { e.stopPropagation(); if (expandable) toggleNode(node.id); }}>{expandable ? (row.expanded ? '▾' : '▸') : ''}</span>
      <span className="node-name">{node.name}</span>
      <NodeBadges node={node} />
      {node.strategy !== 'not-found' && <span className="how muted">{node.firstId !== null ? 'see first occurrence' : node.howFound}</span>}
    </div>
  );
}

/** WAI-ARIA tree over the flat node list: only the visible rows are rendered (@tanstack/react-virtual). */
export function DependencyTree({ view }: { view: DependencyView }) {
  const expanded = useDependencies((s) => s.expanded);
  const selected = useDependencies((s) => s.selectedNode);
  const rows = useMemo(() => visibleRows(view.nodes, expanded), [view.nodes, expanded]);
  const scroller = useRef<HTMLDivElement>(null);
  const wantFocus = useRef(false);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const selectedIndex = rows.findIndex((r) => r.node.id === selected);

  useEffect(() => {
    if (selectedIndex < 0) return;
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    if (wantFocus.current) requestAnimationFrame(() => document.getElementById(`dep-node-${selected}`)?.focus());
  }, [selectedIndex, selected, virtualizer]);

  const onKeyDown = (event: KeyboardEvent): void => {
    const row = rows[selectedIndex];
    if (!row) return;
    const { node } = row;
    const go = (index: number): void => { const target = rows[Math.max(0, Math.min(rows.length - 1, index))]; if (target) selectNode(target.node.id); };
    const handlers: Record<string, () => void> = {
      ArrowDown: () => go(selectedIndex + 1),
      ArrowUp: () => go(selectedIndex - 1),
      Home: () => go(0),
      End: () => go(rows.length - 1),
      ArrowRight: () => { if (node.childCount > 0 && !row.expanded) toggleNode(node.id, true); else if (node.childCount > 0) go(selectedIndex + 1); },
      ArrowLeft: () => { if (node.childCount > 0 && row.expanded) toggleNode(node.id, false); else if (node.parent !== null) selectNode(node.parent); },
      Enter: () => { if (node.firstId !== null) revealNode(node.firstId); else if (node.childCount > 0) toggleNode(node.id); },
    };
    const handler = handlers[event.key];
    if (!handler) return;
    event.preventDefault();
    wantFocus.current = true;
    handler();
  };

  return (
    <div className="tree-scroll" ref={scroller}>
      <div role="tree" aria-label="Dependency tree" aria-activedescendant={undefined} onKeyDown={onKeyDown} style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          return (
            <div key={row.node.id} role="none" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: `${item.size}px`, transform: `translateY(${item.start}px)` }}>
              <Row row={row} selected={row.node.id === selected} onFocusRow={() => { wantFocus.current = true; }} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
