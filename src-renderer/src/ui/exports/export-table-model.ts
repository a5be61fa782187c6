// The exports table's data work, kept out of React: columns, search, sort, copy. Pure.
import type { ExportRow } from '../../../../src-main/contract/api-contract.ts';

export type ColumnId = 'ordinal' | 'name' | 'demangled' | 'rva' | 'section' | 'kind' | 'forwarder';
export type SortDirection = 'ascending' | 'descending';
export interface SortOrder { column: ColumnId; direction: SortDirection }

export interface ColumnSpec { id: ColumnId; label: string; defaultWidth: number; numeric: boolean }

export const EXPORT_COLUMNS: readonly ColumnSpec[] = [
  { id: 'ordinal', label: 'Ordinal', defaultWidth: 64, numeric: true },
  { id: 'name', label: 'Name', defaultWidth: 240, numeric: false },
  { id: 'demangled', label: 'Signature', defaultWidth: 206, numeric: false },
  { id: 'rva', label: 'RVA', defaultWidth: 88, numeric: true },
  { id: 'section', label: 'Section', defaultWidth: 64, numeric: false },
  { id: 'kind', label: 'Kind', defaultWidth: 84, numeric: false },
  { id: 'forwarder', label: 'Forwarder', defaultWidth: 190, numeric: false },
];

/** The columns in the user's order; any column the order lacks (a saved layout from before it existed) goes last. */
export function orderedColumns(order: readonly ColumnId[]): ColumnSpec[] {
  const byId = new Map(EXPORT_COLUMNS.map((c) => [c.id, c]));
  const known = order.filter((id) => byId.has(id));
  const rest = EXPORT_COLUMNS.filter((c) => !known.includes(c.id));
  return [...known.map((id) => byId.get(id)!), ...rest];
}

/** The order with `column` moved one place earlier (-1) or later (+1); unchanged at either end. */
export function moveColumn(order: readonly ColumnId[], column: ColumnId, by: -1 | 1): ColumnId[] {
  const ids = orderedColumns(order).map((c) => c.id);
  const from = ids.indexOf(column);
  const to = from + by;
  if (from < 0 || to < 0 || to >= ids.length) return ids;
  [ids[from], ids[to]] = [ids[to]!, ids[from]!];
  return ids;
}

/** Text of one cell as shown and copied. */
export function cellText(row: ExportRow, column: ColumnId): string {
  switch (column) {
    case 'ordinal': return String(row.ordinal);
    case 'name': return row.name ?? '';
    case 'demangled': return signatureText(row);
    case 'rva': return row.rva === undefined ? '' : `0x${row.rva.toString(16).padStart(8, '0')}`;
    case 'section': return row.section ?? '';
    case 'kind': return row.kind;
    case 'forwarder': return row.forwarder ?? '';
  }
}

/** The undecorated name, with what a 32-bit C decoration states. */
function signatureText(row: ExportRow): string {
  const undecorated = row.demangled && row.demangled !== row.name ? row.demangled : '';
  if (!row.callingConvention) return undecorated;
  const args = row.argumentBytes === undefined ? '' : `, ${row.argumentBytes} bytes of arguments`;
  return `${undecorated || row.name || ''} (${row.callingConvention}${args})`;
}

/** A row with its names lowercased once, so a keystroke's substring search allocates nothing per row. */
export interface SearchableRow { row: ExportRow; haystack: string }

export function searchable(rows: readonly ExportRow[]): SearchableRow[] {
  return rows.map((row) => ({ row, haystack: `${row.name ?? ''}\n${row.demangled ?? ''}`.toLowerCase() }));
}

export type SearchResult = { matches: (entry: SearchableRow) => boolean; error: null } | { matches: null; error: string };

/**
 * A matcher over raw and undecorated names; `#123` (not a regular expression) finds ordinal 123, as
 * an ordinal forwarder (`KERNEL32.#12`) names it. A bad regular expression is reported, not thrown.
 */
export function searchMatcher(query: string, regex: boolean): SearchResult {
  if (query === '') return { matches: () => true, error: null };
  const ordinal = regex ? null : /^#(\d+)$/.exec(query.trim());
  if (ordinal) {
    const wanted = Number(ordinal[1]);
    return { matches: ({ row }) => row.ordinal === wanted, error: null };
  }
  if (regex) {
    try {
      const pattern = new RegExp(query, 'i');
      return { matches: ({ row }) => pattern.test(row.name ?? '') || (row.demangled !== undefined && pattern.test(row.demangled)), error: null };
    } catch (error) {
      return { matches: null, error: (error as Error).message.replace(/^Invalid regular expression: /, '') };
    }
  }
  const needle = query.toLowerCase();
  return { matches: (entry) => entry.haystack.includes(needle), error: null };
}

/** The rows a search leaves, in the order given; all of them while the search is invalid. */
export function filterRows(entries: readonly SearchableRow[], search: SearchResult): ExportRow[] {
  return filterEntries(entries, search).map((entry) => entry.row);
}

function filterEntries(entries: readonly SearchableRow[], search: SearchResult): SearchableRow[] {
  const kept: SearchableRow[] = [];
  for (const entry of entries) if (!search.matches || search.matches(entry)) kept.push(entry);
  return kept;
}

interface CachedSearch { query: string; regex: boolean; entries: SearchableRow[]; rows: ExportRow[] }

const SEARCHES_KEPT = 48;

/**
 * filterRows over one sorted list, remembering recent searches: a keystroke that extends a plain
 * search filters the previous result only (a longer substring matches within it), and deleting back
 * to an earlier search finds its result kept, the same array, so the table does not change at all.
 */
export class SearchResultCache {
  private readonly kept: CachedSearch[] = [];

  constructor(private readonly entries: readonly SearchableRow[]) {}

  rows(query: string, regex: boolean, search: SearchResult): readonly ExportRow[] {
    const found = this.kept.find((c) => c.query === query && c.regex === regex);
    if (found) return found.rows;
    const entries = filterEntries(this.narrowest(query, regex) ?? this.entries, search);
    this.kept.push({ query, regex, entries, rows: entries.map((entry) => entry.row) });
    if (this.kept.length > SEARCHES_KEPT) this.kept.shift();
    return this.kept[this.kept.length - 1]!.rows;
  }

  /** The smallest kept result a plain substring search is sure to lie within. */
  private narrowest(query: string, regex: boolean): SearchableRow[] | null {
    if (!isSubstringSearch(query, regex)) return null;
    const needle = query.toLowerCase();
    let best: SearchableRow[] | null = null;
    for (const c of this.kept) {
      if (c.query === '' || !isSubstringSearch(c.query, c.regex) || !needle.includes(c.query.toLowerCase())) continue;
      if (!best || c.entries.length < best.length) best = c.entries;
    }
    return best;
  }
}

/** A search searchMatcher runs as a plain substring (not a regular expression, not `#ordinal`). */
function isSubstringSearch(query: string, regex: boolean): boolean {
  return !regex && !query.trim().startsWith('#');
}

// One collator for every comparison: localeCompare with options builds one per call.
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function sortKey(row: ExportRow, column: ColumnId): number | string {
  if (column === 'ordinal') return row.ordinal;
  if (column === 'rva') return row.rva ?? -1;
  return cellText(row, column);
}

/** A sorted copy; ties keep ordinal order so the table never jumps between equal rows. */
export function sortRows(rows: readonly ExportRow[], order: SortOrder): ExportRow[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row) => ({ row, key: sortKey(row, order.column) }));
  keyed.sort((a, b) => {
    const byKey = typeof a.key === 'number' ? a.key - (b.key as number) : collator.compare(a.key, b.key as string);
    return sign * byKey || a.row.ordinal - b.row.ordinal;
  });
  return keyed.map((entry) => entry.row);
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV (RFC 4180) with a header line of the shown columns. */
export function rowsAsCsv(rows: readonly ExportRow[], columns: readonly ColumnSpec[]): string {
  const lines = [columns.map((c) => csvField(c.label)).join(','), ...rows.map((row) => columns.map((c) => csvField(cellText(row, c.id))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** Rows as tab-separated text, ready to paste into a ticket or a spreadsheet. */
export function rowsAsText(rows: readonly ExportRow[], columns: readonly ColumnSpec[]): string {
  return rows.map((row) => columns.map((c) => cellText(row, c.id)).join('\t').trimEnd()).join('\n') + '\n';
}

/** The rows between two indexes of the shown list, either way round (shift-click). */
export function rangeKeys(shown: readonly ExportRow[], from: number, to: number): number[] {
  const [low, high] = from <= to ? [from, to] : [to, from];
  return shown.slice(low, high + 1).map((row) => row.ordinal);
}
