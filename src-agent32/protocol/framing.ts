import zlib from 'node:zlib';
import { ByteWriter, COMPACT_TAG_LIMIT, decodeCompactPayload } from './compact-codec.ts';

// Frame layout: "THNK" | version u8 | payload length u32 LE | payload | CRC-32 u32 LE. The payload is
// JSON (UTF-8) or, for the messages of a call, compact binary (compact-codec.ts), told apart by its first byte.
// The magic lets the decoder find frames again after stray bytes (a DLL writing to the wrong
// descriptor); the checksum keeps a fake magic inside such bytes from producing a bogus frame.

export const FRAME_MAGIC = Buffer.from('THNK', 'latin1');
export const FRAME_VERSION = 1;
export const HEADER_BYTES = FRAME_MAGIC.length + 1 + 4;
export const TRAILER_BYTES = 4;
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

// Four 256-entry tables: slicing-by-4, one step per 32-bit word.
const CRC_TABLES = buildCrcTables();

function buildCrcTables(): Int32Array {
  const tables = new Int32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let t = 1; t < 4; t++) {
    for (let n = 0; n < 256; n++) {
      const previous = tables[(t - 1) * 256 + n]!;
      tables[t * 256 + n] = (previous >>> 8) ^ tables[previous & 0xff]!;
    }
  }
  return tables;
}

function crc32Sliced(bytes: Uint8Array, start: number, end: number): number {
  const t = CRC_TABLES;
  let c = -1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t[768 + (c & 0xff)]! ^ t[512 + ((c >>> 8) & 0xff)]! ^ t[256 + ((c >>> 16) & 0xff)]! ^ t[c >>> 24]!;
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

// zlib's (Node 20.15+, 22.2+) is faster from a few hundred bytes on; below that its call costs more
// than the table walk, and most frames are small requests and replies.
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
const ZLIB_FROM_BYTES = 384;

/** CRC-32 (IEEE) of bytes[start, end). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!zlibCrc32 || end - start < ZLIB_FROM_BYTES) return crc32Sliced(bytes, start, end);
  return zlibCrc32(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
}

export class FrameTooLargeError extends Error {
  override readonly name = 'FrameTooLargeError';
  constructor(readonly size: number, readonly max: number) {
    super(`frame of ${size} bytes exceeds the limit of ${max}`);
  }
}

/** One frame in a buffer of its own (for occasional messages; streams use a FrameWriter). */
export function encodeFrame(message: unknown, maxBytes = DEFAULT_MAX_FRAME_BYTES): Buffer {
  const writer = new FrameWriter(maxBytes, 0);
  writer.append(message);
  return writer.view();
}

/** Frames appended into one reusable buffer: once it has grown, a frame costs no allocation. */
export class FrameWriter {
  private out: ByteWriter;

  constructor(private readonly maxBytes = DEFAULT_MAX_FRAME_BYTES, private readonly keepBytes = 64 * 1024) {
    this.out = new ByteWriter(keepBytes);
  }

  /** Appends `message` as a JSON payload. */
  append(message: unknown): void {
    const json = JSON.stringify(message);
    // UTF-8 needs at least one byte per UTF-16 unit and at most three.
    if (json.length > this.maxBytes) throw new FrameTooLargeError(Buffer.byteLength(json, 'utf8'), this.maxBytes);
    this.appendPayload(writeJsonText, json, undefined);
  }

  /** Appends a payload that `write(out, a, b)` puts at the cursor (a compact one, see compact-codec.ts). */
  appendPayload<A, B>(write: (out: ByteWriter, a: A, b: B) => void, a: A, b: B): void {
    const out = this.out;
    const frameStart = out.at;
    out.reserve(HEADER_BYTES);
    const start = frameStart + HEADER_BYTES;
    out.at = start;
    try {
      write(out, a, b);
    } catch (error) {
      out.at = frameStart;
      throw error;
    }
    const length = out.at - start;
    if (length > this.maxBytes) {
      out.at = frameStart;
      throw new FrameTooLargeError(length, this.maxBytes);
    }
    out.reserve(TRAILER_BYTES);
    const bytes = out.bytes;
    FRAME_MAGIC.copy(bytes, frameStart);
    bytes[frameStart + 4] = FRAME_VERSION;
    bytes.writeUInt32LE(length, frameStart + 5);
    bytes.writeUInt32LE(crc32(bytes, start, start + length), start + length);
    out.at = start + length + TRAILER_BYTES;
  }

  get length(): number {
    return this.out.at;
  }

  /** The frames appended since the last clear; valid until the next append or clear. */
  view(): Buffer {
    return this.out.bytes.subarray(0, this.out.at);
  }

  clear(): void {
    this.out.at = 0;
    if (this.out.bytes.length > 16 * this.keepBytes) this.out = new ByteWriter(this.keepBytes);
  }
}

function writeJsonText(out: ByteWriter, json: string): void {
  out.reserve(json.length * 3);
  out.at += out.bytes.write(json, out.at, 'utf8');
}

export type FrameErrorKind = 'too-large' | 'bad-version' | 'bad-checksum' | 'bad-payload' | 'truncated';

export type DecodeItem =
  | { kind: 'frame'; message: unknown }
  | { kind: 'garbage'; bytes: Buffer }
  | { kind: 'error'; error: FrameErrorKind; detail: string };

/**
 * Streaming decoder. push() returns what the new bytes completed. A bad header or payload is
 * reported and skipped by one byte, so decoding always resumes at the next magic; only a frame
 * whose declared length is within the limit makes the decoder wait for more bytes. Frames are
 * decoded straight from the chunk; only an incomplete tail is copied (callers reuse their buffers),
 * and the pieces of a large frame are joined once, when the last one arrives.
 */
export class FrameDecoder {
  private pieces: Buffer[] = [];
  private piecesBytes = 0;
  /** Bytes the held tail needs before anything new can be decoded (0: unknown, try each chunk). */
  private needed = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_FRAME_BYTES) {}

  push(chunk: Uint8Array): DecodeItem[] {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.piecesBytes > 0) {
      this.pieces.push(Buffer.from(bytes));
      this.piecesBytes += bytes.length;
      if (this.piecesBytes < this.needed) return [];
      const joined = Buffer.concat(this.pieces, this.piecesBytes);
      this.pieces = [];
      this.piecesBytes = 0;
      return this.decode(joined);
    }
    return this.decode(bytes);
  }

  /** Call at end of stream: reports whatever is left as truncated or garbage. */
  end(): DecodeItem[] {
    const rest = Buffer.concat(this.pieces, this.piecesBytes);
    this.pieces = [];
    this.piecesBytes = 0;
    this.needed = 0;
    if (rest.length === 0) return [];
    if (rest.subarray(0, FRAME_MAGIC.length).equals(FRAME_MAGIC)) {
      return [{ kind: 'error', error: 'truncated', detail: `stream ended inside a frame (${rest.length} bytes)` }];
    }
    return [{ kind: 'garbage', bytes: rest }];
  }

  get pendingBytes(): number {
    return this.piecesBytes;
  }

  private decode(data: Buffer): DecodeItem[] {
    const items: DecodeItem[] = [];
    let at = 0;
    this.needed = 0;
    while (at < data.length) {
      const magic = findMagic(data, at);
      if (magic > at) items.push({ kind: 'garbage', bytes: Buffer.from(data.subarray(at, magic)) });
      at = magic;
      if (data.length - at < HEADER_BYTES) break;
      const next = this.frameAt(data, at, items);
      if (next === at) break;
      at = next;
    }
    if (at < data.length) {
      this.pieces = [Buffer.from(data.subarray(at))];
      this.piecesBytes = data.length - at;
    }
    return items;
  }

  /** Decodes or rejects the frame whose header starts at `at`; returns where decoding goes on, or `at` to wait. */
  private frameAt(data: Buffer, at: number, items: DecodeItem[]): number {
    const version = data[at + 4]!;
    const length = data.readUInt32LE(at + 5);
    if (version !== FRAME_VERSION) return reject(data, at, items, 'bad-version', `frame version ${version}`);
    if (length > this.maxBytes) return reject(data, at, items, 'too-large', `frame of ${length} bytes exceeds ${this.maxBytes}`);
    const total = HEADER_BYTES + length + TRAILER_BYTES;
    if (data.length - at < total) {
      this.needed = total;
      return at;
    }
    const start = at + HEADER_BYTES;
    if (data.readUInt32LE(start + length) !== crc32(data, start, start + length)) {
      return reject(data, at, items, 'bad-checksum', `checksum mismatch on a ${length}-byte frame`);
    }
    try {
      items.push({ kind: 'frame', message: decodePayload(data, start, start + length) });
    } catch (error) {
      items.push({ kind: 'error', error: 'bad-payload', detail: (error as Error).message });
    }
    return at + total;
  }
}

function decodePayload(data: Buffer, start: number, end: number): unknown {
  if (end > start && data[start]! < COMPACT_TAG_LIMIT) return decodeCompactPayload(data, start, end);
  return JSON.parse(data.toString('utf8', start, end)) as unknown;
}

function reject(data: Buffer, at: number, items: DecodeItem[], error: FrameErrorKind, detail: string): number {
  items.push({ kind: 'error', error, detail });
  items.push({ kind: 'garbage', bytes: Buffer.from(data.subarray(at, at + 1)) });
  return at + 1;
}

/** Index of the next magic from `from`, or of a partial magic at the very end, or data.length. */
function findMagic(data: Buffer, from: number): number {
  const full = data.indexOf(FRAME_MAGIC, from);
  if (full >= 0) return full;
  for (let keep = Math.min(FRAME_MAGIC.length - 1, data.length - from); keep > 0; keep--) {
    if (data.subarray(data.length - keep).equals(FRAME_MAGIC.subarray(0, keep))) return data.length - keep;
  }
  return data.length;
}
