import { useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DependencyView } from '../../../../src-main/contract/api-contract.ts';
import { revealNode, setProblemsOnly } from '../../store/dependencies-actions.ts';
import { useDependencies } from '../../store/dependencies-slice.ts';

const ROW_HEIGHT = 26;
const COLUMNS = ['Module', 'Path', 'Machine', 'Version', 'How found', 'Problems'];

/** Every module of the tree once, virtualized (a Windows tree has hundreds); a click shows it in the tree. */
export function ModuleList({ view }: { view: DependencyView }) {
  const problemsOnly = useDependencies((s) => s.problemsOnly);
  const rows = useMemo(() => (problemsOnly ? view.modules.filter((m) => m.problems.length > 0) : view.modules), [view.modules, problemsOnly]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  return (
    <section className="module-list" aria-labelledby="modules-title">
      <div className="section-head">
        <h3 id="modules-title">Modules ({rows.length}{problemsOnly ? ` of ${view.modules.length}` : ''})</h3>
        <label className="check"><input type="checkbox" checked={problemsOnly} onChange={(e) => setProblemsOnly(e.target.checked)} /> Problems only</label>
      </div>
      <div role="table" aria-label="Modules" aria-rowcount={rows.length + 1} className="module-table">
        <div role="row" className="module-row head" aria-rowindex={1}>{COLUMNS.map((c) => <span role="columnheader" key={c}>{c}</span>)}</div>
        <div className="module-scroll" ref={scroller}>
          <div role="rowgroup" style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const m = rows[item.index]!;
              return (
                <div
                  role="row" key={`${m.nodeId}`} aria-rowindex={item.index + 2} className={`module-row${m.problems.length ? ' has-problem' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: `${item.size}px`, transform: `translateY(${item.start}px)` }}
                >
                  <span role="cell"><button type="button" className="link" onClick={() => revealNode(m.nodeId)} title="Show in the tree">{m.name}</button></span>
                  <span role="cell" className="mono" title={m.path ?? ''}>{m.path ?? '—'}</span>
                  <span role="cell">{m.machine ?? '—'}</span>
                  <span role="cell">{m.version ?? '—'}</span>
                  <span role="cell">{m.howFound}</span>
                  <span role="cell" className={m.problems.length ? 'fail-text' : 'muted'} title={m.problems.join('; ')}>{m.problems.join('; ') || 'none'}</span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
