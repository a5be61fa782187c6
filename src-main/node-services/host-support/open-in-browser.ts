import { spawn } from 'node:child_process';

/** True when a browser window could appear: always on Windows and macOS, with X or Wayland on Linux. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  return platform === 'win32' || platform === 'darwin' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Opens a URL in the default browser; returns false when there is no display to open it on. */
export function openInBrowser(url: string): boolean {
  if (!hasDisplay()) return false;
  const [command, args] = process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
  return true;
}
