/**
 * Thunk agent protocol, version 2.
 *
 * The host (supervisor) spawns an agent of the DLL's bitness and talks to it over the agent's
 * stdin (host → agent) and stdout (agent → host). Both directions carry frames (framing.ts):
 * magic "THNK", a version byte, a u32 LE payload length, a payload and a CRC-32 of it. Payloads are
 * UTF-8 JSON, except call requests and successful call results, which are compact binary
 * (compact-codec.ts) and decode to the same objects.
 *
 * 1. The agent sends one `handshake` first (protocol version, arch, pid, runtime, koffi version).
 * 2. The host sends `request`s: `{type:'request', id, op, params}` with a unique numeric id and
 *    op in load | unload | modules | resolve | call | ping | shutdown. Requests run one at a time,
 *    in arrival order.
 * 3. Each request gets exactly one `response`: `{type:'response', id, ok:true, result}` or
 *    `{type:'response', id, ok:false, error:{code, name, message, osCode?, advice?}}`.
 * 4. Between them the agent may send `event`s: `log` (what the DLL wrote to stdout/stderr, tied to
 *    the call in flight or null), `progress` (repeat runs), and `crash` (written synchronously from
 *    the exception handler before the process dies; there is then no response for that call).
 * 5. The agent exits when its stdin closes or after answering `shutdown`.
 *
 * 64-bit integers and addresses travel as strings ("0x..." for addresses, decimal for values);
 * every message is checked at the edge with the validators below.
 */
import {
  type Check,
  type JsonValue,
  arrayOf,
  bool,
  checkAt,
  int,
  intRange,
  isRecord,
  json,
  literal,
  nullable,
  num,
  obj,
  optional,
  recordOf,
  str,
  ValidationError,
} from './validate.ts';

export type { JsonValue } from './validate.ts';
export { ValidationError } from './validate.ts';

// 2: call requests and call results travel as compact payloads (compact-codec.ts).
export const PROTOCOL_VERSION = 2;

// ---------------------------------------------------------------- handshake

export interface Handshake {
  type: 'handshake';
  protocolVersion: number;
  arch: string;
  pid: number;
  runtime: { node: string; platform: string };
  koffiVersion: string;
}

// ---------------------------------------------------------------- requests

export type Op = 'load' | 'unload' | 'modules' | 'resolve' | 'call' | 'ping' | 'shutdown' | 'trust';
export const OPS: readonly Op[] = ['load', 'unload', 'modules', 'resolve', 'call', 'ping', 'shutdown', 'trust'];

export interface LoadParams {
  path: string;
  /** LoadLibraryExW flags; default LOAD_WITH_ALTERED_SEARCH_PATH (0x8). Ignored off Windows. */
  flags?: number;
  /** Added with AddDllDirectory before loading (Windows); ignored elsewhere. */
  searchDirs?: string[];
}
export interface HandleParams {
  /** The handle returned by load. */
  handle: string;
}
export interface ResolveParams extends HandleParams {
  /** Plain name, decorated name (`_f@8`, `f@8`, `@f@8`) or ordinal (`#12`). */
  symbol: string;
}
export interface CallOptions {
  /** Run the call N times and report min/median/max; defaults to 1. */
  repeat?: number;
  /** Forces a calling convention instead of the prototype's one. */
  convention?: CallingConvention;
}
export type CallingConvention = 'cdecl' | 'stdcall' | 'fastcall' | 'thiscall';
export interface CallParams extends HandleParams {
  /** C-like prototype, e.g. "int __stdcall Add(int a, int b)"; may be preceded by declarations. */
  prototype: string;
  /** Struct/union/enum/typedef declarations in C syntax, e.g. "struct P { int x; int y; };". */
  declarations?: string;
  /**
   * One value per parameter. Numbers, 64-bit integers as strings, booleans, strings for char and
   * wchar_t strings, objects for structs, arrays for arrays, null for NULL / an _Out_ scalar.
   * Buffers: {"hex": "0a0b"} (in), {"size": 64} (out), {"hex": "..", "size": 64} (in-out).
   */
  args: JsonValue[];
  options?: CallOptions;
}
export type EmptyParams = Record<string, never>;
/** Asks Windows (WinVerifyTrust, then the system catalogs) about a file's signature, offline. */
export interface TrustParams {
  path: string;
}

interface RequestBase<O extends Op, P> {
  type: 'request';
  id: number;
  op: O;
  params: P;
}
export type LoadRequest = RequestBase<'load', LoadParams>;
export type UnloadRequest = RequestBase<'unload', HandleParams>;
export type ModulesRequest = RequestBase<'modules', EmptyParams>;
export type ResolveRequest = RequestBase<'resolve', ResolveParams>;
export type CallRequest = RequestBase<'call', CallParams>;
export type PingRequest = RequestBase<'ping', EmptyParams>;
export type ShutdownRequest = RequestBase<'shutdown', EmptyParams>;
export type TrustRequest = RequestBase<'trust', TrustParams>;
export type Request =
  | LoadRequest
  | UnloadRequest
  | ModulesRequest
  | ResolveRequest
  | CallRequest
  | PingRequest
  | ShutdownRequest
  | TrustRequest;

// ---------------------------------------------------------------- results

export interface ModuleInfo {
  path: string;
  /** "0x..." or null when the platform does not tell. */
  base: string | null;
  size: number | null;
}
export interface LoadResult {
  handle: string;
  base: string | null;
  /** The path the loader actually used (GetModuleFileNameW / the dlopen'ed path). */
  path: string;
  alreadyLoaded: boolean;
  /** Modules present after the load that were not before it (the DLL and its dependencies). */
  newModules: ModuleInfo[];
}
export interface UnloadResult {
  unloaded: boolean;
}
export interface ModulesResult {
  modules: ModuleInfo[];
}
export interface ResolveResult {
  /** The export name (or "#N") that matched. */
  name: string;
  address: string;
  /** Every name that was tried, in order. */
  tried: string[];
}
export interface OsError {
  code: number;
  name: string | null;
  message: string;
}
export interface CallOut {
  index: number;
  name: string | null;
  value: JsonValue;
}
export interface Timing {
  runs: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
}
export interface CallResult {
  /** The export actually called. */
  symbol: string;
  value: JsonValue;
  /** Values of _Out_/_Inout_ parameters and buffers after the (last) call. */
  outs: CallOut[];
  /** GetLastError() right after the call (Windows), else null. */
  lastError: OsError | null;
  /** errno right after the call. */
  errno: number | null;
  durationMs: number;
  timing: Timing | null;
}
export interface PingResult {
  pong: true;
  time: number;
}
export interface ShutdownResult {
  bye: true;
}
/** One answer of WinVerifyTrust: its HRESULT as the SDK names it, and in words. */
export interface TrustVerdict {
  /** The HRESULT as an unsigned 32-bit number (0 = trusted). */
  hresult: number;
  /** E.g. TRUST_E_NOSIGNATURE; "0x..." when the name is not known. */
  name: string;
  message: string;
}
export interface TrustResult {
  /** WinVerifyTrust on the file itself (WTD_CHOICE_FILE): its embedded signature. */
  embedded: TrustVerdict;
  /** The system catalog that holds the file's hash, and WinVerifyTrust's answer through it (WTD_CHOICE_CATALOG). */
  catalog: { path: string; memberTag: string; verdict: TrustVerdict } | null;
  /** How the catalog search went, in words: skipped (an embedded signature answered), none found, or why it failed. */
  catalogSearch: string;
}
export interface ResultByOp {
  load: LoadResult;
  unload: UnloadResult;
  modules: ModulesResult;
  resolve: ResolveResult;
  call: CallResult;
  ping: PingResult;
  shutdown: ShutdownResult;
  trust: TrustResult;
}

// ---------------------------------------------------------------- responses

export type AgentErrorCode =
  | 'bad-request'
  | 'bad-prototype'
  | 'bad-args'
  | 'path-missing'
  | 'wrong-bitness'
  | 'load-failed'
  | 'unknown-handle'
  | 'symbol-not-found'
  | 'call-failed'
  | 'unsupported'
  | 'internal';
export const AGENT_ERROR_CODES: readonly AgentErrorCode[] = [
  'bad-request',
  'bad-prototype',
  'bad-args',
  'path-missing',
  'wrong-bitness',
  'load-failed',
  'unknown-handle',
  'symbol-not-found',
  'call-failed',
  'unsupported',
  'internal',
];

export interface AgentError {
  code: AgentErrorCode;
  /** E.g. ERROR_BAD_EXE_FORMAT, or the JS error class for agent-side failures. */
  name: string;
  message: string;
  /** Windows error code (GetLastError) when the OS refused. */
  osCode?: number;
  /** What the user can do, e.g. "use the 64-bit agent". */
  advice?: string;
}
export interface OkResponse<R = unknown> {
  type: 'response';
  id: number;
  ok: true;
  result: R;
}
export interface ErrorResponse {
  type: 'response';
  id: number;
  ok: false;
  error: AgentError;
}
export type Response = OkResponse | ErrorResponse;

// ---------------------------------------------------------------- events

export interface LogEvent {
  type: 'event';
  event: 'log';
  callId: number | null;
  stream: 'stdout' | 'stderr';
  text: string;
}
export interface CrashFrame {
  address: string;
  module: string | null;
  offset: number | null;
  symbol: string | null;
}
export interface CrashEvent {
  type: 'event';
  event: 'crash';
  callId: number | null;
  /** NTSTATUS, e.g. 0xC0000005 (as an unsigned number). */
  code: number;
  name: string;
  address: string;
  module: string | null;
  offset: number | null;
  /** Nearest export at or below the address, "Name+0x12". */
  symbol: string | null;
  /** For access violations: the address read/written/executed. */
  accessAddress?: string;
  accessKind?: 'read' | 'write' | 'execute';
  registers: Record<string, string>;
  frames: CrashFrame[];
  jsStack: string;
  /** The Windows id of the faulting thread. */
  threadId?: number;
  /** What happened, in words, when the code alone does not say it (abort()). */
  cause?: string;
  /** Where the minidump was written (THUNK_MINIDUMP_DIR set), as the host names the path. */
  minidump?: string;
  /** Why no minidump was written although one was asked for. */
  minidumpError?: string;
}
export interface ProgressEvent {
  type: 'event';
  event: 'progress';
  callId: number;
  done: number;
  total: number;
}
export type AgentEvent = LogEvent | CrashEvent | ProgressEvent;

export type AgentMessage = Handshake | Response | AgentEvent;
export type HostMessage = Request;

// ---------------------------------------------------------------- validators

const address: Check<string> = (v) => {
  const s = str(v);
  if (!/^0x[0-9a-f]+$/i.test(s)) throw new ValidationError('', 'an address "0x..."');
  return s;
};

const isTrue: Check<true> = (v) => {
  if (v !== true) throw new ValidationError('', 'true');
  return true;
};

const convention = literal('cdecl', 'stdcall', 'fastcall', 'thiscall');
const empty: Check<EmptyParams> = (v) => {
  if (v !== undefined && !isRecord(v)) throw new ValidationError('', 'an object');
  return {};
};

const paramChecks: { [O in Op]: Check<Extract<Request, { op: O }>['params']> } = {
  load: obj<LoadParams>({
    path: str,
    flags: optional(intRange(0, 0xffffffff)),
    searchDirs: optional(arrayOf(str, 64)),
  }),
  unload: obj<HandleParams>({ handle: str }),
  modules: empty,
  resolve: obj<ResolveParams>({ handle: str, symbol: str }),
  call: obj<CallParams>({
    handle: str,
    prototype: str,
    declarations: optional(str),
    args: arrayOf(json, 256),
    options: optional(obj<CallOptions>({ repeat: optional(intRange(1, 1_000_000)), convention: optional(convention) })),
  }),
  ping: empty,
  shutdown: empty,
  trust: obj<TrustParams>({ path: str }),
};

const op = literal(...OPS);
const requestType = literal('request');
const requestId = intRange(0, Number.MAX_SAFE_INTEGER);

export const checkRequest: Check<Request> = (v) => {
  if (!isRecord(v)) throw new ValidationError('', 'an object');
  checkAt(requestType, v.type, 'type');
  const id = checkAt(requestId, v.id, 'id');
  const o = checkAt(op, v.op, 'op');
  const params = checkAt(paramChecks[o] as Check<unknown>, v.params ?? {}, 'params');
  return { type: 'request', id, op: o, params } as Request;
};

const checkHandshake = obj<Handshake>({
  type: literal('handshake'),
  protocolVersion: int,
  arch: str,
  pid: int,
  runtime: obj({ node: str, platform: str }),
  koffiVersion: str,
});

const checkAgentError = obj<AgentError>({
  code: literal(...AGENT_ERROR_CODES),
  name: str,
  message: str,
  osCode: optional(int),
  advice: optional(str),
});

const checkResponse: Check<Response> = (v) => {
  if (!isRecord(v)) throw new ValidationError('', 'an object');
  const id = checkAt(int, v.id, 'id');
  if (checkAt(bool, v.ok, 'ok')) return { type: 'response', id, ok: true, result: checkAt(json, v.result ?? null, 'result') };
  return { type: 'response', id, ok: false, error: checkAt(checkAgentError, v.error, 'error') };
};

const checkFrame = obj<CrashFrame>({ address, module: nullable(str), offset: nullable(int), symbol: nullable(str) });

const eventChecks: { [E in AgentEvent['event']]: Check<Extract<AgentEvent, { event: E }>> } = {
  log: obj<LogEvent>({
    type: literal('event'),
    event: literal('log'),
    callId: nullable(int),
    stream: literal('stdout', 'stderr'),
    text: str,
  }),
  crash: obj<CrashEvent>({
    type: literal('event'),
    event: literal('crash'),
    callId: nullable(int),
    code: intRange(0, 0xffffffff),
    name: str,
    address,
    module: nullable(str),
    offset: nullable(int),
    symbol: nullable(str),
    accessAddress: optional(address),
    accessKind: optional(literal('read', 'write', 'execute')),
    registers: recordOf(str),
    frames: arrayOf(checkFrame, 1024),
    jsStack: str,
    threadId: optional(intRange(0, 0xffffffff)),
    minidump: optional(str),
    minidumpError: optional(str),
    cause: optional(str),
  }),
  progress: obj<ProgressEvent>({
    type: literal('event'),
    event: literal('progress'),
    callId: int,
    done: int,
    total: int,
  }),
};

const messageType = literal('handshake', 'response', 'event');
const eventName = literal('log', 'crash', 'progress');

export const checkAgentMessage: Check<AgentMessage> = (v) => {
  if (!isRecord(v)) throw new ValidationError('', 'an object');
  const type = checkAt(messageType, v.type, 'type');
  if (type === 'handshake') return checkHandshake(v);
  if (type === 'response') return checkResponse(v);
  const event = checkAt(eventName, v.event, 'event');
  return (eventChecks[event] as Check<AgentEvent>)(v);
};

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

function validated<T>(check: Check<T>, value: unknown): Validated<T> {
  try {
    return { ok: true, value: check(value) };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Validates what the agent receives. */
export function validateHostMessage(value: unknown): Validated<HostMessage> {
  return validated(checkRequest, value);
}

/** Validates what the host receives. */
export function validateAgentMessage(value: unknown): Validated<AgentMessage> {
  return validated(checkAgentMessage, value);
}

// Result shapes, for the supervisor to check `result` of an ok response against its op.
const checkModule = obj<ModuleInfo>({ path: str, base: nullable(address), size: nullable(int) });
const checkTrustVerdict = obj<TrustVerdict>({ hresult: intRange(0, 0xffffffff), name: str, message: str });
const checkOsError = obj<OsError>({ code: int, name: nullable(str), message: str });
export const resultChecks: { [O in Op]: Check<ResultByOp[O]> } = {
  load: obj<LoadResult>({
    handle: str,
    base: nullable(address),
    path: str,
    alreadyLoaded: bool,
    newModules: arrayOf(checkModule),
  }),
  unload: obj<UnloadResult>({ unloaded: bool }),
  modules: obj<ModulesResult>({ modules: arrayOf(checkModule) }),
  resolve: obj<ResolveResult>({ name: str, address, tried: arrayOf(str) }),
  call: obj<CallResult>({
    symbol: str,
    value: json,
    outs: arrayOf(obj<CallOut>({ index: int, name: nullable(str), value: json })),
    lastError: nullable(checkOsError),
    errno: nullable(int),
    durationMs: num,
    timing: nullable(obj<Timing>({ runs: int, minMs: num, medianMs: num, maxMs: num })),
  }),
  ping: obj<PingResult>({ pong: isTrue, time: num }),
  shutdown: obj<ShutdownResult>({ bye: isTrue }),
  trust: obj<TrustResult>({
    embedded: checkTrustVerdict,
    catalog: nullable(obj<NonNullable<TrustResult['catalog']>>({ path: str, memberTag: str, verdict: checkTrustVerdict })),
    catalogSearch: str,
  }),
};

/** Checks the result of an ok response to a request of `op`. */
export function validateResult<O extends Op>(op: O, value: unknown): Validated<ResultByOp[O]> {
  return validated(resultChecks[op] as Check<ResultByOp[O]>, value);
}
