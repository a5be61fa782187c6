// The folder table and the comparison in the UI↔service contract: the row each file of a folder
// triage becomes (pushed as it is produced), and the requests of the folder and compare views.
import { z } from 'zod';
import type { Comparison } from '../analysis/compare/compare-reports.ts';

/** One host's cell: loads, fails (with the error), or not built for this host. */
export const folderHostCellSchema = z.object({
  mood: z.enum(['loads', 'fails', 'not-for-host']),
  /** "126 ERROR_MOD_NOT_FOUND" when it fails (or would, for another bitness). */
  error: z.string().nullable(),
});
export type FolderHostCell = z.infer<typeof folderHostCellSchema>;

/** A file of a folder triage, in a few fields: what the table shows, sorts and filters. */
export const folderRowSchema = z.object({
  index: z.number(),
  file: z.string(),
  name: z.string(),
  status: z.enum(['analysed', 'not-pe', 'unreadable', 'failed']),
  machine: z.string().nullable(),
  verdicts: z.object({ x86: folderHostCellSchema.optional(), x64: folderHostCellSchema.optional() }),
  problems: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
  /** A blocking problem, as `thunk triage` counts it (--problems-only, exit 1). */
  blocking: z.boolean(),
});
export type FolderRow = z.infer<typeof folderRowSchema>;

export const folderOpenedSchema = z.object({
  /** The whole table as one open document: report.export takes this id. */
  id: z.string(),
  inputs: z.array(z.string()),
  /**
   * The table's rows were pushed as folder.rows before this result; it counts them rather than
   * repeating them (700 rows parsed and validated again took the page's longest task to 68 ms).
   * A client that got fewer asks folder.table for the rest.
   */
  rowCount: z.number(),
  /** Stopped by triage.cancel: the rows are the files done so far, and so is the exported report. */
  cancelled: z.boolean(),
  durationMs: z.number(),
});
export type FolderOpened = z.infer<typeof folderOpenedSchema>;

const comparisonSchema = z.custom<Comparison>(
  (value) => typeof value === 'object' && value !== null && Array.isArray((value as Comparison).facts) && typeof (value as Comparison).differs === 'object',
  'a Thunk comparison',
);

export const FOLDER_REQUESTS = {
  /** "set" when a path is a folder or there are several: the folder table; "file" opens the file view. */
  'paths.kind': { args: z.object({ paths: z.array(z.string().min(1)).min(1).max(1000) }), result: z.object({ kind: z.enum(['file', 'set']) }) },
  /** Triages files and folders, pushing folder.rows as files are done; triage.cancel stops it, keeping the rows. */
  'folder.open': { args: z.object({ jobId: z.string().min(1).max(100), paths: z.array(z.string().min(1)).min(1).max(1000) }), result: folderOpenedSchema },
  /** Rows of an open folder table from `from` on: for a client that missed pushed rows (a reconnected WebSocket). */
  'folder.table': { args: z.object({ id: z.string(), from: z.number().int().min(0) }), result: z.object({ rows: z.array(folderRowSchema) }) },
  'compare.open': { args: z.object({ a: z.string().min(1), b: z.string().min(1) }), result: comparisonSchema },
} as const;

export const FOLDER_EVENTS = {
  'folder.rows': z.object({ jobId: z.string(), rows: z.array(folderRowSchema), done: z.number(), total: z.number(), file: z.string() }),
} as const;
