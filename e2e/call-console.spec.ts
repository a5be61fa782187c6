// The call console end to end: the real UI in Chromium, `thunk serve`, the real 32-bit agent
// (Windows Node under Wine, under qemu where the kernel runs no 32-bit code) and the MinGW-built
// call-console.dll fixture. One server and one page for the file: the agent starts once (3-30 s).
import { readFileSync } from 'node:fs';
import { test as base, expect, type Page } from '@playwright/test';
import { startServe, type ServedHost } from './support/browser-host-fixture.ts';
import { fixtureDll } from './support/fixture-files.ts';
import { saveScreens } from './support/screens.ts';
import { expectNoSeriousAxeViolations } from './support/accessibility.ts';
import { exportToPrintWindow } from './support/print-window.ts';

const test = base;
test.describe.configure({ mode: 'serial', timeout: 240_000 });

/** Generous: a 32-bit agent under qemu takes 3-10 s to start idle, far more on a busy machine. */
const AGENT_MS = 180_000;

let served: ServedHost;
let page: Page;
const dll = fixtureDll('call-console', 'x86');

test.beforeAll(async ({ browser }) => {
  served = await startServe();
  const context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
  await page.goto(served.url);
  await expect(page.locator('body[data-app-ready="true"]')).toBeAttached();
  await page.getByRole('textbox', { name: /type a path/ }).fill(dll);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict-x86')).toContainText('Loads');
  await page.getByRole('tab', { name: 'Call' }).click();
});

test.afterAll(async () => {
  await page?.close();
  await served?.stop();
});

async function setPrototype(prototype: string): Promise<void> {
  await page.getByLabel('Prototype', { exact: true }).fill(prototype);
  await expect(page.locator('#prototype-status')).toContainText(/parameter|returns/);
}

/** Clicks Call and waits for the call's row in the history. */
async function call(): Promise<void> {
  const rows = page.getByRole('table', { name: 'Call history' }).locator('tbody tr');
  const before = await rows.count();
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(rows).toHaveCount(before + 1, { timeout: AGENT_MS });
}

test('a __stdcall function of a 32-bit DLL: prototype prefilled from add_numbers@8, called, result read', async () => {
  await page.getByLabel('Export', { exact: true }).fill('add_numbers');
  await page.getByRole('button', { name: 'Prefill prototype' }).click();
  await expect(page.getByLabel('Prototype', { exact: true })).toHaveValue('int __stdcall add_numbers(int a1, int a2)');
  await expect(page.getByTestId('prefill-note')).toContainText('stdcall, 8 bytes of arguments, so 2 4-byte slots');
  await page.getByLabel('a1 (int)').fill('2');
  await page.getByLabel('a2 (int)').fill('0x28');
  await call();
  const result = page.getByTestId('call-result');
  await expect(result.getByTestId('return-value')).toHaveText('42');
  await expect(result).toContainText('win32-ia32');
  await expect(result).toContainText('GetLastError');
  await saveScreens(page, 'calls-1-stdcall-result');
  await expectNoSeriousAxeViolations(page);
  // The agents panel lists the DLL as loaded in the 32-bit agent that ran the call.
  await page.getByRole('button', { name: /^Agents/ }).click();
  const x86 = page.getByRole('complementary', { name: 'Agents' }).getByRole('article', { name: 'x86 agent' });
  await expect(x86.locator('.agent-fact', { hasText: 'Loaded modules' })).toContainText('call-console.dll');
  await page.keyboard.press('Escape');
});

test('bad input is refused before calling, with the field marked; a bad prototype is marked where it is wrong', async () => {
  const calls = await page.getByRole('table', { name: 'Call history' }).locator('tbody tr').count();
  await page.getByLabel('a1 (int)').fill('twelve');
  await page.getByLabel('a2 (int)').fill('4294967296');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(page.getByTestId('call-notice')).toHaveText('Nothing was called: 2 arguments to fix.');
  await expect(page.getByLabel('a1 (int)')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('write a whole number, decimal (-12) or hex (0xFF)')).toBeVisible();
  await expect(page.getByText(/out of range for a signed 32-bit integer/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Call history' }).locator('tbody tr')).toHaveCount(calls);
  await page.getByLabel('Prototype', { exact: true }).fill('int area(Size *s)');
  await expect(page.locator('#prototype-status')).toContainText('unknown type "Size"');
  await expect(page.locator('#prototype-status mark')).toHaveText('Size');
  await page.getByText('Type grammar', { exact: true }).click();
  await expect(page.getByText('Structs and enums: declare them below'), 'the type grammar, beside the prototype').toBeVisible();
  await page.getByText('Type grammar', { exact: true }).click();
  await saveScreens(page, 'calls-2-bad-input');
});

test('an out buffer, read in the hex view', async () => {
  await setPrototype('int describe(char *buffer, int size)');
  await page.getByRole('group', { name: 'buffer (char *)' }).getByLabel('size').fill('16');
  await page.getByLabel('size (int)').fill('16');
  await call();
  await expect(page.getByTestId('return-value')).toHaveText('8');
  const hex = page.getByRole('table', { name: 'buffer bytes' });
  await expect(hex.getByRole('row').nth(1)).toHaveText(['00000000', '54 48 55 4e 4b 2d 31 36', 'THUNK-16'].join(''));
  await expect(hex.getByRole('row').nth(2)).toHaveText(['00000008', '00 00 00 00 00 00 00 00', '........'].join(''));
  await saveScreens(page, 'calls-2b-out-buffer-hex');
});

test('a log line arrives in the live log, tied to its call', async () => {
  await setPrototype('int say(const char *text)');
  await page.getByLabel('text (const char *)').fill('hello from the e2e test');
  await call();
  const log = page.getByRole('log', { name: 'Log lines' });
  await expect(log).toContainText('say: hello from the e2e test');
  const n = await page.getByRole('table', { name: 'Call history' }).locator('tbody tr').count();
  await expect(log.locator('.log-line', { hasText: 'say: hello from the e2e test' }).locator('.log-tag')).toHaveText(`#${n}`);
  await expect(log).toContainText('agent started');
});

test('a crash: the crash card with the backtrace; then a call in the restarted agent', async () => {
  await setPrototype('int crash_here(int value)');
  await page.getByLabel('value (int)').fill('7');
  await call();
  const card = page.getByTestId('crash-card');
  await expect(card).toContainText('STATUS_ACCESS_VIOLATION (0xC0000005)');
  await expect(card).toContainText('call-console.dll+0x');
  await expect(card).toContainText('write of 0x10');
  await expect(card.getByRole('list', { name: 'Backtrace' })).toContainText('crash_here');
  await expect(card.getByRole('button', { name: 'Reset breaker' })).toBeVisible();
  // What the supervisor did: the first restart began at once; the DLL that crashed is not loaded again by itself.
  await expect(card).toContainText('died (exit status');
  await expect(card).toContainText('a new agent is starting (its restart 1 in this session)');
  await expect(card).toContainText('call-console.dll is not loaded again until the next call to it (it crashed)');
  // The session's agents write a minidump of each crash (the 32-bit one here); saving it downloads the dump.
  const dump = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Save minidump' }).click();
  expect((await dump).suggestedFilename()).toMatch(/^thunk-.*\.dmp$/);
  expect(readFileSync((await (await dump).path())!).subarray(0, 4).toString('latin1')).toBe('MDMP');
  await expect(page.getByText(/Minidump saved as thunk-.*\.dmp \([\d,]+ bytes\)/)).toBeVisible();
  await saveScreens(page, 'calls-3-crash-card');
  await expectNoSeriousAxeViolations(page);
  await card.getByRole('button', { name: 'Copy as text' }).click();
  await expect(card.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^CRASH: STATUS_ACCESS_VIOLATION \(0xC0000005\) at call-console\.dll\+0x/);
  expect(copied).toContain('call: int crash_here(int value) with [7]');
  expect(copied).toMatch(/#\d+ 0x[0-9a-f]+ call-console\.dll\+0x[0-9a-f]+ crash_here/);
  await card.getByRole('button', { name: 'Reset breaker' }).click();
  await expect(page.getByTestId('call-notice')).toHaveText('The circuit breaker is reset: the next call goes through.');
  await expect(page.getByRole('log', { name: 'Log lines' })).toContainText('breaker reset for call-console.dll by the user');
  await setPrototype('int trivial(void)');
  await call();
  await expect(page.getByTestId('return-value')).toHaveText('42');
  await expect(page.getByRole('log', { name: 'Log lines' })).toContainText('crash: STATUS_ACCESS_VIOLATION');
});

test('a hang: the console shows it running and refuses a second Call meanwhile; the per-call timeout ends it, and says so', async () => {
  await setPrototype('int hang(void)');
  await page.getByLabel('Timeout (ms)').fill('3000');
  const rows = page.getByRole('table', { name: 'Call history' }).locator('tbody tr');
  const before = await rows.count();
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  // A second submit (a double click, Enter pressed twice) before the button shows the call running.
  await page.locator('form.call-form').evaluate((form) => (form as HTMLFormElement).requestSubmit());
  await expect(page.getByTestId('call-notice')).toContainText('A call is still running');
  await expect(page.getByRole('button', { name: 'Calling…' })).toBeDisabled();
  await expect(rows).toHaveCount(before + 1, { timeout: AGENT_MS });
  await expect(page.getByTestId('call-notice')).toHaveCount(0);
  const result = page.getByTestId('call-result');
  await expect(result).toContainText('Timed out: CALL_HUNG');
  await expect(result).toContainText('no answer within 3000 ms');
  await expect(page.getByRole('table', { name: 'Call history' })).toContainText('timed out');
  await page.waitForTimeout(1000);
  await expect(rows, 'the refused second Call must not have run').toHaveCount(before + 1);
  await saveScreens(page, 'calls-4-timeout');
});

test('the exported report holds the session; the session saves to a file', async () => {
  await page.getByLabel('Report', { exact: true }).selectOption('json');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const report = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as { session: { calls: { prototype: string; kind: string; value?: unknown }[]; logs: { text: string }[] } };
  expect(report.session.calls.map((c) => c.kind)).toEqual(['result', 'result', 'result', 'crash', 'result', 'error']);
  expect(report.session.calls[0]).toMatchObject({ prototype: 'int __stdcall add_numbers(int a1, int a2)', value: 42 });
  expect(report.session.logs.map((l) => l.text)).toContain('say: hello from the e2e test');

  await page.getByLabel('Report', { exact: true }).selectOption('markdown');
  const markdown = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const md = readFileSync((await (await markdown).path())!, 'utf8');
  expect(md).toContain('## Session: calls made');
  expect(md).toContain('CRASH STATUS\\_ACCESS\\_VIOLATION');

  // PDF in a browser: the HTML report, session included, opens in its own window for "Save as PDF"
  // (Playwright's page.pdf() stands in for the print dialog; the desktop app prints it itself).
  const printed = await exportToPrintWindow(page);
  await expect(printed.locator('body')).toContainText('Session: calls made');
  await expect(printed.locator('body')).toContainText('STATUS_ACCESS_VIOLATION');
  await expect(printed.locator('body')).toContainText('say: hello from the e2e test');
  const pdf = await printed.pdf();
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await printed.close();

  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save session' }).click();
  const session = JSON.parse(readFileSync((await (await saved).path())!, 'utf8')) as { format: string; calls: unknown[] };
  expect(session.format).toBe('thunk-session');
  expect(session.calls).toHaveLength(6);
});

test('the history: Re-run calls a past call again as it was, Edit puts it back in the form and calls nothing', async () => {
  const rows = page.getByRole('table', { name: 'Call history' }).locator('tbody tr');
  const before = await rows.count();
  await page.getByRole('button', { name: 'Re-run call 1' }).click();
  await expect(rows).toHaveCount(before + 1, { timeout: AGENT_MS });
  await expect(rows.first()).toContainText('add_numbers(2, 40)');
  await expect(page.getByTestId('return-value')).toHaveText('42');
  await page.getByRole('button', { name: 'Edit call 3' }).click();
  await expect(page.getByLabel('Prototype', { exact: true })).toHaveValue('int say(const char *text)');
  await expect(page.getByLabel('text (const char *)')).toHaveValue('hello from the e2e test');
  await page.waitForTimeout(500);
  await expect(rows, 'Edit must not call').toHaveCount(before + 1);
});

test('Repeat N gives min, median and max; GetLastError is decoded; 64-bit integers pass without loss', async () => {
  await setPrototype('int fail_with(int code)');
  await page.getByLabel('code (int)').fill('5');
  await page.getByLabel('Repeat', { exact: true }).fill('5');
  await call();
  const result = page.getByTestId('call-result');
  await expect(result).toContainText(/median [\d.]+ ms \(min [\d.]+, max [\d.]+, 5 runs\)/);
  await expect(result).toContainText(/5 ERROR_ACCESS_DENIED: Access (is )?denied/i);
  await page.getByLabel('Repeat', { exact: true }).fill('1');
  await setPrototype('int64_t add64(int64_t a, int64_t b)');
  await expect(page.getByLabel('Export', { exact: true }), 'the Export box follows the prototype').toHaveValue('add64');
  await page.getByLabel('a (int64_t)').fill('9007199254740993');
  await page.getByLabel('b (int64_t)').fill('0x10');
  await call();
  await expect(page.getByTestId('return-value')).toContainText('9007199254741009');
});

test('the live log shows one call\'s lines: from a history row\'s Logs button or the list; agent events stay', async () => {
  const log = page.getByRole('log', { name: 'Log lines' });
  const which = page.getByRole('combobox', { name: 'Show the log of' });
  await page.getByRole('button', { name: 'Logs of call 1' }).click();
  await expect(which.locator('option:checked')).toHaveText(/^#1 add_numbers/);
  await expect(log).not.toContainText('say: hello from the e2e test');
  await expect(log).toContainText('agent started');
  await which.selectOption({ label: '#3 say' });
  await expect(log).toContainText('say: hello from the e2e test');
  await saveScreens(page, 'calls-5-log-of-one-call');
  await which.selectOption({ label: 'all calls' });
});

test('struct declarations are remembered for their DLL, and only for it', async () => {
  await page.getByText('Declarations for this DLL').click();
  await page.getByLabel(/Struct, enum and typedef declarations/).fill('typedef struct Size { int width; int height; } Size;');
  await setPrototype('int area(Size *s)');
  const size = page.getByRole('group', { name: 's (Size *)' });
  await size.getByLabel('width (int)').fill('6');
  await size.getByLabel('height (int)').fill('7');
  await call();
  await expect(page.getByTestId('return-value')).toHaveText('42');
  // Another DLL's console starts without them; back on this one, they are there again.
  await page.getByRole('button', { name: /Open another/ }).click();
  await page.getByRole('textbox', { name: /type a path/ }).fill(fixtureDll('calling-conventions', 'x86'));
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: 'Call' }).click();
  await expect(page.getByLabel(/Struct, enum and typedef declarations/)).toHaveValue('');
  await page.getByRole('button', { name: /Open another/ }).click();
  await page.getByRole('textbox', { name: /type a path/ }).fill(dll);
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: 'Call' }).click();
  await expect(page.getByLabel(/Struct, enum and typedef declarations/)).toHaveValue('typedef struct Size { int width; int height; } Size;');
});

test('a saved session opens again: its calls come back, the ones made since are replaced', async () => {
  const rows = page.getByRole('table', { name: 'Call history' }).locator('tbody tr');
  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save session' }).click();
  const content = readFileSync((await (await saved).path())!);
  const count = (JSON.parse(content.toString('utf8')) as { calls: unknown[] }).calls.length;
  await setPrototype('int trivial(void)');
  await call();
  await expect(rows).toHaveCount(count + 1);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open session…' }).click();
  await (await chooser).setFiles({ name: 'case-1234-session.json', mimeType: 'application/json', buffer: content });
  await expect(page.getByTestId('call-notice')).toHaveText(`Opened case-1234-session.json: ${count} calls.`);
  await expect(rows).toHaveCount(count);
  await expect(rows.first()).toContainText('area(');
});

test('from the exports table: "Call…" on a row opens the console with that export\'s prototype prefilled', async () => {
  await page.getByRole('tab', { name: 'Exports' }).click();
  await page.getByRole('searchbox', { name: 'Search exports' }).fill('add_numbers');
  const grid = page.getByRole('grid', { name: 'Exports' });
  await grid.getByRole('row').filter({ has: page.getByRole('gridcell', { name: /add_numbers/ }) }).first().click();
  await page.getByRole('button', { name: 'Call…' }).click();
  await expect(page.getByRole('tab', { name: 'Call' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Export', { exact: true })).toHaveValue(/add_numbers/);
  await expect(page.getByLabel('Prototype', { exact: true })).toHaveValue('int __stdcall add_numbers(int a1, int a2)');
});
