import { _electron as electron, test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/browser-host-fixture.ts';
import { fixtureDll } from './support/fixture-files.ts';

/** Electron's binary as its npm package records it, or null when it was never downloaded. */
function electronBinary(): string | null {
  const dir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const why = 'Electron\'s binary is not installed (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD; it cannot be downloaded here): the same flows ran against the browser host above';

test('Electron: a 32-bit DLL given on the command line opens in the app with its verdicts', async () => {
  if (binary === null) console.log(`skipped: ${why}`);
  test.skip(binary === null, why);
  const app = await electron.launch({ executablePath: binary!, args: [ROOT, fixtureDll('needs-missing-dep', 'x86')], env: { ...process.env, THUNK_CONFIG_DIR: '' } });
  const window = await app.firstWindow();
  await expect(window.getByTestId('verdict-x86')).toContainText('126');
  expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  expect(await window.evaluate(() => Object.keys((window as unknown as { thunk: object }).thunk).sort())).toEqual(['invoke', 'on', 'pathForFile']);
  await app.close();
});
