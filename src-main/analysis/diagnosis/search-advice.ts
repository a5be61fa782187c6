import type { SearchLocation } from '../resolver/search-order.ts';
import type { HostArch, LoadContext } from '../resolver/load-context.ts';
import { isSystemDllName } from '../resolver/system-dll-names.ts';
import { BITS } from './findings.ts';

const LABELS: Partial<Record<SearchLocation['strategy'], string>> = {
  'application-dir': 'the application folder', 'dll-dir': "the DLL's own folder", 'extra-dir': 'a --search-dir folder',
  'system-dir': 'the system folder', 'windows-dir': 'the Windows folder', 'current-dir': 'the current folder', path: 'a PATH folder',
};

function describeMethod(context: LoadContext): string {
  if (context.loadMethod === 'search-flags') return `LoadLibraryEx with LOAD_LIBRARY_SEARCH_* flags (${context.searchFlags.join(', ') || 'none'})`;
  if (context.loadMethod === 'altered-search-path') return 'LoadLibraryEx with LOAD_WITH_ALTERED_SEARCH_PATH';
  return 'plain LoadLibrary';
}

/**
 * Where to put a missing module so that this load context finds it: the first folder the loader
 * searches (the application folder only when it is searched), or the flag the host must add.
 */
export function placementAdvice(name: string, host: HostArch, context: LoadContext, locations: SearchLocation[]): string {
  const searchesSystem = locations.some((l) => l.strategy === 'system-dir');
  if (isSystemDllName(name) && !searchesSystem) {
    return `${name} is a Windows DLL in System32, which ${describeMethod(context)} does not search: the host must add LOAD_LIBRARY_SEARCH_SYSTEM32 or LOAD_LIBRARY_SEARCH_DEFAULT_DIRS (--search-flag system32 or default-dirs to check).`;
  }
  const first = locations.find((l) => l.strategy !== 'system-dir' && l.strategy !== 'windows-dir');
  if (!first) {
    return `${describeMethod(context)} searches no folder an application can use: add LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR or LOAD_LIBRARY_SEARCH_APPLICATION_DIR in the host (--search-flag dll-load-dir to check), then put the ${BITS[host]} ${name} there.`;
  }
  const skipped = context.loadMethod !== 'load-library' && !locations.some((l) => l.strategy === 'application-dir')
    ? ` (${describeMethod(context)} does not search the application folder ${context.applicationDir})` : '';
  return `Put the ${BITS[host]} ${name} in ${LABELS[first.strategy] ?? 'a searched folder'} ${first.dir}${skipped}, or install the package that provides it.`;
}
