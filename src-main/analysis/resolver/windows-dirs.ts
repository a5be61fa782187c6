import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HostArch } from './load-context.ts';
import type { DirectoryIndex } from './directory-index.ts';

/** The folders of a Windows installation as a process of one bitness sees them. */
export interface WindowsDirs {
  windowsDir: string;
  /** System32, or SysWOW64 for a 32-bit process on 64-bit Windows (WOW64 redirection). */
  systemDir: string | null;
  /** The 16-bit system folder (Windows\System). */
  system16Dir: string | null;
}

function isDirectory(path: string | null): path is string {
  try {
    return path !== null && statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function childDir(index: DirectoryIndex, parent: string, name: string): string | null {
  const found = index.find(parent, name);
  return isDirectory(found) ? found : null;
}

/** Accepts a Wine prefix root as well as its drive_c/windows. */
export function normalizeWindowsDir(index: DirectoryIndex, windowsDir: string): string {
  const driveC = childDir(index, windowsDir, 'drive_c');
  const inside = driveC ? childDir(index, driveC, 'windows') : null;
  return inside ?? windowsDir;
}

/** System folders for the host: a 32-bit host on 64-bit Windows (SysWOW64 present) gets SysWOW64. */
export function windowsDirsFor(index: DirectoryIndex, windowsDir: string, hostArch: HostArch): WindowsDirs {
  const root = normalizeWindowsDir(index, windowsDir);
  const system32 = childDir(index, root, 'system32');
  const sysWow64 = hostArch === 'x86' ? childDir(index, root, 'syswow64') : null;
  return { windowsDir: root, systemDir: sysWow64 ?? system32, system16Dir: childDir(index, root, 'system') };
}

/** The Wine prefix holding a drive_c/windows folder, or null when it is not one. */
export function winePrefixOf(windowsDir: string): string | null {
  const prefix = dirname(dirname(windowsDir));
  return existsSync(join(prefix, 'system.reg')) ? prefix : null;
}

/** %SystemRoot% on a Windows host; null elsewhere. */
export function hostWindowsDir(): string | null {
  if (process.platform !== 'win32') return null;
  return process.env.SystemRoot ?? process.env.windir ?? 'C:\\Windows';
}
