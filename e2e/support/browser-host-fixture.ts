import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** A real `thunk serve` (the built CLI) with its own temp, config and home folders. */
export interface ServedHost {
  url: string;
  origin: string;
  port: number;
  token: string;
  /** TMPDIR of the server: the session folder is made in it. */
  tempRoot: string;
  home: string;
  /** Stops the server (SIGTERM, as Ctrl+C) and keeps the scratch folders to inspect. */
  kill(): Promise<void>;
  /** Stops the server and removes the scratch folders. */
  stop(): Promise<void>;
}

export async function startServe(extraArgs: string[] = []): Promise<ServedHost> {
  const scratch = mkdtempSync(join(tmpdir(), 'thunk-e2e-'));
  const tempRoot = join(scratch, 'tmp');
  const home = join(scratch, 'home', 'supportengineer');
  const env = { ...process.env, TMPDIR: tempRoot, HOME: home, USER: 'supportengineer', THUNK_CONFIG_DIR: join(scratch, 'config') };
  const { mkdirSync } = await import('node:fs');
  mkdirSync(tempRoot, { recursive: true });
  mkdirSync(home, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'thunk'), 'serve', '--port', '0', ...extraArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`thunk serve printed no URL in 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) { clearTimeout(timer); resolveUrl(match[0]); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`thunk serve exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  return {
    url, origin: parsed.origin, port: Number(parsed.port), token: parsed.searchParams.get('token')!, tempRoot, home, kill,
    stop: async () => {
      await kill();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Opens the UI and waits for the marker the app sets once it has talked to the service. */
export async function openApp(page: Page, host: ServedHost): Promise<void> {
  await page.goto(host.url);
  await expect(page.locator('body[data-app-ready="true"]')).toBeAttached();
}

export const test = base.extend<{ served: ServedHost }>({
  served: async ({}, use) => {
    const host = await startServe();
    await use(host);
    await host.stop();
  },
});

export { expect };
