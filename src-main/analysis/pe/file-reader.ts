import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const PAGE_SIZE = 64 * 1024;
const MAX_CACHED_PAGES = 64;

// Page buffers of closed readers, reused by the next: a folder scan would otherwise allocate
// (and collect) several 64 KiB buffers per file. Only closed readers give pages back, because
// a parse may still hold views of a page evicted while it runs.
const pagePool: Buffer[] = [];
const MAX_POOLED_PAGES = 64;

/**
 * Reads a file by ranges through a small page cache, so that a large DLL is never read whole:
 * memory stays at most MAX_CACHED_PAGES pages whatever the file's size.
 */
export class FileReader {
  readonly size: number;
  private readonly pages = new Map<number, Buffer>();
  private readonly pageBuffers = new Map<number, Buffer>();

  private constructor(private fd: number | null, size: number, private readonly memory: Buffer | null) {
    this.size = size;
  }

  /** Opens a file for ranged reads; the caller must close it. */
  static open(path: string): FileReader {
    const fd = openSync(path, 'r');
    try {
      return new FileReader(fd, fstatSync(fd).size, null);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Wraps bytes already in memory (fuzzing, tests). */
  static fromBuffer(buffer: Buffer): FileReader {
    return new FileReader(null, buffer.length, buffer);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    for (const buffer of this.pageBuffers.values()) if (pagePool.length < MAX_POOLED_PAGES) pagePool.push(buffer);
    this.pageBuffers.clear();
    this.pages.clear();
  }

  /** True when [offset, offset + length) lies inside the file. */
  contains(offset: number, length: number): boolean {
    return Number.isSafeInteger(offset) && offset >= 0 && length >= 0 && offset + length <= this.size;
  }

  /** Bytes of [offset, offset + length), clipped to the end of the file. */
  bytes(offset: number, length: number): Buffer {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.size || length <= 0) return Buffer.alloc(0);
    const end = Math.min(this.size, offset + length);
    if (this.memory) return this.memory.subarray(offset, end);
    const firstPage = Math.floor(offset / PAGE_SIZE);
    const lastPage = Math.floor((end - 1) / PAGE_SIZE);
    if (firstPage === lastPage) {
      const page = this.page(firstPage);
      return page.subarray(offset - firstPage * PAGE_SIZE, end - firstPage * PAGE_SIZE);
    }
    if (end - offset > PAGE_SIZE * 4) return this.readDirect(offset, end - offset);
    const out = Buffer.allocUnsafe(end - offset);
    for (let index = firstPage; index <= lastPage; index++) {
      const page = this.page(index);
      const pageStart = index * PAGE_SIZE;
      const from = Math.max(offset, pageStart);
      const to = Math.min(end, pageStart + page.length);
      page.copy(out, from - offset, from - pageStart, to - pageStart);
    }
    return out;
  }

  u8(offset: number): number | null {
    const b = this.bytes(offset, 1);
    return b.length === 1 ? b[0]! : null;
  }

  u16(offset: number): number | null {
    const b = this.bytes(offset, 2);
    return b.length === 2 ? b.readUInt16LE(0) : null;
  }

  u32(offset: number): number | null {
    const b = this.bytes(offset, 4);
    return b.length === 4 ? b.readUInt32LE(0) : null;
  }

  u64(offset: number): bigint | null {
    const b = this.bytes(offset, 8);
    return b.length === 8 ? b.readBigUInt64LE(0) : null;
  }

  /** A NUL-terminated string of at most maxLength bytes; null when no terminator is found. */
  cString(offset: number, maxLength: number, encoding: BufferEncoding = 'latin1'): string | null {
    if (!this.memory && Number.isSafeInteger(offset) && offset >= 0 && offset < this.size) {
      // Most names end inside the page they start in: decode them in place, without a copy.
      const index = Math.floor(offset / PAGE_SIZE);
      const page = this.page(index);
      const start = offset - index * PAGE_SIZE;
      const end = page.indexOf(0, start);
      if (end >= 0) return end - start <= maxLength ? page.toString(encoding, start, end) : null;
    }
    const chunk = this.bytes(offset, maxLength + 1);
    const end = chunk.indexOf(0);
    return end < 0 ? null : chunk.toString(encoding, 0, end);
  }

  private page(index: number): Buffer {
    const cached = this.pages.get(index);
    if (cached) {
      this.pages.delete(index);
      this.pages.set(index, cached);
      return cached;
    }
    const start = index * PAGE_SIZE;
    if (this.pages.size >= MAX_CACHED_PAGES) {
      const evicted = this.pages.keys().next().value!;
      this.pages.delete(evicted);
      this.pageBuffers.delete(evicted);
    }
    const buffer = pagePool.pop() ?? Buffer.allocUnsafe(PAGE_SIZE);
    const page = buffer.subarray(0, this.readInto(buffer, start, Math.min(PAGE_SIZE, this.size - start)));
    this.pages.set(index, page);
    this.pageBuffers.set(index, buffer);
    return page;
  }

  private readDirect(offset: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    const done = this.readInto(out, offset, length);
    return done === length ? out : out.subarray(0, done);
  }

  private readInto(out: Buffer, offset: number, length: number): number {
    if (this.fd === null) throw new Error('FileReader used after close');
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n <= 0) break;
      done += n;
    }
    return done;
  }
}
