// bench:ui, agents part: "Ask the real loader" from the click to the comparison painted, beside the
// same load through a supervisor alone in the same run; and WinVerifyTrust through the 64-bit agent
// per file (small fixture, 87 MB node.exe). Figures, not assertions; called by scripts/bench-ui.ts.
import type { Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../e2e/support/browser-host-fixture.ts';
import { Supervisor } from '../src-main/node-services/agent/supervisor.ts';
import { WindowsTrustAsker } from '../src-main/node-services/agent/ask-windows.ts';

const ROUNDS = 5;
const DLL = join(ROOT, 'build', 'fixtures', 'x64', 'dllmain-returns-false.dll');
const NODE_EXE = join(ROOT, 'build', 'agents', 'win32-x64', 'node.exe');

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Click to the x64 comparison row painted with the loader's answer, measured in the page. */
async function askInPage(page: Page): Promise<number> {
  return (await page.evaluate(`new Promise((resolve) => {
    const button = document.querySelector('.real-loader-check button');
    const start = performance.now();
    let asking = false;
    button.click();
    const poll = () => {
      asking = asking || button.disabled;
      const row = document.querySelector('[data-testid="real-loader-x64"]');
      if (asking && !button.disabled && row && /1114/.test(row.textContent)) requestAnimationFrame(() => resolve(performance.now() - start));
      else requestAnimationFrame(poll);
    };
    poll();
  })`)) as number;
}

async function loaderRounds(page: Page): Promise<number[]> {
  await page.getByRole('textbox', { name: /type a path/ }).fill(DLL);
  await page.keyboard.press('Enter');
  // The workspace opens on the tab used last (the dependencies bench leaves it on Dependencies).
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByRole('region', { name: 'Real loader' }).waitFor();
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    runs.push(await askInPage(page));
    await page.getByRole('button', { name: 'Ask the real loader again' }).waitFor();
  }
  return runs;
}

async function supervisorRounds(): Promise<number[]> {
  const supervisor = new Supervisor({ pingIntervalMs: 0 });
  try {
    const runs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const start = performance.now();
      await supervisor.load(resolve(DLL), { arch: 'win32-x64', flags: 0x8, searchDirs: [] });
      runs.push(performance.now() - start);
    }
    return runs;
  } finally {
    await supervisor.dispose();
  }
}

async function trustRounds(): Promise<{ startMs: number; perFile: { label: string; ms: number }[] }> {
  const started = performance.now();
  const asker = await WindowsTrustAsker.start();
  const startMs = performance.now() - started;
  try {
    const perFile = [];
    for (const [label, file] of [['small fixture (unsigned, catalogs searched)', DLL], ['node.exe (87 MB, signed)', NODE_EXE]] as const) {
      if (!existsSync(file)) continue;
      const runs: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const start = performance.now();
        await asker.ask(file);
        runs.push(performance.now() - start);
      }
      perFile.push({ label, ms: median(runs) });
    }
    return { startMs, perFile };
  } finally {
    await asker.dispose();
  }
}

/** Prints the figures; `page` is an app page connected to a `thunk serve` (any screen). */
export async function benchAgentsAndLoader(page: Page): Promise<void> {
  if (!existsSync(NODE_EXE) || !existsSync(DLL)) {
    console.log('\n(agents: the 64-bit agent runtime or the fixtures are missing: npm run stage:agents, npm run build:fixtures)');
    return;
  }
  await page.keyboard.press('Escape');
  const ui = await loaderRounds(page);
  const alone = await supervisorRounds();
  const uiMs = median(ui.slice(1));
  const aloneMs = median(alone.slice(1));
  console.log('\n| Ask the real loader (x64 DllMain FALSE, Wine) | first (agent start) | median of the next | supervisor.load alone, same run | UI adds |');
  console.log('|---|---|---|---|---|');
  console.log(`| click to comparison painted | ${ui[0]!.toFixed(0)} ms | ${uiMs.toFixed(0)} ms | ${aloneMs.toFixed(0)} ms (first ${alone[0]!.toFixed(0)} ms) | ${(uiMs - aloneMs).toFixed(0)} ms |`);
  const trust = await trustRounds();
  console.log(`\nWinVerifyTrust through the 64-bit agent: agent start ${trust.startMs.toFixed(0)} ms; ${trust.perFile.map((f) => `${f.label} ${f.ms.toFixed(0)} ms`).join(', ')} (median of ${ROUNDS})`);
}
