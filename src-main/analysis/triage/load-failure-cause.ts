// Windows' messages for 126 and 127 name neither the module nor the function. When the real loader
// fails with one of them, the static resolver, run for the same load context, names what is missing.
import { join } from 'node:path';
import { diagnose } from '../diagnosis/diagnose.ts';
import type { HostArch } from '../resolver/load-context.ts';

const EXPLAINED = new Set([126, 127, 182]);

export interface LoadFailureContext {
  host: HostArch;
  /** The agent's Wine prefix, whose Windows folder the loader searched; null on Windows. */
  winePrefix: string | null;
  searchDirs: string[];
}

/**
 * The root cause the static analysis gives for the loader's error, e.g. "thunk_absent_dep.dll not
 * found (needed by needs-absent.dll)", when it predicts the same error; null otherwise.
 */
export function staticCauseOf(dll: string, osCode: number, context: LoadFailureContext): string | null {
  if (!EXPLAINED.has(osCode)) return null;
  try {
    // The agent loads with LOAD_WITH_ALTERED_SEARCH_PATH: the DLL's own folder is searched first.
    const { verdicts } = diagnose(dll, {
      hosts: [context.host],
      loadMethod: 'altered-search-path',
      searchDirs: context.searchDirs,
      windowsDir: context.winePrefix ? join(context.winePrefix, 'drive_c', 'windows') : undefined,
    });
    const verdict = verdicts[context.host];
    return verdict && !verdict.loads && verdict.error?.code === osCode ? verdict.rootCause : null;
  } catch {
    // The static analysis is a help here, not the answer: the loader's error stands on its own.
    return null;
  }
}
