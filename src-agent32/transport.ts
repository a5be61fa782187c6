// Reads request frames from a raw descriptor: Node's stdio streams throw EBADF in node.exe under Wine when the
// handles are Unix pipes, while blocking fs.readSync on the descriptor works everywhere.
//
// The agent runs one request at a time, synchronously, so the main thread serves the descriptor in
// a loop of its own instead of going through the event loop: with poll() the thread the supervisor
// writes to is the one that answers (one wake-up per request); where there is no poll (Windows) a
// worker thread blocks in the read and hands chunks over through a port and an Atomics counter.
import fs from 'node:fs';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { FrameDecoder } from './protocol/framing.ts';
import { type HostMessage, validateHostMessage } from './protocol/messages.ts';

export type Inbound = { kind: 'message'; message: HostMessage } | { kind: 'invalid'; id: number | null; error: string };

/** The next bytes of the stream, 'idle' when none came within the wait, 'end' at end of stream. */
export type InputRead = Uint8Array | 'idle' | 'end';

export interface FrameInput {
  read(timeoutMs: number): InputRead;
}

export interface FrameHandlers {
  onInbound(item: Inbound): void;
  /** Called after each wait that brought no input (the agent forwards late DLL output then). */
  onIdle(): void;
  onEnd(): void;
}

const IDLE_MS = 100;
const CHUNK_BYTES = 64 * 1024;

/** Serves frames until end of stream; calls onEnd once. Never returns to the event loop before that. */
export function serveFrames(input: FrameInput, handlers: FrameHandlers): void {
  const decoder = new FrameDecoder();
  const deliver = (items: ReturnType<FrameDecoder['push']>) => {
    for (const item of items) {
      if (item.kind === 'frame') handlers.onInbound(toInbound(item.message));
      else if (item.kind === 'error') handlers.onInbound({ kind: 'invalid', id: null, error: `framing: ${item.error}: ${item.detail}` });
    }
  };
  for (;;) {
    const chunk = input.read(IDLE_MS);
    if (chunk === 'idle') handlers.onIdle();
    else if (chunk === 'end') break;
    else deliver(decoder.push(chunk));
  }
  deliver(decoder.end());
  handlers.onEnd();
}

/** Input on the main thread: waits with `waitReadable` (poll), then reads what is there. */
export function polledInput(fd: number, waitReadable: (fd: number, timeoutMs: number) => boolean): FrameInput {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  return {
    read(timeoutMs) {
      if (!waitReadable(fd, timeoutMs)) return 'idle';
      try {
        const n = fs.readSync(fd, buffer, 0, buffer.length, null);
        return n === 0 ? 'end' : buffer.subarray(0, n);
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EAGAIN' ? 'idle' : 'end';
      }
    },
  };
}

const READER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { fd, port, control, chunkBytes } = workerData;
const fs = require('node:fs');
const counter = new Int32Array(control);
const pause = new Int32Array(new SharedArrayBuffer(4));
const buffer = Buffer.allocUnsafe(chunkBytes);
Atomics.store(counter, 1, 1);
Atomics.notify(counter, 1);
for (;;) {
  let n;
  try {
    n = fs.readSync(fd, buffer, 0, buffer.length, null);
  } catch (e) {
    if (e.code === 'EAGAIN') { Atomics.wait(pause, 0, 0, 1); continue; }
    n = 0;
  }
  const chunk = new Uint8Array(n);
  chunk.set(buffer.subarray(0, n));
  port.postMessage(chunk, [chunk.buffer]);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
  if (n === 0) break;
}
`;

/** Input read by a worker thread blocked in fs.readSync; the main thread waits on a counter. */
export function workerInput(fd: number, readyTimeoutMs = 15000): FrameInput {
  // [0]: chunks posted so far, [1]: the worker is running.
  const counter = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const workerData = { fd, port: port2, control: counter.buffer, chunkBytes: CHUNK_BYTES };
  // stdout/stderr: true keeps the worker off the parent's process.stdout (EBADF under Wine).
  const worker = new Worker(READER_SOURCE, { eval: true, workerData, transferList: [port2], stdout: true, stderr: true });
  worker.unref();
  port1.unref();
  let started = false;
  // Waited for at the first read, so the worker boots while the agent sets up the rest.
  const awaitStart = () => {
    const deadline = Date.now() + readyTimeoutMs;
    while (Atomics.load(counter, 1) === 0 && Date.now() < deadline) Atomics.wait(counter, 1, 0, 50);
    started = true;
  };
  return {
    read(timeoutMs) {
      if (!started) awaitStart();
      for (;;) {
        const posted = Atomics.load(counter, 0);
        const received = receiveMessageOnPort(port1);
        if (received) return (received.message as Uint8Array).length === 0 ? 'end' : (received.message as Uint8Array);
        if (Atomics.wait(counter, 0, posted, timeoutMs) === 'timed-out') return 'idle';
      }
    },
  };
}

function toInbound(value: unknown): Inbound {
  const validated = validateHostMessage(value);
  if (validated.ok) return { kind: 'message', message: validated.value };
  const id = typeof value === 'object' && value !== null && Number.isSafeInteger((value as { id?: unknown }).id) ? (value as { id: number }).id : null;
  return { kind: 'invalid', id, error: validated.error };
}
