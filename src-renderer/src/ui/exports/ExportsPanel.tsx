import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { ExportRow } from '../../../../src-main/contract/api-contract.ts';
import { dismissExportsNotice, loadExports, moveExportsColumn, setExportsSearch, toggleExportsColumn } from '../../store/exports-actions.ts';
import { useExportsLayout, useExportsNotice, useExportsOf, useExportsSearch } from '../../store/exports-hooks.ts';
import type { WorkspacePanelProps } from '../workspace/workspace-tabs.ts';
import { type ColumnId, SearchResultCache, orderedColumns, rowsAsCsv, rowsAsText, searchMatcher, searchable, sortRows } from './export-table-model.ts';
import { EXPORT_ROW_ACTIONS, type ExportRowContext } from './export-row-actions.ts';
import { ExportsGrid, type ShownColumn } from './ExportsGrid.tsx';
import { useRowSelection } from './row-selection.ts';
import { copyToClipboard } from './clipboard.ts';
import { LoadableView } from '../workspace/LoadableView.tsx';
import './exports.css';

const ColumnsMenu = memo(function ColumnsMenu({ order, hidden }: { order: readonly ColumnId[]; hidden: readonly string[] }) {
  const columns = orderedColumns(order);
  return (
    <details className="columns-menu">
      <summary>Columns</summary>
      <fieldset>
        <legend className="visually-hidden">Shown columns, in their order</legend>
        {columns.map((c, i) => (
          <div key={c.id} className="column-choice">
            <label className="check"><input type="checkbox" checked={!hidden.includes(c.id)} onChange={() => toggleExportsColumn(c.id)} />{c.label}</label>
            <button type="button" className="small-button" aria-label={`Move ${c.label} earlier`} disabled={i === 0} onClick={() => moveExportsColumn(c.id, -1)}>↑</button>
            <button type="button" className="small-button" aria-label={`Move ${c.label} later`} disabled={i === columns.length - 1} onClick={() => moveExportsColumn(c.id, 1)}>↓</button>
          </div>
        ))}
      </fieldset>
    </details>
  );
});

function Notice({ documentId }: { documentId: string }) {
  const notice = useExportsNotice();
  if (!notice || notice.documentId !== documentId) return null;
  return (
    <div className={`exports-notice ${notice.tone}`} role={notice.tone === 'fail' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" className="link" onClick={dismissExportsNotice}>Dismiss</button>
    </div>
  );
}

function ExportsBrowser({ rows, documentId, file }: { rows: readonly ExportRow[]; documentId: string; file: string }) {
  const layout = useExportsLayout();
  const search = useExportsSearch(documentId);
  const [status, setStatus] = useState('');
  const matcher = useMemo(() => searchMatcher(search.text, search.regex), [search.text, search.regex]);
  const results = useMemo(() => new SearchResultCache(searchable(sortRows(rows, layout.sort))), [rows, layout.sort]);
  const shown = useMemo(() => results.rows(search.text, search.regex, matcher), [results, search.text, search.regex, matcher]);
  const selection = useRowSelection(shown);
  const columns: ShownColumn[] = useMemo(
    () => orderedColumns(layout.order).filter((c) => !layout.hidden.includes(c.id)).map((c) => ({ ...c, width: layout.widths[c.id] ?? c.defaultWidth })),
    [layout.order, layout.hidden, layout.widths],
  );
  const copy = useCallback((text: string, what: string) => {
    copyToClipboard(text).then(() => setStatus(`Copied ${what}.`), (error: Error) => setStatus(`Not copied: ${error.message}`));
  }, []);
  const context: ExportRowContext = useMemo(() => ({ documentId, file, copy }), [documentId, file, copy]);
  const selectedRows = shown.filter((row) => selection.selected.has(row.ordinal));
  const copyRows = (format: 'text' | 'csv'): void => {
    if (selectedRows.length === 0) { setStatus('Select rows first (click, Shift+click, Ctrl+A).'); return; }
    const what = `${selectedRows.length.toLocaleString('en-US')} row${selectedRows.length === 1 ? '' : 's'} as ${format === 'csv' ? 'CSV' : 'text'}`;
    copy(format === 'csv' ? rowsAsCsv(selectedRows, columns) : rowsAsText(selectedRows, columns), what);
  };
  const active = shown[selection.active];
  return (
    <section className="exports" aria-label="Exports browser">
      <div className="exports-toolbar" role="search">
        <label className="search-field">
          <span className="visually-hidden">Search exports</span>
          <input
            type="search" placeholder={search.regex ? 'Regular expression over raw and undecorated names' : 'Name, signature or #ordinal'} value={search.text}
            aria-label="Search exports" aria-invalid={matcher.error !== null} aria-describedby="exports-count" spellCheck={false}
            onChange={(e) => setExportsSearch(documentId, { text: e.target.value })}
            onKeyDown={(e) => {
              // Escape clears the search first; on an empty search it goes back to the start screen as everywhere.
              if (e.key === 'Escape' && search.text) { e.nativeEvent.stopPropagation(); setExportsSearch(documentId, { text: '' }); }
            }}
          />
        </label>
        <label className="check"><input type="checkbox" checked={search.regex} onChange={(e) => setExportsSearch(documentId, { regex: e.target.checked })} />Regular expression</label>
        <span id="exports-count" className="muted count-line" role="status">
          {matcher.error ? <span className="search-error">Not a valid regular expression: {matcher.error}</span>
            : `${shown.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} exports${selectedRows.length ? `, ${selectedRows.length.toLocaleString('en-US')} selected` : ''}`}
        </span>
        <span className="toolbar-gap" />
        <button type="button" onClick={() => copyRows('text')} title="Ctrl+C in the table">Copy as text</button>
        <button type="button" onClick={() => copyRows('csv')} title="Ctrl+Shift+C in the table">Copy as CSV</button>
        <ColumnsMenu order={layout.order} hidden={layout.hidden} />
      </div>
      <div className="row-actions" role="toolbar" aria-label="Row actions">
        <span className="muted">{active ? <>Row <code>{active.name ?? `#${active.ordinal}`}</code>:</> : 'No row'}</span>
        {active && EXPORT_ROW_ACTIONS.filter((a) => a.appliesTo(active)).map((a) => (
          <button key={a.id} type="button" className="small-button" onClick={() => a.run(active, context)} title={a.key ? `${a.key} in the table` : undefined}>{a.label}</button>
        ))}
        <span className="muted small copy-status" role="status" data-testid="copy-status">{status}</span>
      </div>
      <Notice documentId={documentId} />
      {shown.length === 0 && !matcher.error
        ? <p className="muted empty-exports">{rows.length === 0 ? 'This file exports nothing.' : 'No export matches the search.'}</p>
        : <ExportsGrid shown={shown} columns={columns} sort={layout.sort} selection={selection} context={context} onCopy={copyRows} />}
      <p className="muted small">Arrows, Page Up/Down, Home/End move; Shift extends, Space toggles, Ctrl+A selects all, Ctrl+C copies, Enter follows a forwarder.</p>
    </section>
  );
}

/** The exports browser of one file: search, sort, select and copy, forwarders followed into their module. */
export function ExportsPanel({ opened, report }: WorkspacePanelProps) {
  const loadable = useExportsOf(opened.id, report.file);
  useEffect(() => { void loadExports(opened.id, report.file); }, [opened.id, report.file]);
  return (
    <LoadableView loadable={loadable} what="exports">
      {(rows) => <ExportsBrowser key={`${opened.id}\n${report.file}`} rows={rows} documentId={opened.id} file={report.file} />}
    </LoadableView>
  );
}
