// The browser host's WebSocket: the service's events, and requests with their replies. Requests
// travel here rather than by fetch because a WebSocket message costs Chromium under a millisecond
// each way where a fetch costs about seven (scripts/bench-ui-calls.ts). No Node imports: the
// renderer imports it through api-contract.ts.
import { z } from 'zod';
import { apiErrorSchema } from './api-error-contract.ts';

export const SOCKET_PATH = '/api/socket';

/** Bigger requests (a saved session to open) go over HTTP, which streams them and refuses what is too large in words. */
export const SOCKET_REQUEST_MAX_BYTES = 256 * 1024;

/**
 * Requests whose answer can run to megabytes (node.exe's 9,000 exports, a folder's table, a report,
 * a minidump) go by HTTP: Chromium reads a fetch's body in pieces, where it decodes and parses a
 * WebSocket message of that size in one long task on the page's main thread (60-70 ms for node.exe's
 * exports in bench:ui, against none over 50 ms by fetch).
 */
export const BULKY_REQUESTS: ReadonlySet<string> = new Set([
  'triage.open', 'report.export', 'exports.list', 'headers.get', 'dependencies.view', 'dependencies.whoExports', 'folder.open', 'folder.table',
  'compare.open', 'folder.file', 'call.history', 'call.minidump', 'session.save', 'session.load',
]);

/** A page's request: `id` ties the reply to it; `name` and `args` are checked by the service as for HTTP. */
export const socketRequestSchema = z.object({ type: z.literal('request'), id: z.number().int().nonnegative(), name: z.string(), args: z.unknown() });
export type SocketRequest = z.infer<typeof socketRequestSchema>;

const replySchema = z.union([
  z.object({ type: z.literal('reply'), id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.number(), ok: z.literal(false), error: apiErrorSchema }),
]);
const eventSchema = z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() });

/** What the server sends: events in the order the service made them, replies as requests finish. */
export const socketFrameSchema = z.union([eventSchema, replySchema]);
export type SocketFrame = z.infer<typeof socketFrameSchema>;
export type SocketReply = z.infer<typeof replySchema>;

/** Close code for a frame the server cannot read (RFC 6455 1007: invalid payload data). */
export const UNREADABLE_FRAME_CLOSE = 1007;
