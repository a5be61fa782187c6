import { existsSync } from 'node:fs';
import type { TriageSettings } from '../../contract/api-contract.ts';
import { ApiError } from '../../contract/api-contract.ts';
import { triageOptions, type TriageFlags } from '../../cli/commands/triage-inputs.ts';
import { UsageError } from '../../cli/usage-error.ts';
import type { TriageOptions } from '../../analysis/triage/analyse-file.ts';

/** The CLI's flag names in its messages, as the load context form labels them. */
const FIELD_NAMES: [RegExp, string][] = [
  [/--host-exe/g, 'Host program'], [/--windows-dir/g, 'Windows folder'], [/--app-dir/g, 'Application folder'],
  [/--search-dir/g, 'Extra folder'], [/--search-flag/g, 'Search flags'], [/--load-method search-flags/g, 'the load method "LoadLibraryEx with search flags"'],
  [/--host /g, 'Host bitness '],
];

function flagsOf(settings: TriageSettings): TriageFlags {
  const host = settings.hosts.length === 1 ? settings.hosts[0] : 'both';
  return {
    minSeverity: 'info', host: settings.hostExecutable ? undefined : host, hostExe: settings.hostExecutable ?? undefined,
    appDir: settings.applicationDir ?? undefined, loadMethod: settings.loadMethod, searchFlag: settings.searchFlags,
    searchDir: settings.searchDirs, windowsDir: settings.windowsDir ?? undefined,
  };
}

/**
 * Checks a load context change as `thunk triage` checks its flags (a folder that is not there, a
 * host program that is a DLL, search flags without their load method) and says which field is wrong.
 */
export function checkLoadContext(current: TriageSettings, change: Partial<TriageSettings>): Partial<TriageSettings> {
  try {
    triageOptions(flagsOf({ ...current, ...change }));
    return change;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const message = FIELD_NAMES.reduce((text, [flag, name]) => text.replace(flag, name), error.message);
    throw new ApiError('bad-request', `Load context not changed: ${message}.`);
  }
}

/**
 * The triage options the settings stand for. A host program decides the host bitness, as with
 * --host-exe; one that has gone since it was set is left out rather than failing every triage.
 */
export function loadContextOptions(settings: TriageSettings): Pick<TriageOptions, 'hosts' | 'hostExecutable' | 'loadMethod' | 'searchFlags'> {
  const hostExe = settings.hostExecutable && existsSync(settings.hostExecutable) ? settings.hostExecutable : undefined;
  let hosts = settings.hosts;
  if (hostExe) {
    try {
      hosts = triageOptions({ minSeverity: 'info', hostExe }).hosts;
    } catch {
      hosts = settings.hosts;
    }
  }
  return { hosts, hostExecutable: hostExe, loadMethod: settings.loadMethod, searchFlags: settings.loadMethod === 'search-flags' ? settings.searchFlags : undefined };
}
