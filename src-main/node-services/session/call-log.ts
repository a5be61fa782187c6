// The log pane's source: the DLL's output split into lines, each tied to the call that was running
// on its agent, and the agents' own events between them. A bounded history, and batched pushes so
// a DLL writing 10,000 lines/s sends about 20 messages a second, not 10,000.
import type { LogLine } from '../../contract/call-contract.ts';

export const LOG_HISTORY_LIMIT = 10_000;
export const LOG_BATCH_MS = 50;
/** More than this in one batch is left out of the live push: the pane keeps no more (the history does). */
export const LOG_BATCH_LIMIT = LOG_HISTORY_LIMIT;
/** Lines per pushed event: each event is checked and applied in one short task in the page. */
export const LOG_EVENT_LINES = 500;

export type LogBatchSink = (lines: LogLine[], dropped: number) => void;

export class CallLog {
  private history: LogLine[] = [];
  private pending: LogLine[] = [];
  private dropped = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly partial = new Map<string, { stream: 'stdout' | 'stderr'; text: string; callId: string | null }>();

  constructor(private readonly sink: LogBatchSink, private readonly batchMs = LOG_BATCH_MS) {}

  /** A chunk of the DLL's output: whole lines go out, a trailing partial line waits for its end. */
  output(arch: string, stream: 'stdout' | 'stderr', text: string, callId: string | null): void {
    const key = `${arch}:${stream}`;
    const held = this.partial.get(key);
    const joined = (held && held.callId === callId ? held.text : '') + text;
    if (held && held.callId !== callId) this.flushPartial(arch, key);
    const parts = joined.split(/\r?\n/);
    const tail = parts.pop()!;
    for (const line of parts) this.add(arch, stream, line, callId);
    if (tail) this.partial.set(key, { stream, text: tail, callId });
    else this.partial.delete(key);
  }

  /** An agent event (start, exit, restart, breaker, crash), shown between the lines. */
  event(arch: string, text: string, callId: string | null = null): void {
    this.add(arch, 'event', text, callId);
  }

  /** The call ended: what it printed without a final newline is still its line. */
  endCall(arch: string): void {
    for (const key of [...this.partial.keys()]) if (key.startsWith(`${arch}:`)) this.flushPartial(arch, key);
  }

  lines(): LogLine[] {
    return [...this.history];
  }

  countFor(callId: string): number {
    return this.history.reduce((n, line) => n + (line.callId === callId && line.kind !== 'event' ? 1 : 0), 0);
  }

  replace(lines: LogLine[]): void {
    this.history = lines.slice(-LOG_HISTORY_LIMIT);
    this.seq = lines.reduce((max, line) => Math.max(max, line.seq), 0);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flushPartial(arch: string, key: string): void {
    const held = this.partial.get(key);
    this.partial.delete(key);
    if (held) this.add(arch, held.stream, held.text, held.callId);
  }

  private add(arch: string, kind: LogLine['kind'], text: string, callId: string | null): void {
    const line: LogLine = { seq: ++this.seq, at: Date.now(), arch, kind, callId, text };
    this.history.push(line);
    // Trimmed in chunks: one splice per 1,000 lines rather than a shift per line.
    if (this.history.length > LOG_HISTORY_LIMIT + 1000) this.history.splice(0, this.history.length - LOG_HISTORY_LIMIT);
    if (this.pending.length < LOG_BATCH_LIMIT) this.pending.push(line);
    else this.dropped++;
    this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }

  private flush(): void {
    this.timer = null;
    const lines = this.pending;
    const dropped = this.dropped;
    this.pending = [];
    this.dropped = 0;
    if (lines.length === 0 && dropped > 0) this.sink([], dropped);
    for (let at = 0; at < lines.length; at += LOG_EVENT_LINES) this.sink(lines.slice(at, at + LOG_EVENT_LINES), at === 0 ? dropped : 0);
  }
}
