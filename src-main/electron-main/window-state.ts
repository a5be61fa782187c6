import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { bounds: { x: 0, y: 0, width: 1180, height: 820 }, maximized: false };

function isRectangle(value: unknown): value is Rectangle {
  const r = value as Rectangle;
  return [r?.x, r?.y, r?.width, r?.height].every((n) => Number.isFinite(n)) && r.width >= 400 && r.height >= 300;
}

/** The last window size and position, or the defaults when none was saved or it is damaged. */
export function loadWindowState(dir: string): WindowState {
  try {
    const saved = JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8')) as Partial<WindowState>;
    return isRectangle(saved.bounds) ? { bounds: saved.bounds, maximized: saved.maximized === true } : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

/** Saves the window's normal bounds when it closes. */
export function rememberWindowState(window: BrowserWindow, dir: string): void {
  window.on('close', () => {
    const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      writeFileSync(join(dir, 'window-state.json'), JSON.stringify(state));
    } catch {
      // A read-only profile only costs the remembered size.
    }
  });
}
