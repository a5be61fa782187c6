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
