import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { BadUploadPathError, sanitizeUploadName, sanitizeUploadPath } from './upload-paths.ts';

/** node.exe is 87 MB; the largest DLLs support engineers meet are a few hundred. */
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export class UploadTooLargeError extends Error {
  constructor(readonly limit: number, whole = false) {
    super(whole
      ? `this session's uploads have reached ${Math.round(limit / 1024 / 1024)} MB in all: open the files by typing their path instead, or start \`thunk serve\` again`
      : `the file is larger than the upload limit of ${Math.round(limit / 1024 / 1024)} MB: open it by typing its path instead, or start \`thunk serve --max-upload-mb N\``);
    this.name = 'UploadTooLargeError';
  }
}

/** A dropped folder's upload batch, named by the page: letters, digits and dashes only. */
const BATCH_PATTERN = /^[A-Za-z0-9-]{8,64}$/;

/** What one session's uploads may take on the host's disk in all (a plug-in folder is a few hundred MB). */
export const DEFAULT_MAX_SESSION_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;

/** The session's upload folder; everything uploaded lives under it and goes when it closes. */
export class UploadStore {
  readonly dir: string;
  private count = 0;
  private received = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_UPLOAD_BYTES, root = tmpdir(), private readonly maxSessionBytes = DEFAULT_MAX_SESSION_UPLOAD_BYTES) {
    this.dir = mkdtempSync(join(root, 'thunk-serve-'));
  }

  /** Streams one upload to disk under its sanitised name, in a folder of its own; returns its path. */
  async receive(body: Readable, rawName: string, declaredLength: number | null): Promise<string> {
    const folder = join(this.dir, String(++this.count));
    const target = join(folder, sanitizeUploadName(rawName));
    await this.write(body, target, declaredLength, folder);
    return target;
  }

  /**
   * Streams one file of a dropped folder to its place under the batch's folder (made on first use);
   * returns its path and the dropped folder's copy, which the page then opens as a folder.
   */
  async receiveInFolder(body: Readable, rawPath: string, batch: string, declaredLength: number | null): Promise<{ path: string; folder: string }> {
    if (!BATCH_PATTERN.test(batch)) throw new BadUploadPathError('the folder upload\'s batch name is not one the page makes');
    const batchFolder = join(this.dir, `folder-${batch}`);
    const parts = sanitizeUploadPath(rawPath);
    // The page sends paths from the dropped folder itself ("plugins/a.dll"): that folder is what it opens.
    const folder = parts.length > 1 ? join(batchFolder, parts[0]!) : batchFolder;
    const target = join(batchFolder, ...parts);
    await this.write(body, target, declaredLength, target);
    return { path: target, folder };
  }

  /**
   * Streams a body into a new file through the limits. The file is created before the body is read:
   * a name already there fails at once and that file is never touched. A cut upload removes `leftover`.
   */
  private async write(body: Readable, target: string, declaredLength: number | null, leftover: string): Promise<void> {
    if (declaredLength !== null && declaredLength > this.maxBytes) throw new UploadTooLargeError(this.maxBytes);
    if (!this.contains(target)) throw new BadUploadPathError('upload path escapes the session folder');
    mkdirSync(dirname(target), { recursive: true });
    const file = await open(target, 'wx');
    try {
      await pipeline(body, this.limiter(), file.createWriteStream());
    } catch (error) {
      rmSync(leftover, { recursive: true, force: true });
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

  /** Cuts an upload at the file limit, and at the session's, counting every byte received (a cut upload's too). */
  private limiter(): Transform {
    let seen = 0;
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        seen += chunk.length;
        this.received += chunk.length;
        const error = seen > this.maxBytes ? new UploadTooLargeError(this.maxBytes) : this.received > this.maxSessionBytes ? new UploadTooLargeError(this.maxSessionBytes, true) : null;
        done(error, error ? undefined : chunk);
      },
    });
  }
}
