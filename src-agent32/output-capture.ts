// Keeps the DLL's stdout/stderr off the protocol stream. A worker thread per pipe drains it (so a
// chatty DLL never blocks on a full pipe during a synchronous call) and hands chunks back; after
// each operation a sentinel written into the pipe tells when everything before it has been read.
// Where the pipe can be polled and asked for its unread bytes (POSIX), the worker marks itself idle
// after handing everything over, and an empty pipe plus an idle worker skips the sentinel.
import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { CapturePipe, Platform } from './native/platform.ts';

export interface CapturedChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

const SENTINEL_PREFIX = '\u0000THUNK-SYNC:';
const IDLE_SLOT = 4;
const POSTED_SLOT = 6;
const SLOW_SYNC_MS = 1000;
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { reader, port: channel, sync, slot, prefix, stateSlot, postedSlot } = workerData;
const fs = require('node:fs');
const acks = new Int32Array(sync);
// Counted, so the main thread asks its port only when something is there.
const port = { postMessage: (text) => { channel.postMessage(text); Atomics.add(acks, postedSlot, 1); } };
let read;
let wait = null;
if (reader.kind === 'fd') {
  read = (buf) => { try { return fs.readSync(reader.fd, buf, 0, buf.length, null); } catch (e) { if (e.code === 'EAGAIN') return -1; return 0; } };
  try {
    const koffi = require(workerData.koffiPath);
    const poll = koffi.load(reader.libc).func('int poll(void *fds, unsigned long n, int timeout)');
    const pfd = Buffer.alloc(8);
    pfd.writeInt32LE(reader.fd, 0);
    pfd.writeInt16LE(1, 4);
    wait = () => poll(pfd, 1, -1);
  } catch {
    wait = null;
  }
} else {
  const koffi = require(workerData.koffiPath);
  const ReadFile = koffi.load('kernel32.dll').func('int __stdcall ReadFile(void *h, void *buf, uint32_t len, _Out_ uint32_t *got, void *ov)');
  const h = BigInt(reader.handle);
  read = (buf) => { const got = [0]; return ReadFile(h, buf, buf.length, got, null) ? got[0] : 0; };
}
// Busy from before a read consumes bytes until they are all posted: see OutputCapture.drained.
const markIdle = (idle) => { if (wait) Atomics.store(acks, stateSlot, idle ? 1 : 0); };
markIdle(true);
Atomics.store(acks, 2 + slot, 1);
Atomics.notify(acks, 2 + slot);
const buf = Buffer.alloc(65536);
let pending = '';
for (;;) {
  if (wait) wait();
  markIdle(false);
  const n = read(buf);
  if (n < 0) continue;
  if (n === 0) break;
  pending += buf.toString('latin1', 0, n);
  for (;;) {
    const at = pending.indexOf(prefix);
    const end = at < 0 ? -1 : pending.indexOf('\0', at + prefix.length);
    if (end < 0) break;
    if (at > 0) port.postMessage(pending.slice(0, at));
    const serial = Number(pending.slice(at + prefix.length, end));
    pending = pending.slice(end + 1);
    Atomics.store(acks, slot, serial);
    Atomics.notify(acks, slot);
  }
  const hold = pending.lastIndexOf('\0');
  const cut = hold >= 0 && pending.length - hold < prefix.length + 16 ? hold : pending.length;
  if (cut > 0) { port.postMessage(pending.slice(0, cut)); pending = pending.slice(cut); }
  markIdle(pending === '');
}
if (pending) port.postMessage(pending);
`;

interface Drain {
  stream: 'stdout' | 'stderr';
  pipe: CapturePipe;
  port: MessagePort;
  slot: number;
  worker: Worker;
}

export class OutputCapture {
  // Per drain slot: serial acknowledged [0-1], ready [2-3], idle [4-5], messages posted [6-7].
  private readonly acks = new Int32Array(new SharedArrayBuffer(32));
  private readonly received = [0, 0];
  private readonly drains: Drain[];
  private serial = 0;

  constructor(
    private readonly platform: Platform,
    private readonly onError: (text: string) => void = () => {},
  ) {
    const pipes = platform.redirectStdio();
    const koffiPath = createRequire(import.meta.url).resolve('koffi');
    this.drains = (['stdout', 'stderr'] as const).map((stream, slot) => {
      const { port1, port2 } = new MessageChannel();
      const workerData = { reader: pipes[stream].reader, port: port2, sync: this.acks.buffer, slot, prefix: SENTINEL_PREFIX, koffiPath, stateSlot: IDLE_SLOT + slot, postedSlot: POSTED_SLOT + slot };
      // stdout/stderr: true keeps the worker off the parent's process.stdout (EBADF under Wine).
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData, transferList: [port2], stdout: true, stderr: true });
      worker.unref();
      worker.on('error', (error) => onError(`output capture of ${stream} stopped: ${error.stack ?? error}`));
      port1.unref();
      return { stream, pipe: pipes[stream], port: port1, slot, worker };
    });
    // Elsewhere the first sync simply waits for the sentinel until the workers are reading.
    if (process.platform === 'win32') this.waitUntilReady();
  }

  // Under Wine a worker still loading its modules when a DLL call faults on the main thread was
  // seen failing its file lookups (EBADF); starting the calls only once both are reading avoids it.
  private waitUntilReady(timeoutMs = 15000): void {
    const deadline = Date.now() + timeoutMs;
    for (const d of this.drains) {
      while (Atomics.load(this.acks, 2 + d.slot) === 0 && Date.now() < deadline) Atomics.wait(this.acks, 2 + d.slot, 0, 50);
    }
  }

  /** Flushes the C runtimes, waits (bounded) until the workers have read up to now, returns the text. */
  sync(timeoutMs = 2000): CapturedChunk[] {
    this.platform.flushCrt();
    return this.drained() ? this.take() : this.waitForDrains(timeoutMs);
  }

  /**
   * True when every byte written so far has been posted. Asked in this order: bytes leave the
   * pipe only after the worker marked itself busy, and it is idle again only once it posted them.
   */
  private drained(): boolean {
    if (!this.platform.captureHasUnread || this.platform.captureHasUnread()) return false;
    for (const d of this.drains) if (Atomics.load(this.acks, IDLE_SLOT + d.slot) !== 1) return false;
    return true;
  }

  /**
   * For the crash reporter: what already reached the pipes, without flushing the C runtimes (the
   * crash may have happened inside one, holding its lock) and with a short wait.
   */
  drainQuickly(timeoutMs = 300): CapturedChunk[] {
    return this.waitForDrains(timeoutMs);
  }

  private waitForDrains(timeoutMs: number): CapturedChunk[] {
    const serial = ++this.serial;
    const marker = Buffer.from(`${SENTINEL_PREFIX}${serial}\u0000`, 'latin1');
    for (const d of this.drains) d.pipe.writeSentinel(marker);
    const started = Date.now();
    const deadline = started + timeoutMs;
    for (const d of this.drains) {
      // Wait on the value that was checked: loading it again could miss the store and its notify.
      let acked = Atomics.load(this.acks, d.slot);
      for (; acked < serial && Date.now() < deadline; acked = Atomics.load(this.acks, d.slot)) {
        Atomics.wait(this.acks, d.slot, acked, Math.max(1, deadline - Date.now()));
      }
      if (acked < serial) this.onError(`output capture: the ${d.stream} drain did not catch up within ${timeoutMs} ms; output still in flight may be attributed to the next call`);
    }
    // A drain thread answers a sentinel within milliseconds; a long wait means a lost wake-up or a starved thread.
    const waited = Date.now() - started;
    if (waited >= SLOW_SYNC_MS) this.onError(`output capture: syncing with the drains took ${waited} ms`);
    return this.take();
  }

  /** Whatever the workers have already handed over, without waiting (used by the crash reporter). */
  take(): CapturedChunk[] {
    const chunks: CapturedChunk[] = [];
    for (const d of this.drains) {
      let text = '';
      const posted = Atomics.load(this.acks, POSTED_SLOT + d.slot);
      for (let m = posted === this.received[d.slot] ? undefined : receiveMessageOnPort(d.port); m; m = receiveMessageOnPort(d.port)) {
        text += String(m.message);
        this.received[d.slot]!++;
      }
      if (text) chunks.push({ stream: d.stream, text: Buffer.from(text, 'latin1').toString('utf8') });
    }
    return chunks;
  }
}
