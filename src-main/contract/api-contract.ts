// The one contract between the UI and the session service: every request (arguments and result)
// and every pushed event, with the schemas each host checks at its edge (browser host: HTTP + WS;
// Electron: IPC). Runs anywhere: no Node or Electron imports, so the renderer may import it.
import { z } from 'zod';
import type { FileReport, ReportDocument } from '../analysis/report/report-document.ts';
import { EXPORTS_AND_HEADERS_REQUESTS } from './exports-headers-contract.ts';
import { DEPENDENCY_REQUESTS, loadContextSettingsShape } from './dependencies-contract.ts';
import { FOLDER_EVENTS, FOLDER_REQUESTS } from './folder-contract.ts';
import { agentsRestartArgsSchema, agentsStatusSchema, fileReportSchema, loaderCheckArgsSchema } from './agents-contract.ts';
import { windowsTrustArgsSchema, windowsTrustResultSchema } from './windows-trust-contract.ts';
import { CALL_EVENTS, CALL_REQUESTS } from './call-contract.ts';
import { ApiError } from './api-error-contract.ts';

export { ApiError, apiErrorSchema, settle, type ApiErrorBody, type ApiErrorCode, type Envelope } from './api-error-contract.ts';
export { PE_EXTENSIONS, isPeFileName } from './pe-file-names.ts';
export { MAX_DROPPED_FOLDER_DEPTH, MAX_DROPPED_FOLDER_ENTRIES, MAX_UPLOAD_PATH_PARTS } from './folder-upload-contract.ts';
export {
  BULKY_REQUESTS, SOCKET_PATH, SOCKET_REQUEST_MAX_BYTES, UNREADABLE_FRAME_CLOSE, socketFrameSchema, socketRequestSchema, type SocketFrame, type SocketReply, type SocketRequest,
} from './browser-socket-contract.ts';

/** Bumped on any incompatible change to a request, result or event below. */
export const CONTRACT_VERSION = 2;

const hostArch = z.enum(['x86', 'x64']);

/** Where the loader is assumed to look: the app's settings, the CLI's flags. */
export const triageSettingsSchema = z.object({
  hosts: z.array(hostArch).min(1),
  windowsDir: z.string().nullable(),
  applicationDir: z.string().nullable(),
  searchDirs: z.array(z.string()),
  realLoader: z.boolean(),
  ...loadContextSettingsShape,
});
export type TriageSettings = z.infer<typeof triageSettingsSchema>;

export const recentFileSchema = z.object({ path: z.string(), openedAt: z.string() });
export type RecentFile = z.infer<typeof recentFileSchema>;

export const settingsSchema = z.object({ triage: triageSettingsSchema, recentFiles: z.array(recentFileSchema) });
export type Settings = z.infer<typeof settingsSchema>;

/** The service checks only the shape it relies on; the report's own schemaVersion covers the rest. */
const reportDocumentSchema = z.custom<ReportDocument>(
  (value) => typeof value === 'object' && value !== null && Array.isArray((value as ReportDocument).results) && typeof (value as ReportDocument).schemaVersion === 'number',
  'a Thunk report document',
);

/** Facts the report does not hold but the UI shows: the file's hash, from the bytes analysed. */
export const fileIdentitySchema = z.object({
  file: z.string(), name: z.string(), size: z.number().nullable(), sha256: z.string().nullable(),
  /** A copy uploaded by the browser: analysed alone, without the files that sit beside the original. */
  uploaded: z.boolean(),
  /** The lists the view leaves out of `document` (they are in every exported report), counted. */
  counts: z.object({ exports: z.number(), imports: z.number(), delayImports: z.number() }),
  /** Per host that fails: the import chain from the file to the module the root cause names. */
  chains: z.object({ x86: z.array(z.string()).optional(), x64: z.array(z.string()).optional() }),
});
export type FileIdentity = z.infer<typeof fileIdentitySchema>;

/**
 * An opened (triaged) set of files, kept by the session until it closes. `document` is the view's
 * copy: exports, imports and dependency trees are left out (node.exe has 9,000 exports; a folder's
 * trees run to megabytes), counted or reduced to the failure chains in `identities`.
 */
export const openDocumentSchema = z.object({
  id: z.string(),
  /** What the user opened, for the title and the recent list. */
  inputs: z.array(z.string()),
  document: reportDocumentSchema,
  identities: z.array(fileIdentitySchema),
  durationMs: z.number(),
});
export type OpenDocument = Omit<z.infer<typeof openDocumentSchema>, 'document'> & { document: ReportDocument };

export const reportFormatSchema = z.enum(['html', 'json', 'markdown']);
export type ReportFormat = z.infer<typeof reportFormatSchema>;

/** Every request: its arguments and its result. Results are promises on the client. */
export const REQUESTS = {
  'session.hello': {
    args: z.object({ contractVersion: z.number() }),
    result: z.object({ contractVersion: z.number(), toolVersion: z.string(), host: z.enum(['browser', 'electron', 'in-process']), platform: z.string() }),
  },
  'triage.open': {
    args: z.object({ jobId: z.string().min(1).max(100), paths: z.array(z.string().min(1)).min(1).max(1000) }),
    result: openDocumentSchema,
  },
  'triage.cancel': { args: z.object({ jobId: z.string() }), result: z.object({ cancelled: z.boolean() }) },
  'document.close': { args: z.object({ id: z.string() }), result: z.object({ closed: z.boolean() }) },
  'report.export': {
    args: z.object({ id: z.string(), format: reportFormatSchema, redactUserPaths: z.boolean() }),
    result: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
  },
  /** PDF needs Electron's printToPDF: the desktop app saves one; the browser host refuses and the UI prints instead. */
  'report.pdf': { args: z.object({ id: z.string(), redactUserPaths: z.boolean() }), result: z.object({ fileName: z.string(), savedTo: z.string().nullable() }) },
  'settings.get': { args: z.object({}), result: settingsSchema },
  'settings.update': { args: z.object({ triage: triageSettingsSchema.partial() }), result: settingsSchema },
  'recent.clear': { args: z.object({}), result: settingsSchema },
  ...EXPORTS_AND_HEADERS_REQUESTS,
  ...DEPENDENCY_REQUESTS,
  ...FOLDER_REQUESTS,
  /** One file of an open folder table, as its own open document (the file view and its export). */
  'folder.file': { args: z.object({ id: z.string(), index: z.number().int().min(0) }), result: openDocumentSchema },
  'agents.status': { args: z.object({}), result: agentsStatusSchema },
  /** Ends the agent of an arch (its loaded modules are loaded again in the new one) and starts it; starts it when it was not running. */
  'agents.restart': { args: agentsRestartArgsSchema, result: agentsStatusSchema },
  /** Loads one file of an open document in the agent of each bitness it is built for, with the verdict's load context. */
  'loader.check': { args: loaderCheckArgsSchema, result: fileReportSchema },
  /** WinVerifyTrust (and the system catalogs) on one file of an open document, through a Windows agent; under Wine, Wine's answer. */
  'signature.askWindows': { args: windowsTrustArgsSchema, result: windowsTrustResultSchema },
  ...CALL_REQUESTS,
} as const;

export type RequestName = keyof typeof REQUESTS;
export type RequestArgs<N extends RequestName> = z.infer<(typeof REQUESTS)[N]['args']>;
export type RequestResult<N extends RequestName> = N extends 'triage.open' | 'folder.file' ? OpenDocument : z.infer<(typeof REQUESTS)[N]['result']>;

/** Every event the service pushes to its clients. */
export const EVENTS = {
  'triage.progress': z.object({ jobId: z.string(), done: z.number(), total: z.number(), file: z.string() }),
  'agent.state': z.object({ arch: z.string(), state: z.enum(['started', 'exited', 'restarting']), detail: z.string() }),
  'agent.log': z.object({ arch: z.string(), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  'agent.crash': z.object({ arch: z.string(), dll: z.string().nullable(), summary: z.string() }),
  'breaker.change': z.object({ dll: z.string(), state: z.string() }),
  /** Electron: files to open from File > Open, the command line, or a second launch. */
  'app.open': z.object({ paths: z.array(z.string()).min(1) }),
  ...FOLDER_EVENTS,
  ...CALL_EVENTS,
} as const;

export type EventName = keyof typeof EVENTS;
export type EventPayload<N extends EventName> = z.infer<(typeof EVENTS)[N]>;
export type EventListener<N extends EventName> = (payload: EventPayload<N>) => void;

/** What each host serves and each client implements: one typed call per request, one subscription per event. */
export interface ThunkApi {
  request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResult<N>>;
  /** Returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: EventListener<N>): () => void;
}

export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(REQUESTS, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(EVENTS, name);
}

/** Checks a request's arguments; throws ApiError('bad-request') saying which field is wrong. */
export function parseArgs<N extends RequestName>(name: N, args: unknown): RequestArgs<N> {
  const parsed = REQUESTS[name].args.safeParse(args ?? {});
  if (!parsed.success) throw new ApiError('bad-request', `${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`);
  return parsed.data as RequestArgs<N>;
}

export type { FileReport, ReportDocument };
export type { ExportRow, ExportsResult, ForwarderTarget, HeadersResult, FlagWord } from './exports-headers-contract.ts';
export { loadMethodSchema, searchFlagSchema, type DependencyView, type DependencyViewNode, type ModuleRow, type ExportHit, type WhoExports } from './dependencies-contract.ts';
export type { FolderRow, FolderOpened } from './folder-contract.ts';
export type { Comparison } from '../analysis/compare/compare-reports.ts';
export type { AgentPanelState, AgentView, AgentsStatus } from './agents-contract.ts';
export type { WindowsTrustView } from './windows-trust-contract.ts';
export type { CallRecord, CrashCard, LogLine, ParamField, ParamKind, Prefill, PrototypeCheck, SessionSnapshot, SourceProblem } from './call-contract.ts';
