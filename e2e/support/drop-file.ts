import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Drops a real file's bytes on the drop zone (or `target`), as the browser does when a user drags it from a folder. */
export async function dropFile(page: Page, path: string, name = basename(path), target = '[data-testid="drop-zone"]'): Promise<void> {
  const bytes = readFileSync(path).toString('base64');
  const dataTransfer = await page.evaluateHandle(({ bytes: b64, fileName }) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], fileName));
    return transfer;
  }, { bytes, fileName: name });
  await page.dispatchEvent(target, 'drop', { dataTransfer });
}

/**
 * Drops a folder on the drop zone: `files` (path in the folder → a real file on disk) as one
 * dropped folder named `folderName`. Chromium makes a folder's file-system entries only from a
 * real drag, so the page's webkitGetAsEntry is replaced to present these files as that folder;
 * the files themselves are real, read and uploaded by the page as from a real drop.
 */
export async function dropFolder(page: Page, folderName: string, files: Record<string, string>): Promise<void> {
  const contents = Object.entries(files).map(([path, source]) => ({ path, bytes: readFileSync(source).toString('base64') }));
  const dataTransfer = await page.evaluateHandle(({ folder, list }) => {
    type Entry = { isDirectory: boolean; name: string; fullPath: string; file?: (ok: (f: File) => void) => void; createReader?: () => { readEntries: (ok: (e: Entry[]) => void) => void } };
    const dirs = new Map<string, Entry[]>();
    const dirEntry = (fullPath: string): Entry => {
      if (!dirs.has(fullPath)) dirs.set(fullPath, []);
      return {
        isDirectory: true, name: fullPath.split('/').pop()!, fullPath,
        createReader: () => { let done = false; return { readEntries: (ok) => { ok(done ? [] : dirs.get(fullPath)!); done = true; } }; },
      };
    };
    const root = dirEntry(`/${folder}`);
    for (const { path, bytes } of list) {
      const parts = path.split('/');
      let parent = `/${folder}`;
      for (const part of parts.slice(0, -1)) {
        const child = `${parent}/${part}`;
        if (!dirs.has(child)) dirs.get(parent)!.push(dirEntry(child));
        parent = child;
      }
      const name = parts.at(-1)!;
      const file = new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], name);
      dirs.get(parent)!.push({ isDirectory: false, name, fullPath: `${parent}/${name}`, file: (ok) => ok(file) });
    }
    const transfer = new DataTransfer();
    transfer.items.add(new File([], folder));
    DataTransferItem.prototype.webkitGetAsEntry = () => root as unknown as FileSystemEntry;
    return transfer;
  }, { folder: folderName, list: contents });
  await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
}
