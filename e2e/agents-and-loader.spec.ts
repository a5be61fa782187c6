// "Ask the real loader" beside the static verdict, and the agents panel, against the real backend:
// real agents under Wine (64-bit on Wine's 64-bit loader, 32-bit under qemu) and MinGW-built DLLs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openApp, ROOT } from './support/browser-host-fixture.ts';
import { fixtureDll } from './support/fixture-files.ts';
import { saveScreens } from './support/screens.ts';
import { expectNoSeriousAxeViolations } from './support/accessibility.ts';
import { buildWindowsFixtures } from '../src-agent32/testing/dll-fixtures.ts';
import { createSignedSamples, signingToolsMissing } from '../src-main/test-support/test-signing.ts';

const staged = (arch: string): boolean => existsSync(join(ROOT, 'build', 'agents', arch, 'node.exe'));
const AGENT_START_MS = 150_000;

async function openPath(page: Page, path: string): Promise<void> {
  await page.getByRole('textbox', { name: /type a path/ }).fill(path);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Real loader' })).toBeVisible();
}

async function askRealLoader(page: Page): Promise<void> {
  const panel = page.getByRole('region', { name: 'Real loader' });
  await expect(panel).toContainText('The verdicts above are predicted from the file');
  await panel.getByRole('button', { name: 'Ask the real loader' }).click();
  await expect(panel.getByRole('button', { name: 'Ask the real loader again' })).toBeEnabled({ timeout: AGENT_START_MS });
}

test('DllMain returning FALSE: the real loader says 1114 beside a prediction that it loads, marked as disagreeing, with why; the agents panel shows the agent and restarts it', async ({ page, served }) => {
  test.skip(!staged('win32-x64'), 'the 64-bit agent runtime is not staged (npm run stage:agents)');
  test.setTimeout(300_000);
  await openApp(page, served);
  await openPath(page, fixtureDll('dllmain-returns-false', 'x64'));
  await expect(page.getByTestId('verdict-x64')).toContainText('Loads');
  await askRealLoader(page);
  const row = page.getByTestId('real-loader-x64');
  await expect(row.getByRole('heading')).toContainText('Disagrees');
  await expect(row).toContainText('Analysis predictsLoads');
  await expect(row).toContainText('Real loader saysFails: 1114 ERROR_DLL_INIT_FAILED');
  await expect(row).toContainText(/Why.*initialisation \(DllMain, or a TLS callback or static constructor\) returned FALSE/);
  await expect(row).toContainText(/Loaded by .*under wine/i);
  await saveScreens(page, 'agents-1-real-loader-dllmain-false');

  // The agents panel, from the app bar: the 64-bit agent that loaded it, its pid and how it runs.
  const toggle = page.getByRole('button', { name: /^Agents/ });
  await expect(toggle).toContainText('x64 ready');
  await toggle.click();
  const drawer = page.getByRole('complementary', { name: 'Agents' });
  await expect(drawer.getByRole('heading', { name: 'Agents' })).toBeFocused();
  const x64 = drawer.getByRole('article', { name: 'x64 agent' });
  await expect(x64).toContainText('Ready');
  const facts = x64.getByRole('definition');
  const pidText = await x64.locator('.agent-fact', { hasText: 'PID' }).locator('dd').innerText();
  expect(Number(pidText)).toBeGreaterThan(0);
  await expect(x64.locator('.agent-fact', { hasText: 'How it runs' })).toContainText(/under Wine \d/);
  await expect(x64.locator('.agent-fact', { hasText: 'Runtime' })).toContainText('win32-x64');
  await expect(x64.locator('.agent-fact', { hasText: 'Uptime' })).toContainText(/\d+ (s|min)/);
  await expect(x64.locator('.agent-fact', { hasText: 'Restarts' })).toContainText('0');
  await expect(facts.first()).toBeVisible();
  await expect(drawer.getByRole('article', { name: 'x86 agent' })).toContainText('Not started');
  await saveScreens(page, 'agents-2-panel');
  await expectNoSeriousAxeViolations(page);

  await x64.getByRole('button', { name: 'Restart x64 agent' }).click();
  await expect(x64.getByRole('button', { name: 'Restart x64 agent' })).toBeEnabled({ timeout: AGENT_START_MS });
  await expect(x64.locator('.agent-fact', { hasText: 'Restarts' })).toContainText('1');
  await expect(x64.locator('.agent-fact', { hasText: 'PID' }).locator('dd')).not.toHaveText(pidText);
  await expect(x64).toContainText('Ready');
  await expect(x64.locator('.agent-fact', { hasText: 'Last exit' })).toContainText(/ended by a restart on request/);

  // Escape closes the panel and gives the focus back to its button.
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(toggle).toBeFocused();
  await expect(page.getByRole('heading', { level: 1 }), 'that Escape closed the panel only: the file stays open').toHaveText('dllmain-returns-false.dll');
});

test('a fault in DllMain: the real loader says 998, and where the DLL faulted (module+offset) with its backtrace', async ({ page, served }) => {
  test.skip(!staged('win32-x64'), 'the 64-bit agent runtime is not staged (npm run stage:agents)');
  test.setTimeout(300_000);
  const dll = buildWindowsFixtures('x64').dllmainCrash;
  await openApp(page, served);
  await openPath(page, dll);
  await askRealLoader(page);
  const row = page.getByTestId('real-loader-x64');
  await expect(row.getByRole('heading')).toContainText('Disagrees');
  await expect(row).toContainText('Real loader saysFails: 998 ERROR_NOACCESS');
  await expect(row).toContainText(/faulted: STATUS_ACCESS_VIOLATION \(0xC0000005\) at dllmain-crash\.dll\+0x[0-9a-f]+ \(write access to 0x0\)/);
  await row.getByText(/Where it happened/).click();
  await expect(row.getByRole('listitem').first()).toContainText(/dllmain-crash\.dll\+0x[0-9a-f]+/);
  await saveScreens(page, 'agents-3-real-loader-dllmain-faults');
  await expectNoSeriousAxeViolations(page);
});

test('a 32-bit DLL asked from the keyboard alone: the x86 agent starts under Wine with x86 emulated, and the panel says so', async ({ page, served }) => {
  test.skip(!staged('win32-ia32'), 'the 32-bit agent runtime is not staged (npm run stage:agents)');
  test.setTimeout(300_000);
  await openApp(page, served);
  await openPath(page, fixtureDll('dllmain-returns-false', 'x86'));
  const ask = page.getByRole('button', { name: 'Ask the real loader' });
  await ask.focus();
  await page.keyboard.press('Enter');
  const row = page.getByTestId('real-loader-x86');
  await expect(row).toContainText('Real loader saysFails: 1114 ERROR_DLL_INIT_FAILED', { timeout: AGENT_START_MS });
  const toggle = page.getByRole('button', { name: /^Agents/ });
  await toggle.focus();
  await page.keyboard.press('Enter');
  const x86 = page.getByRole('complementary', { name: 'Agents' }).getByRole('article', { name: 'x86 agent' });
  await expect(x86).toContainText('Ready');
  // Natively where the kernel runs 32-bit code, else through qemu: both are how it runs here.
  await expect(x86.locator('.agent-fact', { hasText: 'How it runs' })).toContainText(/under Wine \d[\w.]*(, x86 emulated \(qemu\))?$/);
  await saveScreens(page, 'agents-4-panel-x86');
});

test('Ask Windows in the identity card: WinVerifyTrust (Wine\'s, and it says so) finds a file modified after signing, beside Thunk\'s own verdict', async ({ page, served }) => {
  test.skip(!staged('win32-x64'), 'the 64-bit agent runtime is not staged (npm run stage:agents)');
  const missing = signingToolsMissing();
  test.skip(missing !== null, `signing tools missing: ${missing}`);
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'thunk-e2e-trust-'));
  try {
    const { modified } = createSignedSamples(dir, fixtureDll('delay-target', 'x64'));
    await openApp(page, served);
    await page.getByRole('textbox', { name: /type a path/ }).fill(modified);
    await page.keyboard.press('Enter');
    const identity = page.getByRole('region', { name: 'File' });
    await expect(identity).toContainText(/Signature.*(Invalid|modified)/i);
    await identity.getByRole('button', { name: 'Ask Windows (WinVerifyTrust)' }).click();
    const trust = page.getByTestId('windows-trust');
    await expect(trust).toContainText('TRUST_E_BAD_DIGEST: the file was modified after it was signed', { timeout: 120_000 });
    await expect(trust).toContainText("Windows' own verdict under Wine is Wine's implementation, not Windows'");
    await expect(trust).toContainText(/Asked in build\/agents\/win32-x64 under wine/);
    await identity.scrollIntoViewIfNeeded();
    await saveScreens(page, 'agents-5-ask-windows-modified');
    await expectNoSeriousAxeViolations(page);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
