import { isAbsolute, resolve as resolvePath } from 'node:path';

const dllKeys = new Map<string, string>();
const DLL_KEY_MEMO_LIMIT = 1024;

/** The key a DLL is tracked under: its absolute path (case-folded on Windows). */
export function dllKey(path: string): string {
  const known = dllKeys.get(path);
  if (known !== undefined) return known;
  const absolute = resolvePath(path);
  const key = process.platform === 'win32' ? absolute.toLowerCase() : absolute;
  // A relative path's key depends on the working folder, so only absolute ones are remembered.
  if (isAbsolute(path)) {
    if (dllKeys.size >= DLL_KEY_MEMO_LIMIT) dllKeys.clear();
    dllKeys.set(path, key);
  }
  return key;
}

/** The file name, lower-cased: how a crash report's module is matched to a loaded DLL. */
export function dllBaseName(path: string): string {
  return path.split(/[\\/]/).pop()!.toLowerCase();
}
