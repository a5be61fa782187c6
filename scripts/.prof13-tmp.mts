import { chromium } from '@playwright/test';
import { join } from 'node:path';
import { startServe, ROOT } from '/work/wt-13/e2e/support/browser-host-fixture.ts';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const host = await startServe();
try {
  const page = await browser.newPage();
  await page.goto(host.url);
  await page.locator('body[data-app-ready="true"]').waitFor({ state: 'attached' });
  await page.getByRole('textbox', { name: /type a path/ }).fill(join(ROOT, 'build', 'fixtures', 'x64', 'call-console.dll'));
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: 'Call' }).click();
  await page.getByLabel('Prototype', { exact: true }).fill('int flood_for(int ms, int per_second)');
  await page.getByLabel('ms (int)').fill('2000');
  await page.getByLabel('per_second (int)').fill('10000');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable'); await cdp.send('Profiler.start');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await page.getByTestId('return-value').waitFor({ timeout: 120000 });
  await page.waitForTimeout(1000);
  const { profile } = await cdp.send('Profiler.stop') as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byName = new Map<string, number>();
  for (const n of profile.nodes) { const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; byName.set(k, (byName.get(k) ?? 0) + (self.get(n.id) ?? 0)); }
  console.log([...byName].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(0)} ms ${k}`).join('\n'));
  console.log(await page.getByTestId('log-count').innerText());
} finally { await browser.close(); await host.stop(); }
