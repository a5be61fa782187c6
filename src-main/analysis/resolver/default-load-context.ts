import { dirname, resolve } from 'node:path';
import type { HostArch, LoadContext } from './load-context.ts';
import { hostWindowsDir } from './windows-dirs.ts';

/**
 * The context a verdict is given in when the user says nothing: the DLL's own folder stands in
 * for the host executable's, plain LoadLibrary, the host's Windows folder (none off Windows).
 */
export function defaultLoadContext(dllPath: string, hostArch: HostArch, overrides: Partial<LoadContext> = {}): LoadContext {
  const base: LoadContext = {
    hostArch,
    applicationDir: dirname(resolve(dllPath)),
    hostExecutable: null,
    loadMethod: 'load-library',
    searchFlags: [],
    windowsDir: hostWindowsDir(),
    currentDir: null,
    pathDirs: [],
    extraDirs: [],
  };
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const context: LoadContext = { ...base, ...defined, hostArch };
  if (overrides.hostExecutable && overrides.applicationDir === undefined) context.applicationDir = dirname(resolve(overrides.hostExecutable));
  return context;
}
