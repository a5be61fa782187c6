import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};

/** The built renderer: dist/renderer beside the bundle, or under the project root from the sources. */
export function rendererDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return import.meta.url.endsWith('.ts') ? resolve(here, '..', '..', 'dist', 'renderer') : join(here, 'renderer');
}

export interface StaticFile {
  body: Buffer;
  type: string;
}

/** A file of the built UI by URL path, or null; never anything outside `root`. */
export function readStaticFile(root: string, urlPath: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const target = resolve(root, `.${decoded === '/' ? '/index.html' : decoded}`);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || decoded.includes('\0')) return null;
  if (!existsSync(target) || !statSync(target).isFile()) return null;
  return { body: readFileSync(target), type: TYPES[extname(target)] ?? 'application/octet-stream' };
}

export const UI_MISSING_PAGE = `<!doctype html><meta charset="utf-8"><title>Thunk</title><p>The Thunk UI is not built. Run <code>npm run build</code> in the Thunk folder, then start <code>thunk serve</code> again.</p>`;
