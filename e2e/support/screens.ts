import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { ROOT } from './browser-host-fixture.ts';

export const SCREENS_DIR = join(ROOT, 'test-results', 'screens');

/** Saves the current screen in light and in dark, as `<name>-light.png` and `<name>-dark.png`. */
export async function saveScreens(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SCREENS_DIR, `${name}-${colorScheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
