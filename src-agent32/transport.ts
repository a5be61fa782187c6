// Reads request frames from a raw descriptor: Node's stdio streams throw EBADF in node.exe under Wine when the
// handles are Unix pipes, while fs.read/fs.writeSync on the descriptors work everywhere.
import fs from 'node:fs';
import { FrameDecoder } from './protocol/framing.ts';
import { type HostMessage, validateHostMessage } from './protocol/messages.ts';

export type Inbound = { kind: 'message'; message: HostMessage } | { kind: 'invalid'; id: number | null; error: string };

/** Reads frames from a descriptor until end of stream; calls onEnd once. */
export function readFrames(fd: number, onInbound: (item: Inbound) => void, onEnd: () => void): void {
  const decoder = new FrameDecoder();
  const buffer = Buffer.alloc(64 * 1024);
  const handle = (items: ReturnType<FrameDecoder['push']>) => {
    for (const item of items) {
      if (item.kind === 'frame') onInbound(toInbound(item.message));
      else if (item.kind === 'error') onInbound({ kind: 'invalid', id: null, error: `framing: ${item.error}: ${item.detail}` });
    }
  };
  const next = () => {
    fs.read(fd, buffer, 0, buffer.length, null, (error, bytesRead) => {
      if (error && (error as NodeJS.ErrnoException).code === 'EAGAIN') return void setTimeout(next, 5);
      if (error || bytesRead === 0) {
        handle(decoder.end());
        return onEnd();
      }
      handle(decoder.push(buffer.subarray(0, bytesRead)));
      next();
    });
  };
  next();
}

function toInbound(value: unknown): Inbound {
  const validated = validateHostMessage(value);
  if (validated.ok) return { kind: 'message', message: validated.value };
  const id = typeof value === 'object' && value !== null && Number.isSafeInteger((value as { id?: unknown }).id) ? (value as { id: number }).id : null;
  return { kind: 'invalid', id, error: validated.error };
}
