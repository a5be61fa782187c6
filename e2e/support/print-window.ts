import type { Page } from '@playwright/test';

/** PDF in a browser: Export opens the HTML report in its own window for the browser's "Save as PDF"; returns that window. */
export async function exportToPrintWindow(page: Page): Promise<Page> {
  await page.getByLabel('Report', { exact: true }).selectOption('pdf');
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Export' }).click();
  return popup;
}
