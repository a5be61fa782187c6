import type { TriageSettings } from '../../../../src-main/contract/api-contract.ts';

/** The load context fields beyond the Windows folder, in words, for one-line summaries ("; host program app.exe"). */
export function loadContextExtras(settings: TriageSettings): string {
  const parts: string[] = [];
  if (settings.hostExecutable) parts.push(`host program ${settings.hostExecutable}`);
  else if (settings.hosts.length === 1) parts.push(`${settings.hosts[0] === 'x86' ? '32' : '64'}-bit host only`);
  if (settings.applicationDir) parts.push(`application folder ${settings.applicationDir}`);
  if (settings.loadMethod && settings.loadMethod !== 'load-library') {
    parts.push(settings.loadMethod === 'search-flags' ? `LOAD_LIBRARY_SEARCH flags: ${(settings.searchFlags ?? []).join(', ') || 'none'}` : 'LOAD_WITH_ALTERED_SEARCH_PATH');
  }
  if (settings.searchDirs.length) parts.push(`${settings.searchDirs.length} extra folder${settings.searchDirs.length === 1 ? '' : 's'}`);
  return parts.map((p) => `; ${p}`).join('');
}
