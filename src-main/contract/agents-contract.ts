// The agents panel's and "Ask the real loader"'s part of the UI contract (imported by api-contract.ts).
// Runs anywhere: no Node or Electron imports.
import { z } from 'zod';
import type { FileReport } from '../analysis/report/report-document.ts';

/** What the panel shows for an agent, worked out by the service from the supervisor's status. */
export const agentPanelStateSchema = z.enum(['not-started', 'starting', 'ready', 'busy', 'crashed', 'breaker-open']);
export type AgentPanelState = z.infer<typeof agentPanelStateSchema>;

export const agentViewSchema = z.object({
  /** The supervisor's arch: win32-ia32, win32-x64, linux-x64. */
  arch: z.string(),
  /** For people: x86, x64, native. */
  label: z.string(),
  state: z.string(),
  panelState: agentPanelStateSchema,
  pid: z.number().nullable(),
  runtime: z.string().nullable(),
  execution: z.enum(['native', 'wine', 'wine-emulated']).nullable(),
  /** How it runs, in words: "native", "under Wine 8.0", "under Wine 8.0 with x86 emulated by qemu-i386". */
  how: z.string().nullable(),
  /** When the running agent sent its handshake (ms since epoch), from the supervisor's 'start' event. */
  startedAt: z.number().nullable(),
  starts: z.number(),
  restarts: z.number(),
  crashes: z.number(),
  timeouts: z.number(),
  queued: z.number(),
  inFlight: z.number(),
  modules: z.array(z.string()),
  /** The DLLs of this agent whose circuit breaker is open (requests refused for a while). */
  openBreakers: z.array(z.string()),
  /** How the last agent process ended, in words, or null. */
  lastExit: z.string().nullable(),
});
export type AgentView = z.infer<typeof agentViewSchema>;

export const agentsStatusSchema = z.object({
  agents: z.array(agentViewSchema),
  breakers: z.array(z.object({ dll: z.string(), state: z.string(), retryAt: z.number().nullable() })),
  /** The service's clock when the status was taken: uptime is `now - startedAt` on the same clock. */
  now: z.number(),
});
export type AgentsStatus = z.infer<typeof agentsStatusSchema>;

export const agentsRestartArgsSchema = z.object({ arch: z.enum(['win32-ia32', 'win32-x64', 'linux-x64']) });

/** "Ask the real loader" for one file of an open document: its report with `realLoader` and any disagreement finding. */
export const loaderCheckArgsSchema = z.object({ id: z.string(), file: z.string() });

/** The service checks only the shape it relies on; the report's own schemaVersion covers the rest. */
export const fileReportSchema = z.custom<FileReport>(
  (value) => typeof value === 'object' && value !== null && typeof (value as FileReport).file === 'string' && Array.isArray((value as FileReport).findings),
  'a Thunk file report',
);
