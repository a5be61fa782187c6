// Names and paths from the browser, made safe to create under the session's upload folder.
import { MAX_UPLOAD_PATH_PARTS } from '../contract/folder-upload-contract.ts';

export class BadUploadPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadUploadPathError';
  }
}

/** Names Windows keeps for devices, whatever the extension: "nul.dll" opens the null device there. */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

/**
 * A file name from the browser, made safe to create: the last path component only, no control
 * or reserved characters, no leading dots, no Windows device name, at most 120 characters, never empty.
 */
export function sanitizeUploadName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = last.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[.\s]+/, '').replace(/[.\s]+$/, '').slice(-120);
  if (!cleaned) return 'upload.bin';
  return WINDOWS_DEVICE_NAME.test(cleaned) ? `_${cleaned}` : cleaned;
}

/**
 * A path inside a dropped folder, made safe to create: each component cleaned as a file name,
 * empty, "." and ".." components dropped (so nothing climbs out), at most MAX_UPLOAD_PATH_PARTS.
 */
export function sanitizeUploadPath(raw: string): string[] {
  const parts = raw.split(/[\\/]/).filter((part) => part !== '' && part !== '.' && part !== '..').map(sanitizeUploadName);
  if (parts.length === 0) throw new BadUploadPathError('the upload names no file');
  if (parts.length > MAX_UPLOAD_PATH_PARTS) throw new BadUploadPathError(`the folder is more than ${MAX_UPLOAD_PATH_PARTS - 2} levels deep: type its path instead`);
  return parts;
}
