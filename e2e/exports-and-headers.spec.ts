import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openApp, ROOT } from './support/browser-host-fixture.ts';
import { fixtureDll } from './support/fixture-files.ts';
import { saveScreens } from './support/screens.ts';
import { expectNoSeriousAxeViolations } from './support/accessibility.ts';

const NODE_EXE = join(ROOT, 'build', 'agents', 'win32-x64', 'node.exe');
const WINE_X64 = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows';

async function openPath(page: Page, path: string): Promise<void> {
  await page.getByRole('textbox', { name: /type a path/ }).fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('tab', { name: 'Overview' })).toBeVisible({ timeout: 30_000 });
}

/** The names in the rendered (visible) rows of the exports grid, top to bottom. */
async function shownNames(page: Page): Promise<string[]> {
  return page.getByRole('grid', { name: 'Exports' }).locator('[role="row"][aria-rowindex] .export-cell.name').allTextContents()
    .then((names) => names.slice(0));
}

test('node.exe: find an export by search, select it and copy it as text and CSV (clipboard, granted)', async ({ page, served, context }) => {
  test.skip(!existsSync(NODE_EXE), `${NODE_EXE} is absent: run npm run stage:agents`);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
  await openApp(page, served);
  await openPath(page, NODE_EXE);
  await page.getByRole('tab', { name: 'Exports' }).click();
  const grid = page.getByRole('grid', { name: 'Exports' });
  await expect(page.getByRole('status').filter({ hasText: /of [\d,]+ exports/ })).toContainText(/^[\d,]+ of 9,\d{3} exports$/);
  await page.getByRole('searchbox', { name: 'Search exports' }).fill('napi_create_string_utf8');
  await expect(page.getByRole('status').filter({ hasText: /of [\d,]+ exports/ })).toHaveText(/^\d+ of 9,\d{3} exports$/);
  const row = grid.getByRole('row').filter({ has: page.getByRole('gridcell', { name: 'napi_create_string_utf8', exact: true }) });
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: 'Copy as text' }).click();
  await expect(page.getByTestId('copy-status')).toHaveText('Copied 1 row as text.');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(text).toMatch(/^\d+\tnapi_create_string_utf8\t\t0x[0-9a-f]{8}\t\.text\tcode\n$/);
  await page.getByRole('button', { name: 'Copy as CSV' }).click();
  const csv = await page.evaluate(() => navigator.clipboard.readText());
  expect(csv.split('\r\n')[0]).toBe('Ordinal,Name,Signature,RVA,Section,Kind,Forwarder');
  expect(csv.split('\r\n')[1]).toMatch(/^\d+,napi_create_string_utf8,,0x[0-9a-f]{8},\.text,code,$/);
  await saveScreens(page, '12a-exports-search');
});
