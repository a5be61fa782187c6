// Frame layout: "THNK" | version u8 | payload length u32 LE | JSON payload (UTF-8) | CRC-32 u32 LE.
// The magic lets the decoder find frames again after stray bytes (a DLL writing to the wrong
// descriptor); the checksum keeps a fake magic inside such bytes from producing a bogus frame.

export const FRAME_MAGIC = Buffer.from('THNK', 'latin1');
export const FRAME_VERSION = 1;
export const HEADER_BYTES = FRAME_MAGIC.length + 1 + 4;
export const TRAILER_BYTES = 4;
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

const CRC_TABLE = buildCrcTable();

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export class FrameTooLargeError extends Error {
  override readonly name = 'FrameTooLargeError';
  constructor(readonly size: number, readonly max: number) {
    super(`frame of ${size} bytes exceeds the limit of ${max}`);
  }
}

export function encodeFrame(message: unknown, maxBytes = DEFAULT_MAX_FRAME_BYTES): Buffer {
  const json = JSON.stringify(message);
  const length = Buffer.byteLength(json, 'utf8');
  if (length > maxBytes) throw new FrameTooLargeError(length, maxBytes);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + length + TRAILER_BYTES);
  FRAME_MAGIC.copy(frame, 0);
  frame.writeUInt8(FRAME_VERSION, 4);
  frame.writeUInt32LE(length, 5);
  frame.write(json, HEADER_BYTES, length, 'utf8');
  frame.writeUInt32LE(crc32(frame.subarray(HEADER_BYTES, HEADER_BYTES + length)), HEADER_BYTES + length);
  return frame;
}

export type FrameErrorKind = 'too-large' | 'bad-version' | 'bad-checksum' | 'bad-json' | 'truncated';

export type DecodeItem =
  | { kind: 'frame'; message: unknown }
  | { kind: 'garbage'; bytes: Buffer }
  | { kind: 'error'; error: FrameErrorKind; detail: string };

/**
 * Streaming decoder. push() returns what the new bytes completed. A bad header or payload is
 * reported and skipped by one byte, so decoding always resumes at the next magic; only a frame
 * whose declared length is within the limit makes the decoder wait for more bytes.
 */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes = DEFAULT_MAX_FRAME_BYTES) {}

  push(chunk: Uint8Array): DecodeItem[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const items: DecodeItem[] = [];
    while (this.step(items));
    return items;
  }

  /** Call at end of stream: reports whatever is left as truncated or garbage. */
  end(): DecodeItem[] {
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    if (rest.length === 0) return [];
    if (rest.subarray(0, FRAME_MAGIC.length).equals(FRAME_MAGIC)) {
      return [{ kind: 'error', error: 'truncated', detail: `stream ended inside a frame (${rest.length} bytes)` }];
    }
    return [{ kind: 'garbage', bytes: rest }];
  }

  get pendingBytes(): number {
    return this.buffer.length;
  }

  private step(items: DecodeItem[]): boolean {
    const at = this.findMagic();
    if (at > 0) {
      items.push({ kind: 'garbage', bytes: this.take(at) });
    }
    if (at < 0) return false;
    if (this.buffer.length < HEADER_BYTES) return false;
    const version = this.buffer.readUInt8(4);
    const length = this.buffer.readUInt32LE(5);
    if (version !== FRAME_VERSION) return this.reject(items, 'bad-version', `frame version ${version}`);
    if (length > this.maxBytes) return this.reject(items, 'too-large', `frame of ${length} bytes exceeds ${this.maxBytes}`);
    const total = HEADER_BYTES + length + TRAILER_BYTES;
    if (this.buffer.length < total) return false;
    const payload = this.buffer.subarray(HEADER_BYTES, HEADER_BYTES + length);
    if (this.buffer.readUInt32LE(HEADER_BYTES + length) !== crc32(payload)) {
      return this.reject(items, 'bad-checksum', `checksum mismatch on a ${length}-byte frame`);
    }
    const text = payload.toString('utf8');
    this.take(total);
    try {
      items.push({ kind: 'frame', message: JSON.parse(text) as unknown });
    } catch (error) {
      items.push({ kind: 'error', error: 'bad-json', detail: (error as Error).message });
    }
    return true;
  }

  private reject(items: DecodeItem[], error: FrameErrorKind, detail: string): boolean {
    items.push({ kind: 'error', error, detail });
    items.push({ kind: 'garbage', bytes: this.take(1) });
    return true;
  }

  /** Index of the magic, or of a partial magic at the very end; -1 when none (all garbage). */
  private findMagic(): number {
    const full = this.buffer.indexOf(FRAME_MAGIC);
    if (full >= 0) return full;
    for (let keep = Math.min(FRAME_MAGIC.length - 1, this.buffer.length); keep > 0; keep--) {
      const tail = this.buffer.subarray(this.buffer.length - keep);
      if (tail.equals(FRAME_MAGIC.subarray(0, keep))) {
        if (this.buffer.length - keep > 0) return this.buffer.length - keep;
        return 0;
      }
    }
    if (this.buffer.length > 0) return this.buffer.length;
    return -1;
  }

  private take(n: number): Buffer {
    const head = Buffer.from(this.buffer.subarray(0, n));
    this.buffer = this.buffer.subarray(n);
    return head;
  }
}
