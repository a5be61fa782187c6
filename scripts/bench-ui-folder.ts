// bench:ui's folder figures: Wine's ~680-DLL folder in the app (time to the first row, total,
// the page's longest main-thread task) beside `thunk triage --json` of the same folder, same run.
import type { Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/support/browser-host-fixture.ts';

const FOLDER = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows';

function cliFolderMs(): number {
  const start = performance.now();
  spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'triage', '--json', FOLDER], { stdio: 'ignore', maxBuffer: 1 << 30 });
  return performance.now() - start;
}

/** Submits the folder and measures in the page: first row painted, "N files in" shown, longest task. */
async function appFolder(page: Page): Promise<{ firstRowMs: number; totalMs: number; longestMs: number; files: number }> {
  await page.getByRole('textbox', { name: /type a path/ }).fill(FOLDER);
  // As a string: tsx would add helpers to a function's source that do not exist in the page.
  return (await page.evaluate(`new Promise((resolve) => {
    let longest = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longest = Math.max(longest, e.duration); }).observe({ type: 'longtask', buffered: false });
    const start = performance.now();
    let firstRowMs = null;
    document.querySelector('.path-form').requestSubmit();
    const poll = () => {
      if (firstRowMs === null && document.querySelector('[data-row-position]')) firstRowMs = performance.now() - start;
      const status = document.querySelector('[data-testid="folder-status"]');
      const done = status && /^(\\d+) files in/.exec(status.textContent);
      if (done) requestAnimationFrame(() => setTimeout(() => resolve({ firstRowMs, totalMs: performance.now() - start, longestMs: longest, files: Number(done[1]) }), 100));
      else requestAnimationFrame(poll);
    };
    poll();
  })`)) as { firstRowMs: number; totalMs: number; longestMs: number; files: number };
}

/** Prints the folder figures beside their goals; returns without a run when the folder is absent. */
export async function benchFolder(page: Page): Promise<void> {
  if (!existsSync(FOLDER)) {
    console.log(`\n(${FOLDER} is absent: no folder run; install wine64)`);
    return;
  }
  const app = await appFolder(page);
  const cliMs = cliFolderMs();
  console.log(`\nFolder ${FOLDER}: ${app.files} files, one run`);
  console.log('| measure | figure | goal |');
  console.log('|---|---|---|');
  console.log(`| first row on screen | ${app.firstRowMs.toFixed(0)} ms | as produced |`);
  console.log(`| app: open to the last row | ${app.totalMs.toFixed(0)} ms (${(app.totalMs / cliMs).toFixed(2)}× the CLI) | ≤ 1.2× the CLI |`);
  console.log(`| \`thunk triage --json\` of the folder (process) | ${cliMs.toFixed(0)} ms | |`);
  console.log(`| longest main-thread task in the page | ${app.longestMs.toFixed(0)} ms (0 = none over 50 ms) | ≤ 50 ms |`);
}
