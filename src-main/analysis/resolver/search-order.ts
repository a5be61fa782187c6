import { dirname, resolve } from 'node:path';
import type { ResolutionStrategy } from './dependency-node.ts';
import type { LoadContext, SearchFlag } from './load-context.ts';
import type { WindowsDirs } from './windows-dirs.ts';

/** One folder of the search path, with the strategy a hit there is reported as. */
export interface SearchLocation {
  dir: string;
  strategy: ResolutionStrategy;
}

/*
 * The folders searched for the root's dependencies, after already-resolved names, API sets,
 * SxS redirection and KnownDLLs (which all come first, in that order):
 *
 * load-library (LoadLibrary, SafeDllSearchMode on):
 *   application dir; the extra dirs (as SetDllDirectory: right after the application dir);
 *   system dir (System32, or SysWOW64 for a 32-bit host); 16-bit system dir; Windows dir;
 *   current dir (not when SetDllDirectory is in force: it removes the current dir); PATH. The root DLL's own folder is searched only when it is the
 *   application dir: LoadLibrary(fullPath) does not look beside the DLL.
 * altered-search-path (LOAD_WITH_ALTERED_SEARCH_PATH): as load-library, but the root DLL's
 *   folder takes the application dir's place (the application dir is not searched).
 * search-flags (LOAD_LIBRARY_SEARCH_*): only the flagged folders, in the documented order
 *   DLL load dir, application dir, user dirs (AddDllDirectory = the extra dirs), System32;
 *   default-dirs = application dir + user dirs + System32. No Windows dir, current dir or PATH.
 */
export function searchLocations(context: LoadContext, dirs: WindowsDirs | null, rootPath: string): SearchLocation[] {
  const rootDir = dirname(resolve(rootPath));
  const list = context.loadMethod === 'search-flags'
    ? flagLocations(context, dirs, rootDir, new Set(context.searchFlags))
    : standardLocations(context, dirs, rootDir);
  return dedupe(list);
}

function systemLocations(dirs: WindowsDirs | null): SearchLocation[] {
  if (!dirs) return [];
  const list: SearchLocation[] = [];
  if (dirs.systemDir) list.push({ dir: dirs.systemDir, strategy: 'system-dir' });
  if (dirs.system16Dir) list.push({ dir: dirs.system16Dir, strategy: 'system-dir' });
  list.push({ dir: dirs.windowsDir, strategy: 'windows-dir' });
  return list;
}

function standardLocations(context: LoadContext, dirs: WindowsDirs | null, rootDir: string): SearchLocation[] {
  const first: SearchLocation = context.loadMethod === 'altered-search-path'
    ? { dir: rootDir, strategy: 'dll-dir' }
    : { dir: context.applicationDir, strategy: 'application-dir' };
  return [
    first,
    ...context.extraDirs.map((dir): SearchLocation => ({ dir, strategy: 'extra-dir' })),
    ...systemLocations(dirs),
    ...(context.currentDir && context.extraDirs.length === 0 ? [{ dir: context.currentDir, strategy: 'current-dir' as const }] : []),
    ...context.pathDirs.map((dir): SearchLocation => ({ dir, strategy: 'path' })),
  ];
}

function flagLocations(context: LoadContext, dirs: WindowsDirs | null, rootDir: string, flags: Set<SearchFlag>): SearchLocation[] {
  const defaults = flags.has('default-dirs');
  const list: SearchLocation[] = [];
  if (flags.has('dll-load-dir')) list.push({ dir: rootDir, strategy: 'dll-dir' });
  if (defaults || flags.has('application-dir')) list.push({ dir: context.applicationDir, strategy: 'application-dir' });
  if (defaults || flags.has('user-dirs')) list.push(...context.extraDirs.map((dir): SearchLocation => ({ dir, strategy: 'extra-dir' })));
  if ((defaults || flags.has('system32')) && dirs?.systemDir) list.push({ dir: dirs.systemDir, strategy: 'system-dir' });
  return list;
}

// A folder listed twice is searched once, at its first place.
function dedupe(list: SearchLocation[]): SearchLocation[] {
  const seen = new Set<string>();
  return list.filter((location) => {
    const key = resolve(location.dir).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
