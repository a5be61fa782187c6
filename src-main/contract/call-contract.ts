// The call console's part of the UI↔service contract: prototype checks, calls and their records,
// live log lines and the saved session. Imported by api-contract.ts; runs anywhere.
import { z } from 'zod';

/** A value as the agent takes it: numbers, 64-bit integers as strings, buffers {hex,size}, structs as objects. */
const jsonValue: z.ZodType<unknown> = z.unknown();

export const paramKindSchema = z.enum(['integer', 'float', 'bool', 'string', 'wide-string', 'buffer', 'out-scalar', 'struct', 'pointer', 'enum']);
export type ParamKind = z.infer<typeof paramKindSchema>;

export interface ParamField {
  name: string;
  /** The C type as written, e.g. "const char *", "int64_t". */
  type: string;
  kind: ParamKind;
  /** Integers: bit width and signedness, so 64-bit values are checked as text without loss. */
  bits?: number;
  signed?: boolean;
  /** Pointers: NULL is a valid value. */
  nullable: boolean;
  direction: 'in' | 'out' | 'inout' | 'default';
  /** Structs: their fields, nested; enums: their names and values. */
  fields?: ParamField[];
  enumValues?: Record<string, number>;
}

export const paramFieldSchema: z.ZodType<ParamField> = z.lazy(() => z.object({
  name: z.string(), type: z.string(), kind: paramKindSchema, bits: z.number().optional(), signed: z.boolean().optional(), nullable: z.boolean(),
  direction: z.enum(['in', 'out', 'inout', 'default']), fields: z.array(paramFieldSchema).optional(), enumValues: z.record(z.number()).optional(),
}));

/** A problem in the prototype or the declarations, with where it is (character offsets in that text). */
export const sourceProblemSchema = z.object({ source: z.enum(['prototype', 'declarations']), message: z.string(), start: z.number(), end: z.number() });
export type SourceProblem = z.infer<typeof sourceProblemSchema>;

export const prototypeCheckSchema = z.object({
  ok: z.boolean(),
  problem: sourceProblemSchema.nullable(),
  name: z.string().nullable(),
  convention: z.string().nullable(),
  returns: z.string().nullable(),
  params: z.array(paramFieldSchema),
});
export type PrototypeCheck = z.infer<typeof prototypeCheckSchema>;

export const prefillSchema = z.object({ prototype: z.string(), note: z.string(), guessed: z.boolean(), declarations: z.string() });
export type Prefill = z.infer<typeof prefillSchema>;

const frameSchema = z.object({ address: z.string(), module: z.string().nullable(), offset: z.number().nullable(), symbol: z.string().nullable() });

export const crashCardSchema = z.object({
  summary: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  module: z.string().nullable(),
  offset: z.string().nullable(),
  symbol: z.string().nullable(),
  address: z.string().nullable(),
  accessAddress: z.string().nullable(),
  accessKind: z.string().nullable(),
  cause: z.string().nullable(),
  registers: z.record(z.string()),
  frames: z.array(frameSchema),
  minidump: z.string().nullable(),
  /** Why there is no minidump although one was asked for (the agent's words, or Wine x64's known problem). */
  minidumpError: z.string().nullable().default(null),
  exit: z.string(),
  /** What the supervisor did about it: restart, the modules it restores, the breaker. */
  supervisor: z.object({ agentState: z.string(), restarts: z.number(), modulesRestored: z.array(z.string()), breaker: z.string(), breakerFailures: z.number() }),
});
export type CrashCard = z.infer<typeof crashCardSchema>;

export const callAgentSchema = z.object({ arch: z.string(), pid: z.number().nullable(), runtime: z.string(), execution: z.string() });

export const callRecordSchema = z.object({
  id: z.string(),
  dll: z.string(),
  prototype: z.string(),
  declarations: z.string(),
  args: z.array(jsonValue),
  repeat: z.number(),
  timeoutMs: z.number(),
  startedAt: z.string(),
  kind: z.enum(['result', 'error', 'crash']),
  value: jsonValue.optional(),
  outs: z.array(z.object({ index: z.number(), name: z.string().nullable(), value: jsonValue })),
  lastError: z.object({ code: z.number(), name: z.string().nullable(), message: z.string() }).nullable(),
  errno: z.number().nullable(),
  durationMs: z.number().nullable(),
  timing: z.object({ runs: z.number(), minMs: z.number(), medianMs: z.number(), maxMs: z.number() }).nullable(),
  error: z.object({ code: z.string(), name: z.string(), message: z.string(), advice: z.string().optional() }).nullable(),
  crash: crashCardSchema.nullable(),
  agent: callAgentSchema.nullable(),
  elapsedMs: z.number(),
  logLines: z.number(),
});
export type CallRecord = z.infer<typeof callRecordSchema>;

/** One line of the log pane: the DLL's output tied to its call, or an agent event between them. */
export const logLineSchema = z.object({
  seq: z.number(),
  at: z.number(),
  arch: z.string(),
  kind: z.enum(['stdout', 'stderr', 'event']),
  callId: z.string().nullable(),
  text: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

export const sessionSnapshotSchema = z.object({
  format: z.literal('thunk-session'),
  version: z.literal(1),
  savedAt: z.string(),
  calls: z.array(callRecordSchema),
  logs: z.array(logLineSchema),
  declarations: z.record(z.string()),
});
export type SessionSnapshot = z.infer<typeof sessionSnapshotSchema>;

export const CALL_REQUESTS = {
  'call.check': {
    args: z.object({ prototype: z.string().max(4000), declarations: z.string().max(20000) }),
    result: prototypeCheckSchema,
  },
  'call.prefill': { args: z.object({ dll: z.string().min(1), exportName: z.string().min(1).max(2000) }), result: prefillSchema },
  'call.invoke': {
    args: z.object({
      dll: z.string().min(1), prototype: z.string().min(1).max(4000), declarations: z.string().max(20000), args: z.array(jsonValue).max(256),
      repeat: z.number().int().min(1).max(100_000), timeoutMs: z.number().int().min(100).max(600_000),
    }),
    result: callRecordSchema,
  },
  'call.history': { args: z.object({}), result: z.object({ calls: z.array(callRecordSchema), logs: z.array(logLineSchema), declarations: z.record(z.string()) }) },
  /** Remembers a DLL's struct, enum and typedef declarations as typed (empty forgets them). */
  'call.declarations': { args: z.object({ dll: z.string().min(1), declarations: z.string().max(20000) }), result: z.object({ saved: z.boolean() }) },
  'call.declarationsOf': { args: z.object({ dll: z.string().min(1) }), result: z.object({ declarations: z.string() }) },
  'call.resetBreaker': { args: z.object({ dll: z.string().min(1) }), result: z.object({ reset: z.boolean() }) },
  /** The minidump of a crashed call of this session, to save (base64: the API carries text). */
  'call.minidump': { args: z.object({ callId: z.string().min(1).max(100) }), result: z.object({ fileName: z.string(), base64: z.string(), bytes: z.number() }) },
  'session.save': { args: z.object({}), result: z.object({ fileName: z.string(), content: z.string() }) },
  'session.load': { args: z.object({ content: z.string().max(64 * 1024 * 1024) }), result: z.object({ calls: z.array(callRecordSchema), logs: z.array(logLineSchema), declarations: z.record(z.string()) }) },
} as const;

const LOG_KINDS = new Set(['stdout', 'stderr', 'event']);

/** A hand-written check for the pushed lines: zod took ~140 ms on a cold page for 5,000 of them, a long task in a flood. */
export function areLogLines(value: unknown): value is LogLine[] {
  if (!Array.isArray(value)) return false;
  for (const line of value as Partial<LogLine>[]) {
    if (typeof line !== 'object' || line === null || typeof line.seq !== 'number' || typeof line.at !== 'number' || typeof line.arch !== 'string'
      || !LOG_KINDS.has(line.kind as string) || (line.callId !== null && typeof line.callId !== 'string') || typeof line.text !== 'string') return false;
  }
  return true;
}

export const CALL_EVENTS = {
  /** Log lines and agent events, batched (one flush per 50 ms, events of at most 500 lines). */
  'call.logs': z.object({ lines: z.custom<LogLine[]>(areLogLines, 'log lines {seq, at, arch, kind, callId, text}'), dropped: z.number() }),
} as const;
