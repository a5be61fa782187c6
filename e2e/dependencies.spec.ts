import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openApp, ROOT } from './support/browser-host-fixture.ts';
import { fixtureDll } from './support/fixture-files.ts';
import { saveScreens } from './support/screens.ts';
import { expectNoSeriousAxeViolations } from './support/accessibility.ts';
import { WINE_DLLS, wineWindowsDir } from '../src-main/analysis/resolver/test-support/build-fixture.ts';

/** Opens a file by its path (not dropped: an upload is analysed without the DLLs beside it) and shows the Dependencies tab. */
async function openDependencies(page: Page, path: string): Promise<void> {
  await page.getByRole('textbox', { name: /type a path/ }).fill(path);
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: 'Dependencies' }).click();
  await expect(page.getByRole('tree', { name: 'Dependency tree' })).toBeVisible();
}

const treeItem = (page: Page, name: string) => page.getByRole('treeitem', { name: new RegExp(`^${name.replace(/[.]/g, '\\.')}`, 'i') });

test('a missing dependency: expand the tree by keyboard to the missing module and read why, with the function it should give', async ({ page, served }) => {
  await openApp(page, served);
  await openDependencies(page, fixtureDll('needs-missing-dep', 'x86'));
  await expect(page.getByTestId('dependency-verdict')).toHaveText(/32-bit process: Does not load: error 126 ERROR_MOD_NOT_FOUND/);
  const root = treeItem(page, 'needs-missing-dep.dll');
  await root.click();
  await page.keyboard.press('ArrowLeft');
  await expect(root).toHaveAttribute('aria-expanded', 'false');
  await expect(treeItem(page, 'missing-dep.dll')).toHaveCount(0);
  await expect(root).toContainText('1 below');
  await page.keyboard.press('ArrowRight');
  await expect(root).toHaveAttribute('aria-expanded', 'true');
  const missing = treeItem(page, 'missing-dep.dll');
  await expect(missing).toContainText('not found');
  for (let i = 0; i < 3 && (await missing.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
  await expect(missing).toHaveAttribute('aria-selected', 'true');
  await expect(missing).toBeFocused();
  const details = page.getByRole('region', { name: 'Module details' });
  await expect(details).toContainText('missing-dep.dll was not found');
  await expect(details.getByRole('list', { name: /Functions needs-missing-dep\.dll imports from missing-dep\.dll/ })).toContainText('MissingDepFunc');
  await expect(details.getByRole('list', { name: 'Folders searched for missing-dep.dll' })).toContainText(`application folder ${dirname(fixtureDll('needs-missing-dep', 'x86'))}`);
  await page.getByRole('checkbox', { name: 'Problems only' }).check();
  await expect(page.getByRole('table', { name: 'Modules' }).getByRole('row')).toHaveCount(2);
  await saveScreens(page, '12b-dependencies-missing');
  await expectNoSeriousAxeViolations(page);
  await page.getByRole('radio', { name: '64-bit process' }).check();
  await expect(page.getByTestId('dependency-verdict')).toHaveText(/64-bit process: Does not load: error 193/);
  await expect(page.getByTestId('dependency-verdict')).toContainText('32-bit DLL cannot load into a 64-bit process');
});

test('a missing function: "Expand to problems" selects the module that lacks it, and the function is marked with why', async ({ page, served }) => {
  await openApp(page, served);
  await openDependencies(page, fixtureDll('needs-missing-ordinal', 'x86'));
  await page.getByRole('button', { name: 'Expand to problems' }).click();
  await expect(treeItem(page, 'forward-target.dll')).toHaveAttribute('aria-selected', 'true');
  const functions = page.getByRole('list', { name: 'Functions needs-missing-ordinal.dll imports from forward-target.dll' });
  await expect(functions.getByRole('listitem').filter({ hasText: 'ordinal 99' })).toHaveText('ordinal 99 missing: forward-target.dll does not export it');
  await expect(page.getByRole('region', { name: 'Module details' })).toContainText('1 function, 1 missing');
});

test('delay-loaded modules are marked, and a module met again is a link to its first occurrence (Enter follows it)', async ({ page, served }) => {
  await openApp(page, served);
  await openDependencies(page, fixtureDll('delay-load', 'x86'));
  const delayed = treeItem(page, 'delay-target.dll');
  await expect(delayed).toContainText('delay-load');
  await delayed.click();
  await page.keyboard.press('ArrowRight');
  await expect(delayed).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  const repeat = page.getByRole('treeitem', { name: /^KERNEL32\.dll .*see first occurrence/i });
  await expect(repeat).toHaveAttribute('aria-selected', 'true');
  await expect(repeat).toHaveAttribute('aria-level', '3');
  await expect(page.getByRole('region', { name: 'Module details' })).toContainText('delay-loaded: on first call, not at start');
  await page.keyboard.press('Enter');
  const first = page.getByRole('treeitem', { name: /^KERNEL32\.dll/i, selected: true });
  await expect(first).toHaveAttribute('aria-level', '2');
  await expect(first).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(treeItem(page, 'delay-load.dll')).toBeFocused();
});

test('the load context: a folder that does not exist is refused in words; an extra folder holding the missing DLL turns the verdict to loads', async ({ page, served }) => {
  const extra = join(served.home, 'extra');
  mkdirSync(extra);
  copyFileSync(join(ROOT, 'build', 'fixtures-work', 'x86', 'missing-dep.dll'), join(extra, 'missing-dep.dll'));
  await openApp(page, served);
  await openDependencies(page, fixtureDll('needs-missing-dep', 'x86'));
  const context = page.getByRole('form', { name: 'Load context' });
  await context.getByLabel('Windows folder').fill('/nonexistent/windows');
  await context.getByRole('button', { name: 'Apply and triage again' }).click();
  await expect(context.getByRole('alert')).toHaveText('Load context not changed: Windows folder /nonexistent/windows: no such folder.');
  await context.getByLabel('Windows folder').fill('');
  await context.getByLabel(/Extra folders/).fill(extra);
  await context.getByRole('button', { name: 'Apply and triage again' }).click();
  await expect(page.getByTestId('dependency-verdict')).toHaveText('32-bit process: Loads');
  await expect(treeItem(page, 'missing-dep.dll')).toContainText('extra folder');
  await expect(page.getByRole('form', { name: 'Load context' }).getByLabel(/Extra folders/)).toHaveValue(extra);
});

test('who exports this: HeapAlloc through a forwarder into a Wine Windows folder; the tree of a Windows DLL', async ({ page, served }) => {
  test.skip(!existsSync(WINE_DLLS.x64) || !existsSync(WINE_DLLS.x86), 'Wine\'s DLL folders are absent (Debian\'s wine64 and wine32 packages)');
  const windows = wineWindowsDir(served.home);
  await openApp(page, served);
  await openDependencies(page, fixtureDll('ordinals-and-forwarders', 'x86'));
  const context = page.getByRole('form', { name: 'Load context' });
  await context.getByLabel('Windows folder').fill(windows);
  await context.getByRole('button', { name: 'Apply and triage again' }).click();
  await expect(treeItem(page, 'kernel32.dll')).toContainText('KnownDLL');
  await page.getByRole('textbox', { name: /Function name to find/ }).fill('HeapAlloc');
  await page.getByRole('button', { name: 'Find exporters' }).click();
  const hits = page.getByRole('table', { name: 'Modules that export it' });
  await expect(hits.getByRole('row', { name: /ForwardedToKernel32/ })).toContainText('ordinals-and-forwarders.dll!ForwardedToKernel32 → kernel32.dll!HeapAlloc');
  await hits.getByRole('button', { name: 'kernel32.dll' }).click();
  await expect(page.getByRole('treeitem', { name: /^kernel32\.dll/i, selected: true })).toBeVisible();
  await saveScreens(page, '12b-dependencies-who-exports');
  await expectNoSeriousAxeViolations(page);
});

test('the application folder and the load method decide where a dependency is found; a wrong-bitness copy passed over is listed', async ({ page, served }) => {
  const app = join(served.home, 'app');
  const extra = join(served.home, 'extra');
  mkdirSync(app);
  mkdirSync(extra);
  copyFileSync(join(ROOT, 'build', 'fixtures-work', 'x64', 'missing-dep.dll'), join(app, 'missing-dep.dll'));
  copyFileSync(join(ROOT, 'build', 'fixtures-work', 'x86', 'missing-dep.dll'), join(extra, 'missing-dep.dll'));
  await openApp(page, served);
  await openDependencies(page, fixtureDll('needs-missing-dep', 'x86'));
  const context = page.getByRole('form', { name: 'Load context' });
  await context.getByLabel('Host bitness').selectOption('x86');
  await context.getByLabel('Application folder', { exact: true }).fill(app);
  await context.getByLabel(/Extra folders/).fill(extra);
  await context.getByLabel('Load method').selectOption('load-library');
  await context.getByRole('button', { name: 'Apply and triage again' }).click();
  await expect(page.getByTestId('dependency-verdict')).toHaveText('32-bit process: Loads');
  const found = treeItem(page, 'missing-dep.dll');
  await expect(found).toContainText('extra folder');
  await found.click();
  const passedOver = page.getByRole('region', { name: 'Module details' }).getByRole('table');
  await expect(passedOver.getByRole('row', { name: new RegExp(`${join(app, 'missing-dep.dll').replace(/[.]/g, '\\.')}`) })).toContainText('x64');
  await saveScreens(page, '12b-dependencies-copy-passed-over');

  // LOAD_LIBRARY_SEARCH_SYSTEM32 alone: neither the application folder nor the extra folder is searched.
  await context.getByLabel('Load method').selectOption('search-flags');
  const flags = context.getByRole('group', { name: 'Search flags' });
  for (const box of await flags.getByRole('checkbox').all()) await box.uncheck();
  await flags.getByRole('checkbox', { name: 'system32' }).check();
  await context.getByRole('button', { name: 'Apply and triage again' }).click();
  await expect(page.getByTestId('dependency-verdict')).toHaveText(/32-bit process: Does not load: error 126 ERROR_MOD_NOT_FOUND/);
  await expect(treeItem(page, 'missing-dep.dll')).toContainText('not found');
});
