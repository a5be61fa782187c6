import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, ROOT } from './support/browser-host-fixture.ts';
import { saveScreens } from './support/screens.ts';
import { dropFile, dropFolder } from './support/drop-file.ts';
import { expectNoSeriousAxeViolations } from './support/accessibility.ts';

const FIXTURES_X86 = join(ROOT, 'build', 'fixtures', 'x86');
const WINE_FOLDER = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows';

function compareBuild(version: 'v1' | 'v2'): string {
  const path = join(ROOT, 'build', 'fixtures', 'compare', 'x64', version, 'compare-plugin.dll');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build:fixtures\` first`);
  return path;
}

test('folder triage of the x86 fixtures: rows, sort, "problems only", open a file with Enter or a click and come back, export the table', async ({ page, served }) => {
  await openApp(page, served);
  await page.getByRole('textbox', { name: /type a path/ }).fill(FIXTURES_X86);
  await page.keyboard.press('Enter');
  const grid = page.getByRole('grid', { name: 'Files in the folder' });
  await expect(page.getByTestId('folder-status')).toHaveText(/^\d+ files in [\d.]+ s \([\d.]+ files\/s\)$/);
  const total = Number(/^(\d+)/.exec((await page.getByTestId('folder-status').innerText()))![1]);
  expect(total).toBeGreaterThan(20);
  await expect(page.getByTestId('folder-summary')).toHaveText(new RegExp(`^${total} files: [1-9]\\d* do not load, \\d+ with problems$`));
  const missing = grid.getByRole('row', { name: /needs-missing-dep\.dll/ });
  await expect(missing).toContainText('126 ERROR_MOD_NOT_FOUND');
  await expect(missing).toContainText('not for this host');
  await expectNoSeriousAxeViolations(page);
  await saveScreens(page, '12c-1-folder');

  // Sort by file name, ascending: the first data row is the alphabetically first file.
  await expect(grid.getByRole('columnheader', { name: /Errors/ })).toHaveAttribute('aria-sort', 'descending');
  await grid.getByRole('button', { name: 'File' }).click();
  await expect(grid.getByRole('columnheader', { name: /File/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(grid.locator('[data-row-position="0"]')).toContainText('app-needs-missing-dep.exe');
  await grid.getByRole('button', { name: 'File' }).click();
  await expect(grid.getByRole('columnheader', { name: /File/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(grid.locator('[data-row-position="0"]')).not.toContainText('app-needs-missing-dep.exe');

  await page.getByLabel('Problems only').check();
  const shown = Number(/^(\d+)/.exec(await page.getByTestId('folder-shown').innerText())![1]);
  expect(shown).toBeLessThan(total);
  await expect(grid.getByRole('row', { name: /calling-conventions\.dll/ })).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Filter' }).fill('MOD_NOT_FOUND');
  await expect(grid.getByRole('row', { name: /needs-missing-dep\.dll/ })).toBeVisible();
  await saveScreens(page, '12c-2-folder-problems');

  // Keyboard: focus the first row, Enter opens that file's view; Esc returns to the table as it was.
  await grid.locator('[data-row-position="0"]').focus();
  await page.keyboard.press('ArrowDown');
  await expect(grid.locator('[data-row-position="1"]')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(grid.locator('[data-row-position="0"]')).toBeFocused();
  const firstName = (await grid.locator('[data-row-position="0"] .mono').innerText()).trim();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: firstName, level: 1 })).toBeVisible();
  await expect(page.getByTestId('headline')).toContainText('Does not load');
  await expect(page.getByRole('button', { name: 'Back to folder (Esc)' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('searchbox', { name: 'Filter' })).toHaveValue('MOD_NOT_FOUND');
  await expect(page.getByLabel('Problems only')).toBeChecked();
  // A click opens a file just as Enter does.
  await grid.getByRole('row', { name: /needs-missing-dep\.dll/ }).click();
  await expect(page.getByRole('heading', { name: 'needs-missing-dep.dll', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Back to folder (Esc)' }).click();
  await expect(page.getByRole('searchbox', { name: 'Filter' })).toHaveValue('MOD_NOT_FOUND');

  await page.getByLabel('Report', { exact: true }).selectOption('json');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export table' }).click();
  const report = JSON.parse(readFileSync((await (await downloading).path())!, 'utf8')) as { summary: { files: number }; results: unknown[] };
  expect(report.summary.files).toBe(total);
  expect(report.results).toHaveLength(total);
});

test('a folder dropped on the page: its PE files uploaded in their places and triaged as a folder, the dependency beside them found', async ({ page, served }) => {
  await openApp(page, served);
  // The same DLL twice: alone at the top (its dependency missing), and in sub/ with its dependency beside it.
  await dropFolder(page, 'plugins', {
    'needs-missing-dep.dll': join(FIXTURES_X86, 'needs-missing-dep.dll'),
    'calling-conventions.dll': join(FIXTURES_X86, 'calling-conventions.dll'),
    'sub/needs-missing-dep.dll': join(FIXTURES_X86, 'needs-missing-dep.dll'),
    'sub/missing-dep.dll': join(ROOT, 'build', 'fixtures-work', 'x86', 'missing-dep.dll'),
    'readme.txt': join(ROOT, 'README.md'),
  });
  const grid = page.getByRole('grid', { name: 'Files in the folder' });
  await expect(page.getByTestId('folder-status')).toHaveText(/^4 files in [\d.]+ s/);
  const copies = grid.getByRole('row').filter({ hasText: 'needs-missing-dep.dll' });
  await expect(copies).toHaveCount(2);
  await expect(copies.filter({ hasText: '126 ERROR_MOD_NOT_FOUND' })).toHaveCount(1);
  await expect(copies.filter({ hasText: 'x86loads' }), 'the copy in sub/ finds missing-dep.dll uploaded beside it').toHaveCount(1);
  await expect(grid).not.toContainText('readme.txt');
});

test('a long folder run (Wine\'s DLLs): rows appear while it runs, Cancel stops it and keeps the rows, and their report', async ({ page, served }) => {
  test.skip(!existsSync(WINE_FOLDER), `${WINE_FOLDER} is absent (Debian's wine64 package): no folder long enough to cancel`);
  test.setTimeout(120_000);
  await openApp(page, served);
  await page.getByRole('textbox', { name: /type a path/ }).fill(WINE_FOLDER);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('folder-status')).toHaveText(/^\d+ of \d+ files, [\d.]+ files\/s$/);
  const grid = page.getByRole('grid', { name: 'Files in the folder' });
  await expect(grid.locator('[data-row-position="0"]')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Folder progress' })).toBeVisible();
  await saveScreens(page, '12c-3-folder-running');
  await page.getByRole('button', { name: 'Cancel (Esc)' }).click();
  await expect(page.getByTestId('folder-status')).toHaveText(/^Cancelled: (\d+) of (\d+) files triaged/);
  const [, done, total] = /^Cancelled: (\d+) of (\d+)/.exec(await page.getByTestId('folder-status').innerText())!.map(Number);
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(total!);
  await expect(page.getByTestId('folder-summary')).toHaveText(new RegExp(`^${done} files:`));
  // Nothing lands later: the count stays.
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('folder-summary')).toHaveText(new RegExp(`^${done} files:`));
  await saveScreens(page, '12c-4-folder-cancelled');
  await page.getByLabel('Report', { exact: true }).selectOption('json');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export table' }).click();
  const report = JSON.parse(readFileSync((await (await downloading).path())!, 'utf8')) as { summary: { files: number } };
  expect(report.summary.files).toBe(done);
});

test('compare two builds of a fixture DLL: exports added and removed, the import changed, the version, side by side', async ({ page, served }) => {
  await openApp(page, served);
  await page.getByRole('button', { name: 'Compare two versions…' }).click();
  await page.getByLabel('Version A (works)').fill(compareBuild('v1'));
  await page.getByLabel('Version B (does not)').fill(compareBuild('v2'));
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByTestId('compare-headline')).toHaveText('They differ (exports: 2 added, 1 removed, 0 changed; imports: 2 module(s) differ)');
  const exportChanges = page.getByRole('list', { name: 'Export changes' });
  await expect(exportChanges.getByRole('listitem').filter({ hasText: 'removed' })).toContainText('Legacy');
  await expect(exportChanges.getByRole('listitem').filter({ hasText: 'Subtract' })).toContainText('added');
  const imports = page.getByRole('region', { name: /Imports/ });
  await expect(imports.getByRole('row', { name: /KERNEL32\.dll/i })).toContainText('GetTickCount64');
  await expect(imports.getByRole('row', { name: /VERSION\.dll/i })).toContainText('added');
  await expect(page.getByRole('region', { name: 'Files' }).getByRole('row', { name: /file version/ })).toContainText('2.0.0.0');
  await expectNoSeriousAxeViolations(page);
  await saveScreens(page, '12c-5-compare');
  await page.keyboard.press('Escape');
  await expect(page.getByText('Drop a DLL, an EXE or a folder here')).toBeVisible();
});

test('compare with a dropped file on one side: the upload becomes that side\'s path, and an unchanged pair says so', async ({ page, served }) => {
  await openApp(page, served);
  await page.getByRole('button', { name: 'Compare two versions…' }).click();
  await page.getByLabel('Version A (works)').fill(compareBuild('v1'));
  await dropFile(page, compareBuild('v1'), 'compare-plugin.dll', '[data-testid="compare-drop-b"]');
  await expect(page.getByText('compare-plugin.dll (uploaded copy)')).toBeVisible();
  await expect(page.getByLabel('Version B (does not)')).toHaveValue(/compare-plugin\.dll$/);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByTestId('compare-headline')).toHaveText('Same exports and imports');
  await expect(page.getByRole('region', { name: /Exports/ })).toContainText('No export added, removed or changed.');
});
