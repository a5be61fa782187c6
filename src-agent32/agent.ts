// The call agent: loads DLLs (or .so files) into its own disposable process and runs requests
// from the supervisor, one at a time, answering over stdout in frames (see protocol/messages.ts).
import v8 from 'node:v8';
import { koffi } from './native/koffi.ts';
import type { AgentEvent, AgentMessage, ErrorResponse, HostMessage, Op, Request, ResultByOp } from './protocol/messages.ts';
import { appendAgentMessage } from './protocol/message-frames.ts';
import { PROTOCOL_VERSION } from './protocol/messages.ts';
import { FrameWriter } from './protocol/framing.ts';
import { AgentFailure, type Platform } from './native/platform.ts';
import { OutputCapture } from './output-capture.ts';
import { forgetLibrary, prepareCall, runCall } from './call/call-engine.ts';
import { LibraryTable } from './library-table.ts';
import { type FrameInput, polledInput, serveFrames, workerInput } from './transport.ts';

export interface AgentContext {
  platform: Platform;
  capture: OutputCapture;
  libraries: LibraryTable;
  /** `answering`: the op a response answers (it picks the response's layout on the wire). */
  send(message: AgentMessage, answering?: Op): void;
  currentCall: number | null;
}

async function createPlatform(): Promise<Platform> {
  if (process.platform === 'win32') {
    const { WindowsPlatform } = await import('./native/windows.ts');
    return new WindowsPlatform();
  }
  const { PosixPlatform } = await import('./native/posix.ts');
  return new PosixPlatform();
}

// An agent lives for a few thousand small requests at most; with V8's default budget the request
// path stays unoptimised for most of them. V8 12 (Node 22, the Windows runtimes) has no such flag.
function tierUpSooner(): void {
  if (Number(process.versions.v8.split('.')[0]) === 11) v8.setFlagsFromString('--interrupt-budget=8000');
}

async function main(): Promise<void> {
  const platform = await createPlatform();
  const frames = new FrameWriter();
  const send = (message: AgentMessage, answering?: Op) => {
    try {
      appendAgentMessage(frames, message, answering);
      const bytes = frames.view();
      for (let offset = 0; offset < bytes.length; ) offset += platform.writeOut(bytes.subarray(offset));
    } finally {
      frames.clear();
    }
  };
  process.on('uncaughtException', (error) => {
    // process.exit would wait forever for the drain workers blocked in read().
    try {
      send({ type: 'event', event: 'log', callId: null, stream: 'stderr', text: `[agent] fatal: ${error.stack ?? error}\n` });
    } finally {
      platform.exit(70);
    }
  });
  const input = openInput(platform);
  const capture = new OutputCapture(platform, (text) => send({ type: 'event', event: 'log', callId: null, stream: 'stderr', text: `[agent] ${text}\n` }));
  const ctx: AgentContext = { platform, capture, libraries: new LibraryTable(), send, currentCall: null };
  if (process.platform === 'win32') {
    const { installCrashReporter } = await import('./crash-reporter.ts');
    installCrashReporter(ctx);
  }
  send({
    type: 'handshake',
    protocolVersion: PROTOCOL_VERSION,
    arch: process.arch,
    pid: process.pid,
    runtime: { node: process.version, platform: process.platform },
    koffiVersion: koffi.version,
  });
  // After the handshake: earlier, the extra optimising compiles only delay start-up.
  tierUpSooner();
  serveFrames(input, {
    onInbound: (item) => {
      if (item.kind === 'invalid') {
        if (item.id !== null) send(errorResponse(item.id, new AgentFailure('bad-request', 'ValidationError', item.error)));
        else send({ type: 'event', event: 'log', callId: null, stream: 'stderr', text: `[agent] ignored input: ${item.error}\n` });
        return;
      }
      handle(ctx, item.message);
    },
    onIdle: () => forwardOutput(ctx, null, capture.take()),
    onEnd: () => platform.exit(0),
  });
}

function openInput(platform: Platform): FrameInput {
  const wait = platform.waitReadable?.bind(platform);
  return wait ? polledInput(0, wait) : workerInput(0);
}

const RUNS_LIBRARY_CODE = new Set<HostMessage['op']>(['load', 'unload', 'call']);

function handle(ctx: AgentContext, request: HostMessage): void {
  const callId = request.op === 'call' ? request.id : null;
  ctx.currentCall = request.id;
  let response: AgentMessage;
  try {
    response = { type: 'response', id: request.id, ok: true, result: perform(ctx, request) };
  } catch (error) {
    response = errorResponse(request.id, error);
  } finally {
    ctx.currentCall = null;
  }
  // Only library code writes to the captured pipes; other requests take what is there, unwaited.
  forwardOutput(ctx, callId, RUNS_LIBRARY_CODE.has(request.op) ? ctx.capture.sync() : ctx.capture.take());
  ctx.send(response, request.op);
  if (request.op === 'shutdown') ctx.platform.exit(0);
}

function perform(ctx: AgentContext, request: Request): ResultByOp[Request['op']] {
  switch (request.op) {
    case 'ping':
      return { pong: true, time: Date.now() };
    case 'shutdown':
      return { bye: true };
    case 'modules':
      return { modules: ctx.platform.modules() };
    case 'load': {
      const { path, flags, searchDirs } = request.params;
      const loaded = ctx.platform.load(path, flags, searchDirs ?? []);
      return { handle: ctx.libraries.add(loaded.native), ...loaded.result };
    }
    case 'unload': {
      ctx.platform.unload(ctx.libraries.take(request.params.handle));
      forgetLibrary(request.params.handle);
      return { unloaded: true };
    }
    case 'resolve': {
      const native = ctx.libraries.get(request.params.handle);
      const symbol = request.params.symbol;
      const candidates = /^#\d+$/.test(symbol) ? [Number(symbol.slice(1))] : [symbol];
      const found = ctx.platform.resolve(native, candidates);
      if (!found) throw new AgentFailure('symbol-not-found', 'ERROR_PROC_NOT_FOUND', `no export ${symbol}`, 127);
      return { name: found.name, address: `0x${found.address.toString(16)}`, tried: [symbol] };
    }
    case 'trust': {
      if (!ctx.platform.verifyTrust) throw new AgentFailure('unsupported', 'ERROR_NOT_SUPPORTED', 'only a Windows agent can ask WinVerifyTrust', 50);
      return ctx.platform.verifyTrust(request.params.path);
    }
    case 'call': {
      const native = ctx.libraries.get(request.params.handle);
      const prepared = prepareCall(ctx.platform, native, request.params);
      const id = request.id;
      return runCall(ctx.platform, prepared, request.params.options?.repeat ?? 1, {
        onProgress: (done, total) => ctx.send({ type: 'event', event: 'progress', callId: id, done, total }),
      });
    }
  }
}

export function forwardOutput(ctx: Pick<AgentContext, 'send'>, callId: number | null, chunks: { stream: 'stdout' | 'stderr'; text: string }[]): void {
  for (const chunk of chunks) {
    const event: AgentEvent = { type: 'event', event: 'log', callId, stream: chunk.stream, text: chunk.text };
    ctx.send(event);
  }
}

function errorResponse(id: number, error: unknown): ErrorResponse {
  if (error instanceof AgentFailure) {
    // Absent osCode/advice are dropped by the frame's JSON.stringify.
    const e = { code: error.code, name: error.errorName, message: error.message, osCode: error.osCode, advice: error.advice };
    return { type: 'response', id, ok: false, error: e };
  }
  const err = error as Error;
  return { type: 'response', id, ok: false, error: { code: 'call-failed', name: err?.name ?? 'Error', message: String(err?.message ?? error) } };
}

main().catch((error: unknown) => {
  process.exitCode = 70;
  throw error;
});
