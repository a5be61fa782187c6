import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FolderRow } from '../../../../src-main/contract/api-contract.ts';
import { openFolderFile, setFolderView, sortFolderBy } from '../../store/folder-actions.ts';
import { useFolderView } from '../../store/folder-hooks.ts';
import type { FolderSortKey } from '../../store/folder-slice.ts';
import { cellText } from './folder-table.ts';

const ROW_HEIGHT = 30;

const COLUMNS: { key: FolderSortKey; label: string; className: string }[] = [
  { key: 'name', label: 'File', className: 'col-name' },
  { key: 'machine', label: 'Machine', className: 'col-machine' },
  { key: 'x86', label: '32-bit process', className: 'col-host' },
  { key: 'x64', label: '64-bit process', className: 'col-host' },
  { key: 'error', label: 'Errors', className: 'col-count' },
  { key: 'warning', label: 'Warnings', className: 'col-count' },
  { key: 'info', label: 'Info', className: 'col-count' },
];

function HeaderRow() {
  const { sort } = useFolderView();
  return (
    <div role="row" className="folder-row folder-header" aria-rowindex={1}>
      {COLUMNS.map((column) => {
        const sorted = sort.key === column.key;
        return (
          <div key={column.key} role="columnheader" className={column.className} aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
            <button type="button" className="sort-button" onClick={() => sortFolderBy(column.key)}>
              {column.label}<span aria-hidden="true" className="sort-mark">{sorted ? (sort.descending ? ' ▾' : ' ▴') : ''}</span>
            </button>
          </div>
        );
      })}
    </div>
  );
}

// Memoized: a pushed batch re-renders the rows on screen, whose cells have not changed.
const Cells = memo(function Cells({ row }: { row: FolderRow }) {
  const count = (n: number, tone: string) => <span className={n > 0 ? tone : 'muted'}>{n}</span>;
  return (
    <>
      <div role="gridcell" className="col-name" title={row.file}><span className="mono">{row.name}</span>{row.status !== 'analysed' && <span className="muted small"> ({row.status})</span>}</div>
      <div role="gridcell" className="col-machine">{row.machine ?? '—'}</div>
      {(['x86', 'x64'] as const).map((host) => (
        <div key={host} role="gridcell" className={`col-host cell-${row.verdicts[host]?.mood ?? 'none'}`} title={cellText(row.verdicts[host])}>{cellText(row.verdicts[host])}</div>
      ))}
      <div role="gridcell" className="col-count">{count(row.problems.error, 'fail-text')}</div>
      <div role="gridcell" className="col-count">{count(row.problems.warning, 'warn-text')}</div>
      <div role="gridcell" className="col-count">{count(row.problems.info, 'info-text')}</div>
    </>
  );
});

/** The folder's rows, virtualized (700+ files), one focusable row at a time: arrows move, Enter opens. */
export function FolderTable({ rows }: { rows: FolderRow[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const { activeIndex } = useFolderView();
  const [focusWanted, setFocusWanted] = useState(false);
  const position = Math.max(0, rows.findIndex((r) => r.index === activeIndex));
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

  useEffect(() => {
    if (!focusWanted) return;
    scroller.current?.querySelector<HTMLElement>(`[data-row-position="${position}"]`)?.focus();
    setFocusWanted(false);
  });

  const moveTo = (next: number): void => {
    const target = Math.min(rows.length - 1, Math.max(0, next));
    const row = rows[target];
    if (!row) return;
    setFolderView({ activeIndex: row.index });
    virtualizer.scrollToIndex(target, { align: 'auto' });
    setFocusWanted(true);
  };
  const onKey = (event: KeyboardEvent, at: number): void => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + page, PageUp: at - page, Home: 0, End: rows.length - 1 }[event.key];
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      void openFolderFile(rows[at]!.index);
    } else if (next !== undefined) {
      event.preventDefault();
      moveTo(next);
    }
  };

  return (
    <div role="grid" aria-label="Files in the folder" aria-rowcount={rows.length + 1} aria-colcount={COLUMNS.length} className="folder-grid">
      <HeaderRow />
      <div ref={scroller} className="folder-scroller" role="rowgroup">
        {rows.length === 0 && <p className="muted folder-empty">No file to show yet.</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return (
              <div
                key={row.index} role="row" aria-rowindex={item.index + 2} data-row-position={item.index} tabIndex={item.index === position ? 0 : -1}
                className={`folder-row${row.blocking ? ' blocking' : ''}`} style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => void openFolderFile(row.index)} onKeyDown={(e) => onKey(e, item.index)} onFocus={() => row.index !== activeIndex && setFolderView({ activeIndex: row.index })}
              >
                <Cells row={row} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
