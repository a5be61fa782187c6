import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openApp, ROOT } from './support/browser-host-fixture.ts';
import { fixtureDll } from './support/fixture-files.ts';
import { saveScreens } from './support/screens.ts';
import { expectNoSeriousAxeViolations } from './support/accessibility.ts';
import { withClrHeader } from '../src-main/test-support/clr-patch.ts';

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
  const search = page.getByRole('searchbox', { name: 'Search exports' });
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(page.getByRole('status').filter({ hasText: /of [\d,]+ exports/ })).toHaveText(/^9,\d{3} of 9,\d{3} exports, 1 selected$/);
});

test('node.exe: regular expression search (a bad one said as such), sort by click and keyboard, keyboard selection, layout kept across files', async ({ page, served }) => {
  test.skip(!existsSync(NODE_EXE), `${NODE_EXE} is absent: run npm run stage:agents`);
  await openApp(page, served);
  await openPath(page, NODE_EXE);
  await page.getByRole('tab', { name: 'Exports' }).click();
  const search = page.getByRole('searchbox', { name: 'Search exports' });
  const count = page.getByRole('status').filter({ hasText: /exports|regular expression/ }).first();
  await page.getByLabel('Regular expression').check();
  await search.fill('^napi_create_(int|uint)32$');
  await expect(count).toHaveText(/^2 of 9,\d{3} exports$/);
  expect((await shownNames(page)).sort()).toEqual(['napi_create_int32', 'napi_create_uint32']);
  await search.fill('napi_(create');
  await expect(search).toHaveAttribute('aria-invalid', 'true');
  await expect(count).toContainText('Not a valid regular expression');
  await search.fill('^uv_fs_');
  await expect(count).toHaveText(/^\d\d of 9,\d{3} exports$/);

  const nameHeader = page.getByRole('columnheader', { name: /^Name/ });
  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  const ascending = await shownNames(page);
  expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })));
  await nameHeader.getByRole('button').press('Enter');
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
  const descending = await shownNames(page);
  expect(descending).toEqual([...descending].sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base', numeric: true })));
  expect(descending[0]!.localeCompare(ascending.at(-1)!, 'en', { sensitivity: 'base', numeric: true })).toBeGreaterThan(0);
  await saveScreens(page, '12a-exports-regex-sorted');

  const grid = page.getByRole('grid', { name: 'Exports' });
  await grid.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(grid.locator('[role="row"][aria-selected="true"]')).toHaveCount(3);
  await page.keyboard.press('Control+a');
  await expect(count).toHaveText(/^(\d\d) of 9,\d{3} exports, \1 selected$/);

  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Signature' }).uncheck();
  await expect(page.getByRole('columnheader', { name: /^Signature/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Move Name earlier' }).click();
  await expect(page.getByRole('columnheader').first()).toHaveText(/^Name/);
  await expect(page.getByRole('button', { name: 'Move Name earlier' })).toBeDisabled();
  await page.getByRole('button', { name: 'Open another (Esc)' }).click();
  await openPath(page, fixtureDll('cpp-exports', 'x64'));
  await page.getByRole('tab', { name: 'Exports' }).click();
  await expect(page.getByRole('columnheader', { name: /^Name/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByRole('columnheader', { name: /^Signature/ })).toHaveCount(0);
  await expect(page.getByRole('columnheader').first()).toHaveText(/^Name/);
  await expect(page.getByRole('columnheader', { name: /^Forwarder/ })).toBeVisible();
});

test('C++ exports: the Signature column shows each undecorated name, and the search finds them by it', async ({ page, served }) => {
  await openApp(page, served);
  await openPath(page, fixtureDll('cpp-exports', 'x64'));
  await page.getByRole('tab', { name: 'Exports' }).click();
  await page.getByRole('searchbox', { name: 'Search exports' }).fill('Widget::add');
  const grid = page.getByRole('grid', { name: 'Exports' });
  const row = grid.getByRole('row').filter({ hasText: '_ZN5thunk6Widget3addEii' });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('gridcell', { name: 'thunk::Widget::add(int, int)' })).toBeVisible();
  await expect(page.locator('#exports-count')).toHaveText('1 of 4 exports');
});

test('follow a forwarder: a fixture into the module beside it, one to a missing module said in words', async ({ page, served }) => {
  await openApp(page, served);
  await openPath(page, fixtureDll('ordinals-and-forwarders', 'x64'));
  await page.getByRole('tab', { name: 'Exports' }).click();
  await expect(page.getByRole('gridcell', { name: 'kernel32.HeapAlloc' })).toBeVisible();
  await saveScreens(page, '12a-exports-forwarders');
  await expectNoSeriousAxeViolations(page);
  await page.getByRole('button', { name: 'forward-target.TargetFunc' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('forward-target.dll');
  await expect(page.getByRole('tab', { name: 'Exports' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('searchbox', { name: 'Search exports' })).toHaveValue('TargetFunc');
  await expect(page.getByRole('gridcell', { name: 'TargetFunc', exact: true })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Opened forward-target.dll' })).toContainText('found in the application folder (x64 process)');

  // A forwarder to an ordinal (forward-target.#12, exported with no name): the search finds that ordinal.
  await page.getByRole('button', { name: 'Open another (Esc)' }).click();
  await openPath(page, fixtureDll('ordinals-and-forwarders', 'x64'));
  await page.getByRole('tab', { name: 'Exports' }).click();
  await page.getByRole('button', { name: 'forward-target.#12' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('forward-target.dll');
  await expect(page.getByRole('searchbox', { name: 'Search exports' })).toHaveValue('#12');
  const byOrdinal = page.getByRole('grid', { name: 'Exports' }).getByRole('row').filter({ hasText: '(by ordinal only)' });
  await expect(byOrdinal).toHaveCount(1);
  await expect(byOrdinal.getByRole('gridcell').first()).toHaveText('12');
  await expect(page.locator('#exports-count')).toHaveText('1 of 2 exports');

  await page.getByRole('button', { name: 'Open another (Esc)' }).click();
  await openPath(page, fixtureDll('forwards-to-missing', 'x64'));
  await page.getByRole('tab', { name: 'Exports' }).click();
  await page.getByRole('searchbox', { name: 'Search exports' }).fill('');
  const grid = page.getByRole('grid', { name: 'Exports' });
  await grid.getByRole('row').filter({ hasText: 'absent-module.Gone' }).click();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Cannot open absent-module.dll (absent-module.Gone): absent-module.dll is not in any folder the x64 loader searches');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('forwards-to-missing.dll');
});

test("follow a forwarder of Wine's kernel32.dll into ntdll.dll", async ({ page, served }) => {
  test.skip(!existsSync(`${WINE_X64}/kernel32.dll`), `${WINE_X64} is absent: install wine64`);
  await openApp(page, served);
  await openPath(page, `${WINE_X64}/kernel32.dll`);
  await page.getByRole('tab', { name: 'Exports' }).click();
  await page.getByRole('searchbox', { name: 'Search exports' }).fill('AcquireSRWLockExclusive');
  await page.getByRole('button', { name: 'NTDLL.RtlAcquireSRWLockExclusive' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ntdll.dll', { timeout: 30_000 });
  await expect(page.getByRole('gridcell', { name: 'RtlAcquireSRWLockExclusive', exact: true })).toBeVisible();
});

test('headers of a fixture: flags in words, sections with entropy bars, version strings and manifest text, TLS', async ({ page, served }) => {
  await openApp(page, served);
  await openPath(page, fixtureDll('version-and-manifest', 'x86'));
  await page.getByRole('tab', { name: 'Headers' }).click();
  const fileHeader = page.getByRole('region', { name: 'File header' });
  await expect(fileHeader.getByRole('list', { name: 'File characteristics set' })).toContainText('DLL a DLL, not a program');
  await expect(fileHeader.getByRole('list', { name: 'File characteristics set' })).toContainText('32BIT_MACHINE');
  await expect(page.getByRole('region', { name: 'Optional header' })).toContainText('PE32 (0x10b)');
  await expect(page.getByRole('meter', { name: 'Entropy of .text' })).toHaveAttribute('aria-valuetext', /^[4-6]\.\d\d bits per byte$/);
  const resources = page.getByRole('region', { name: 'Resources' });
  await expect(resources.getByRole('table', { name: 'Version strings' })).toContainText('CompanyNameThunk Fixtures');
  await expect(resources.getByLabel('Manifest text')).toContainText('requireAdministrator');
  await expect(page.getByRole('region', { name: 'TLS callbacks and overlay' })).toContainText(/TLS callbacks\d+: run before DllMain/);
  await expect(page.getByRole('region', { name: 'Rich header' })).toContainText('None: not linked by Microsoft');
  await saveScreens(page, '12a-headers-fixture');
  await expectNoSeriousAxeViolations(page);
});

test('headers: the data directories, an overlay, and the CLR header of an assembly', async ({ page, served }) => {
  // A 32-bit MinGW DLL with a CLR header patched in (no .NET assembly ships with Debian): IL only in a PE32, so AnyCPU; 3,000 bytes appended.
  const { bytes } = withClrHeader(readFileSync(fixtureDll('calling-conventions', 'x86')), { flags: 0x1 });
  const assembly = join(served.home, 'patched-assembly.dll');
  writeFileSync(assembly, Buffer.concat([bytes, Buffer.alloc(3000, 0x5a)]));
  await openApp(page, served);
  await openPath(page, assembly);
  await page.getByRole('tab', { name: 'Headers' }).click();
  const directories = page.getByRole('region', { name: /^Data directories \(\d+ of 16 used\)/ });
  await expect(directories.getByRole('rowheader', { name: 'CLR runtime header' })).toBeVisible();
  await expect(directories.getByRole('rowheader', { name: 'Export', exact: false }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'TLS callbacks and overlay' })).toContainText(/Overlay.*at file offset 0x[0-9A-F]+: data after the last section, not loaded/i);
  const clr = page.getByRole('region', { name: 'CLR header (.NET)' });
  await expect(clr).toContainText('v4.0.30319');
  await expect(clr).toContainText('anycpu');
  await expect(clr).toContainText('32-bit and 64-bit');
  await saveScreens(page, '12a-headers-assembly-overlay');
});

test('headers of a real signed program (node.exe): Rich header, PDB with GUID and age, load config, certificates and signature', async ({ page, served }) => {
  test.skip(!existsSync(NODE_EXE), `${NODE_EXE} is absent: run npm run stage:agents`);
  await openApp(page, served);
  await openPath(page, NODE_EXE);
  await page.getByRole('tab', { name: 'Headers' }).click();
  // Reading 87 MB for the sections' entropy takes seconds on a busy machine.
  await expect(page.getByRole('region', { name: /^Sections \(7\)/ })).toBeVisible({ timeout: 45_000 });
  await expect(page.getByRole('region', { name: 'Rich header' })).toContainText('Checksumvalid');
  await expect(page.getByRole('table', { name: 'Tools that built the file' })).toContainText('Linker1400: the linker (VS 2015 or later)');
  const debug = page.getByRole('region', { name: 'Debug directory' });
  await expect(debug).toContainText('node.pdb');
  await expect(debug).toContainText(/GUID\{[0-9A-F-]{36}\}/);
  await expect(page.getByRole('region', { name: 'Load config' })).toContainText('CF_INSTRUMENTED');
  const signature = page.getByRole('region', { name: 'Certificates and signature' });
  await expect(signature).toContainText('PKCS_SIGNED_DATA');
  await expect(signature).toContainText(/Signature: valid/);
  await expect(page.getByRole('region', { name: 'Optional header' })).toContainText('windows console');
  await saveScreens(page, '12a-headers-node-exe');
  await expectNoSeriousAxeViolations(page);
});
