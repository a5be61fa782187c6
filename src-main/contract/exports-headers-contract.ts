// The exports browser's and the headers tab's requests: schemas and result types. Runs anywhere.
import { z } from 'zod';
import type { ExportRow } from '../analysis/report/report-document.ts';
import type { HeadersView } from '../analysis/pe/headers-view.ts';
import type { FileSignatureReport } from '../analysis/signature/signature-types.ts';
import type { FlagWord } from '../analysis/pe/flag-words.ts';

const fileOfDocument = z.object({ id: z.string().min(1), file: z.string().min(1) });

/**
 * Checked by shape, not row by row: zod over node.exe's 9,000+ rows was the page's longest
 * main-thread task; the rows come from the report builder, which types each one.
 */
export const exportsResultSchema = z.object({
  file: z.string(),
  rows: z.custom<ExportRow[]>((value) => Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null && typeof (row as ExportRow).ordinal === 'number'), 'export rows'),
});
export type ExportsResult = { file: string; rows: ExportRow[] };

export const forwarderTargetSchema = z.object({
  forwarder: z.string(),
  /** The module file the loader looks for, e.g. "ntdll.dll". */
  module: z.string(),
  /** The function name, or "#12" for an ordinal. */
  function: z.string(),
  host: z.enum(['x86', 'x64']).nullable(),
  /** Where the module was found; null with `reason` when it cannot be. */
  path: z.string().nullable(),
  /** How it was found, in words ("the application folder"). */
  how: z.string().nullable(),
  reason: z.string().nullable(),
});
export type ForwarderTarget = z.infer<typeof forwarderTargetSchema>;

/** The headers view plus the Authenticode verification the report already holds. */
export type HeadersResult = HeadersView & { signature: FileSignatureReport | null };

/** The service checks the shape it relies on; the view itself is built in one place (headers-view.ts). */
export const headersResultSchema = z.custom<HeadersResult>(
  (value) => typeof value === 'object' && value !== null && Array.isArray((value as HeadersResult).sections) && typeof (value as HeadersResult).fileHeader === 'object',
  'a headers view',
);

export const EXPORTS_AND_HEADERS_REQUESTS = {
  'exports.list': { args: fileOfDocument, result: exportsResultSchema },
  'exports.resolveForwarder': { args: fileOfDocument.extend({ forwarder: z.string().min(1).max(1000) }), result: forwarderTargetSchema },
  'headers.get': { args: fileOfDocument, result: headersResultSchema },
} as const;

export type { ExportRow, HeadersView, FlagWord, FileSignatureReport };
