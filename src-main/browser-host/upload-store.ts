import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, isAbsolute } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

/** node.exe is 87 MB; the largest DLLs support engineers meet are a few hundred. */
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export class UploadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the file is larger than the upload limit of ${Math.round(limit / 1024 / 1024)} MB: open it by typing its path instead, or start \`thunk serve --max-upload-mb N\``);
    this.name = 'UploadTooLargeError';
  }
}

/**
 * A file name from the browser, made safe to create: the last path component only, no control
 * or reserved characters, no leading dots, at most 120 characters, never empty.
 */
export function sanitizeUploadName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = last.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[.\s]+/, '').replace(/[.\s]+$/, '').slice(-120);
  return cleaned || 'upload.bin';
}

/** The session's upload folder; everything uploaded lives under it and goes when it closes. */
export class UploadStore {
  readonly dir: string;
  private count = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_UPLOAD_BYTES, root = tmpdir()) {
    this.dir = mkdtempSync(join(root, 'thunk-serve-'));
  }

  /** Streams one upload to disk under its sanitised name, in a folder of its own; returns its path. */
  async receive(body: Readable, rawName: string, declaredLength: number | null): Promise<string> {
    if (declaredLength !== null && declaredLength > this.maxBytes) throw new UploadTooLargeError(this.maxBytes);
    const folder = join(this.dir, String(++this.count));
    const target = join(folder, sanitizeUploadName(rawName));
    if (!this.contains(target)) throw new Error('upload name escapes the session folder');
    mkdirSync(folder);
    try {
      await pipeline(body, this.limiter(), createWriteStream(target, { flags: 'wx' }));
      return target;
    } catch (error) {
      rmSync(folder, { recursive: true, force: true });
      throw error;
    }
  }

  contains(path: string): boolean {
    const rel = relative(this.dir, resolve(path));
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private limiter(): Transform {
    let seen = 0;
    const max = this.maxBytes;
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        done(seen > max ? new UploadTooLargeError(max) : null, seen > max ? undefined : chunk);
      },
    });
  }
}
