// `npm run bench:ui`: from "open" to the verdict on screen, in Chromium against `thunk serve`,
// beside `thunk triage --json` on the same files in the same run; and the longest main-thread task
// while a folder of ~700 DLLs is triaged. Figures, not assertions (see the README).
import { chromium, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServe, ROOT } from '../e2e/support/browser-host-fixture.ts';
import { benchExports } from './bench-ui-exports.ts';
import { benchDependencies } from './bench-ui-dependencies.ts';
import { benchFolder } from './bench-ui-folder.ts';
import { benchAgentsAndLoader } from './bench-ui-agents.ts';
import { benchCalls } from './bench-ui-calls.ts';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const ROUNDS = 5;

function candidates(): { label: string; path: string }[] {
  const list = [{ label: 'small DLL (calling-conventions.dll, x64 fixture)', path: join(ROOT, 'build', 'fixtures', 'x64', 'calling-conventions.dll') }];
  for (const arch of ['win32-x64', 'win32-ia32']) {
    const nodeExe = join(ROOT, 'build', 'agents', arch, 'node.exe');
    if (existsSync(nodeExe)) { list.push({ label: `node.exe (${arch})`, path: nodeExe }); break; }
  }
  return list.filter((c) => existsSync(c.path));
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Types the path, submits, and measures in the page until a verdict card is painted. */
async function openToVerdict(page: Page, path: string): Promise<{ uiMs: number; analysisMs: number }> {
  await page.getByRole('textbox', { name: /type a path/ }).fill(path);
  // As a string: tsx would add helpers to a function's source that do not exist in the page.
  const uiMs = (await page.evaluate(`new Promise((resolve) => {
    const start = performance.now();
    document.querySelector('.path-form').requestSubmit();
    const poll = () => {
      if (document.querySelector('[data-testid^="verdict-"]')) requestAnimationFrame(() => resolve(performance.now() - start));
      else requestAnimationFrame(poll);
    };
    poll();
  })`)) as number;
  const analysisMs = Number(/Analysed in (\d+) ms/.exec(await page.locator('text=/Analysed in/').innerText())![1]);
  await page.keyboard.press('Escape');
  await page.getByRole('textbox', { name: /type a path/ }).waitFor();
  return { uiMs, analysisMs };
}

function cliMs(path: string): number {
  const start = performance.now();
  spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'triage', '--json', path], { stdio: 'ignore' });
  return performance.now() - start;
}

const PARTS = ['open', 'exports', 'dependencies', 'folder', 'agents', 'calls'] as const;
type Part = (typeof PARTS)[number];

/** `npm run bench:ui -- calls exports` runs only those parts; no names runs them all. */
function chosenParts(): Set<Part> {
  const named = process.argv.slice(2);
  const unknown = named.filter((name) => !(PARTS as readonly string[]).includes(name));
  if (unknown.length) {
    console.error(`bench:ui: no part named ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
    process.exit(2);
  }
  return new Set((named.length ? named : PARTS) as Part[]);
}

async function main(): Promise<void> {
  const parts = chosenParts();
  const host = await startServe();
  const browser = await chromium.launch(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {});
  try {
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.locator('body[data-app-ready="true"]').waitFor({ state: 'attached' });
    if (parts.has('open')) await benchOpen(page);
    if (parts.has('exports')) await benchExports(page);
    if (parts.has('dependencies')) await benchDependencies(page);
    if (parts.has('folder')) {
      await page.keyboard.press('Escape');
      await benchFolder(page);
    }
    if (parts.has('agents')) await benchAgentsAndLoader(page);
    if (parts.has('calls')) await benchCalls(browser);
  } finally {
    await browser.close();
    await host.stop();
  }
}

async function benchOpen(page: Page): Promise<void> {
  console.log(`bench:ui: ${ROUNDS} rounds each, median (first round = cold worker and caches)\n`);
  console.log('| file | UI: open to verdict painted | of which analysis (worker) | UI overhead | `thunk triage --json` (process) |');
    console.log('|---|---|---|---|---|');
    for (const { label, path } of candidates()) {
      const runs = [];
      for (let i = 0; i < ROUNDS; i++) runs.push(await openToVerdict(page, path));
      const cli = Array.from({ length: ROUNDS }, () => cliMs(path));
      const ui = median(runs.map((r) => r.uiMs));
      const analysis = median(runs.map((r) => r.analysisMs));
      console.log(`| ${label} | ${ui.toFixed(0)} ms (first ${runs[0]!.uiMs.toFixed(0)}) | ${analysis} ms | ${(ui - analysis).toFixed(0)} ms | ${median(cli).toFixed(0)} ms |`);
    }
}

await main();
