import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
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

/** A dropped folder's upload batch, named by the page: letters, digits and dashes only. */
const BATCH_PATTERN = /^[A-Za-z0-9-]{8,64}$/;
/** Deeper than any plug-in folder; a path past it is refused rather than cut. */
export const MAX_FOLDER_DEPTH = 16;

export class BadUploadPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadUploadPathError';
  }
}

/**
 * A path inside a dropped folder, made safe to create: each component cleaned as a file name,
 * empty, "." and ".." components dropped (so nothing climbs out), at most MAX_FOLDER_DEPTH deep.
 */
export function sanitizeUploadPath(raw: string): string[] {
  const parts = raw.split(/[\\/]/).filter((part) => part !== '' && part !== '.' && part !== '..').map(sanitizeUploadName);
  if (parts.length === 0) throw new BadUploadPathError('the upload names no file');
  if (parts.length > MAX_FOLDER_DEPTH) throw new BadUploadPathError(`the folder is more than ${MAX_FOLDER_DEPTH} levels deep: type its path instead`);
  return parts;
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

  /**
   * Streams one file of a dropped folder to its place under the batch's folder (made on first use);
   * returns its path and the dropped folder's copy, which the page then opens as a folder.
   */
  async receiveInFolder(body: Readable, rawPath: string, batch: string, declaredLength: number | null): Promise<{ path: string; folder: string }> {
    if (!BATCH_PATTERN.test(batch)) throw new BadUploadPathError('the folder upload\'s batch name is not one the page makes');
    if (declaredLength !== null && declaredLength > this.maxBytes) throw new UploadTooLargeError(this.maxBytes);
    const batchFolder = join(this.dir, `folder-${batch}`);
    const parts = sanitizeUploadPath(rawPath);
    // The page sends paths from the dropped folder itself ("plugins/a.dll"): that folder is what it opens.
    const folder = parts.length > 1 ? join(batchFolder, parts[0]!) : batchFolder;
    const target = join(batchFolder, ...parts);
    if (!this.contains(target)) throw new BadUploadPathError('upload path escapes the session folder');
    mkdirSync(dirname(target), { recursive: true });
    try {
      await pipeline(body, this.limiter(), createWriteStream(target, { flags: 'wx' }));
      return { path: target, folder };
    } catch (error) {
      // A name already uploaded is refused before anything is written: that file stays.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(target, { force: true });
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
