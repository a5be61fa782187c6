import { memo, useCallback, useRef, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ExportRow } from '../../../../src-main/contract/api-contract.ts';
import { setExportsColumnWidth, sortExportsBy } from '../../store/exports-actions.ts';
import { cellText, type ColumnSpec, type SortOrder } from './export-table-model.ts';
import type { RowSelection } from './row-selection.ts';
import { EXPORT_ROW_ACTIONS, type ExportRowContext } from './export-row-actions.ts';

const ROW_HEIGHT = 24;

export interface ShownColumn extends ColumnSpec { width: number }

interface ExportsGridProps {
  shown: readonly ExportRow[];
  columns: readonly ShownColumn[];
  sort: SortOrder;
  selection: RowSelection;
  context: ExportRowContext;
  onCopy(format: 'text' | 'csv'): void;
}

function ColumnHeader({ column, sort }: { column: ShownColumn; sort: SortOrder }) {
  const sorted = sort.column === column.id ? sort.direction : 'none';
  const resizeFrom = (event: PointerEvent<HTMLDivElement>): void => {
    event.preventDefault();
    const startX = event.clientX;
    const move = (e: globalThis.PointerEvent): void => setExportsColumnWidth(column.id, column.width + e.clientX - startX);
    const up = (): void => { window.removeEventListener('pointermove', move); window.removeEventListener('pointerup', up); };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const resizeByKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = { ArrowLeft: -16, ArrowRight: 16 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    setExportsColumnWidth(column.id, column.width + step);
  };
  return (
    <div role="columnheader" aria-sort={sorted} className={`export-cell head${column.numeric ? ' numeric' : ''}`} style={{ width: column.width }}>
      <button type="button" className="sort-button" onClick={() => sortExportsBy(column.id)} title={`Sort by ${column.label}`}>
        {column.label}<span aria-hidden="true" className="sort-mark">{sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}</span>
      </button>
      <div
        role="separator" aria-orientation="vertical" aria-label={`Resize ${column.label} column`} aria-valuenow={column.width} aria-valuemin={48} aria-valuemax={900}
        tabIndex={0} className="resize-handle" onPointerDown={resizeFrom} onKeyDown={resizeByKey}
      />
    </div>
  );
}

function Cell({ row, column, context }: { row: ExportRow; column: ShownColumn; context: ExportRowContext }) {
  const text = cellText(row, column.id);
  const follow = EXPORT_ROW_ACTIONS.find((a) => a.id === 'follow-forwarder')!;
  const body = column.id === 'forwarder' && row.forwarder
    ? <button type="button" tabIndex={-1} className="link forwarder-link" onClick={(e) => { e.stopPropagation(); follow.run(row, context); }}>{text}</button>
    : column.id === 'name' && !row.name ? <span className="muted">(by ordinal only)</span> : text;
  return <div role="gridcell" className={`export-cell ${column.id}${column.numeric ? ' numeric' : ''}`} style={{ width: column.width }} title={text || undefined}>{body}</div>;
}

interface GridRowProps {
  row: ExportRow;
  index: number;
  start: number;
  width: number;
  selected: boolean;
  active: boolean;
  columns: readonly ShownColumn[];
  context: ExportRowContext;
  onRowClick(event: MouseEvent, index: number): void;
}

/**
 * One row in view; memoized, so a keystroke that leaves a row's export in place (typing on often
 * keeps the first matches) does no work for it. Keyed by position, not by export: a keystroke that
 * changes the filtered rows then updates the rows in view in place instead of replacing every row
 * element (the keystroke's main cost before).
 */
const GridRow = memo(function GridRow({ row, index, start, width, selected, active, columns, context, onRowClick }: GridRowProps) {
  return (
    <div
      id={`export-row-${row.ordinal}`} role="row" aria-rowindex={index + 2} aria-selected={selected}
      className={`export-row${selected ? ' selected' : ''}${active ? ' active' : ''}`}
      style={{ transform: `translateY(${start}px)`, width }} onClick={(e) => onRowClick(e, index)}
    >
      {columns.map((column) => <Cell key={column.id} row={row} column={column} context={context} />)}
    </div>
  );
});

/** The exports as a virtualized ARIA grid: only the rows in view are in the DOM, so 10,000 rows scroll smoothly. */
export function ExportsGrid({ shown, columns, sort, selection, context, onCopy }: ExportsGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 4 });
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
  const moveTo = (index: number, how: 'only' | 'extend'): void => {
    const target = Math.min(shown.length - 1, Math.max(0, index));
    selection.pick(target, how);
    virtualizer.scrollToIndex(target, { align: 'auto' });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.target !== event.currentTarget || shown.length === 0) return;
    const how = event.shiftKey ? 'extend' : 'only';
    const command = event.ctrlKey || event.metaKey;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) moveTo(selection.active + moves[event.key]!, how);
    else if (event.key === 'Home') moveTo(0, how);
    else if (event.key === 'End') moveTo(shown.length - 1, how);
    else if (event.key === ' ') selection.pick(selection.active, 'toggle');
    else if (command && event.key.toLowerCase() === 'a') selection.selectAll();
    else if (command && event.key.toLowerCase() === 'c') onCopy(event.shiftKey ? 'csv' : 'text');
    else if (event.key === 'Enter') EXPORT_ROW_ACTIONS.find((a) => a.key === 'Enter' && a.appliesTo(shown[selection.active]!))?.run(shown[selection.active]!, context);
    else return;
    event.preventDefault();
  };
  // A stable handler (reading the latest selection) keeps the memoized rows from re-rendering.
  const pickRef = useRef(selection.pick);
  pickRef.current = selection.pick;
  const onRowClick = useCallback((event: MouseEvent, index: number): void => {
    pickRef.current(index, event.shiftKey ? 'extend' : event.ctrlKey || event.metaKey ? 'toggle' : 'only');
    scroller.current?.focus({ preventScroll: true });
  }, []);
  const activeRow = shown[selection.active];
  return (
    <div
      ref={scroller} role="grid" aria-label="Exports" aria-rowcount={shown.length + 1} aria-colcount={columns.length} aria-multiselectable="true"
      aria-activedescendant={activeRow ? `export-row-${activeRow.ordinal}` : undefined} tabIndex={0} className="export-grid" onKeyDown={onKeyDown}
      data-testid="exports-grid"
    >
      <div role="row" aria-rowindex={1} className="export-row header-row" style={{ width }}>
        {columns.map((column) => <ColumnHeader key={column.id} column={column} sort={sort} />)}
      </div>
      <div className="export-body" style={{ height: virtualizer.getTotalSize(), width }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = shown[item.index]!;
          return (
            <GridRow
              key={item.index} row={row} index={item.index} start={item.start} width={width} selected={selection.selected.has(row.ordinal)}
              active={item.index === selection.active} columns={columns} context={context} onRowClick={onRowClick}
            />
          );
        })}
      </div>
    </div>
  );
}
