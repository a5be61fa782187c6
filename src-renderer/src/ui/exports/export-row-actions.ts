// What can be done with one export row, in one list: the toolbar and the keyboard read it from
// here, so a new action ("Call…" from the call console) is one entry.
import type { ExportRow } from '../../../../src-main/contract/api-contract.ts';
import { followForwarder } from '../../store/exports-actions.ts';
import { prepareCall } from '../../store/call-actions.ts';

export interface ExportRowContext {
  documentId: string;
  file: string;
  /** Puts text on the clipboard and says so in the table's status line. */
  copy(text: string, what: string): void;
}

export interface ExportRowAction {
  id: string;
  label: string;
  /** Shown in the button's title and run by the grid's key handler. */
  key?: 'Enter';
  appliesTo(row: ExportRow): boolean;
  run(row: ExportRow, context: ExportRowContext): void;
}

export const EXPORT_ROW_ACTIONS: readonly ExportRowAction[] = [
  {
    id: 'follow-forwarder', label: 'Open forwarder target', key: 'Enter',
    appliesTo: (row) => row.forwarder !== undefined,
    run: (row, context) => void followForwarder(context.documentId, context.file, row.forwarder!),
  },
  {
    // Data exports and forwarders are not code in this module: there is nothing to call.
    id: 'call', label: 'Call…',
    appliesTo: (row) => row.name !== undefined && (row.kind === 'code' || row.kind === 'unknown'),
    run: (row) => prepareCall(row.name!),
  },
  {
    id: 'copy-name', label: 'Copy name',
    appliesTo: (row) => row.name !== undefined,
    run: (row, context) => context.copy(row.name!, `the name ${row.name}`),
  },
  {
    id: 'copy-signature', label: 'Copy signature',
    appliesTo: (row) => row.demangled !== undefined && row.demangled !== row.name,
    run: (row, context) => context.copy(row.demangled!, 'the undecorated signature'),
  },
];
