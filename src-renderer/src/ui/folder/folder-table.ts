import type { FolderRow } from '../../../../src-main/contract/api-contract.ts';
import type { FolderSortKey, FolderView } from '../../store/folder-slice.ts';

type Cell = NonNullable<FolderRow['verdicts']['x86']>;

/** A file with something to look at: blocking, or errors or warnings among its findings. */
export function hasProblem(row: FolderRow): boolean {
  return row.blocking || row.problems.error > 0 || row.problems.warning > 0;
}

// Plain code-unit order: the table is re-sorted on every pushed batch, and a collator's compare
// costs several times more over 700 rows; file names here are ASCII, so the order is the same.
const byText = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Fails first, then "not for this host", then loads; absent last. */
function cellRank(cell: Cell | undefined): number {
  return cell ? { fails: 0, 'not-for-host': 1, loads: 2 }[cell.mood] : 3;
}

const COMPARE: Record<FolderSortKey, (a: FolderRow, b: FolderRow) => number> = {
  name: (a, b) => byText(a.name, b.name),
  machine: (a, b) => byText(a.machine ?? '~', b.machine ?? '~'),
  // "Descending" puts the worst first, as it does for the problem counts.
  x86: (a, b) => cellRank(b.verdicts.x86) - cellRank(a.verdicts.x86),
  x64: (a, b) => cellRank(b.verdicts.x64) - cellRank(a.verdicts.x64),
  error: (a, b) => a.problems.error - b.problems.error || Number(a.blocking) - Number(b.blocking),
  warning: (a, b) => a.problems.warning - b.problems.warning,
  info: (a, b) => a.problems.info - b.problems.info,
};

/** The rows shown: filtered by name or path text and "problems only", sorted (ties by name). */
export function visibleRows(rows: FolderRow[], view: Pick<FolderView, 'sort' | 'text' | 'problemsOnly'>): FolderRow[] {
  const text = view.text.trim().toLowerCase();
  const kept = rows.filter((row) => (!view.problemsOnly || hasProblem(row)) && (!text || row.file.toLowerCase().includes(text) || (row.verdicts.x86?.error ?? '').toLowerCase().includes(text) || (row.verdicts.x64?.error ?? '').toLowerCase().includes(text)));
  const compare = COMPARE[view.sort.key];
  const sign = view.sort.descending ? -1 : 1;
  return kept.sort((a, b) => sign * compare(a, b) || byText(a.name, b.name));
}

/** A host's cell in words. */
export function cellText(cell: Cell | undefined): string {
  if (!cell) return '—';
  if (cell.mood === 'loads') return 'loads';
  if (cell.mood === 'not-for-host') return 'not for this host';
  return cell.error ?? 'fails';
}

/** Files per second so far. */
export function filesPerSecond(done: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
}
