import { useCallback, useState } from 'react';
import type { ExportRow } from '../../../../src-main/contract/api-contract.ts';
import { rangeKeys } from './export-table-model.ts';

export interface RowSelection {
  /** Ordinals of the selected rows (unique within a file). */
  selected: ReadonlySet<number>;
  /** Index in the shown list of the row the keyboard is on. */
  active: number;
  /** Plain: only this row; extend: the range from the anchor (shift); toggle: add or remove it (ctrl, space). */
  pick(index: number, how: 'only' | 'extend' | 'toggle'): void;
  selectAll(): void;
}

/** Desktop-style selection over the shown rows: click, shift-click, ctrl-click, and the same from the keyboard. */
export function useRowSelection(shown: readonly ExportRow[]): RowSelection {
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [active, setActive] = useState(0);
  const [anchor, setAnchor] = useState(0);
  const pick = useCallback((index: number, how: 'only' | 'extend' | 'toggle') => {
    const row = shown[index];
    if (!row) return;
    setActive(index);
    if (how === 'extend') {
      setSelected(new Set(rangeKeys(shown, anchor, index)));
      return;
    }
    setAnchor(index);
    if (how === 'only') setSelected(new Set([row.ordinal]));
    else setSelected((current) => {
      const next = new Set(current);
      if (next.has(row.ordinal)) next.delete(row.ordinal); else next.add(row.ordinal);
      return next;
    });
  }, [shown, anchor]);
  const selectAll = useCallback(() => setSelected(new Set(shown.map((row) => row.ordinal))), [shown]);
  return { selected, active: Math.min(active, Math.max(0, shown.length - 1)), pick, selectAll };
}
