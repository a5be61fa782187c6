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

export type SearchResult = { matches: (row: ExportRow) => boolean; error: null } | { matches: null; error: string };

/** A matcher over raw and undecorated names; a bad regular expression is reported, not thrown. */
export function searchMatcher(query: string, regex: boolean): SearchResult {
  if (query === '') return { matches: () => true, error: null };
  if (regex) {
    try {
      const pattern = new RegExp(query, 'i');
      return { matches: (row) => pattern.test(row.name ?? '') || (row.demangled !== undefined && pattern.test(row.demangled)), error: null };
    } catch (error) {
      return { matches: null, error: (error as Error).message.replace(/^Invalid regular expression: /, '') };
    }
  }
  const needle = query.toLowerCase();
  return { matches: (row) => (row.name?.toLowerCase().includes(needle) ?? false) || (row.demangled?.toLowerCase().includes(needle) ?? false), error: null };
}

function compareValues(a: ExportRow, b: ExportRow, column: ColumnId): number {
  if (column === 'ordinal') return a.ordinal - b.ordinal;
  if (column === 'rva') return (a.rva ?? -1) - (b.rva ?? -1);
  return cellText(a, column).localeCompare(cellText(b, column), 'en', { sensitivity: 'base', numeric: true });
}

/** A sorted copy; ties keep ordinal order so the table never jumps between equal rows. */
export function sortRows(rows: readonly ExportRow[], order: SortOrder): ExportRow[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => sign * compareValues(a, b, order.column) || a.ordinal - b.ordinal);
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
