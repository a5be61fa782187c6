import { useEffect, useState, type FormEvent } from 'react';
import { loadMethodSchema, searchFlagSchema, type TriageSettings } from '../../../../src-main/contract/api-contract.ts';
import { applyLoadContext } from '../../store/dependencies-actions.ts';
import { useDependencies } from '../../store/dependencies-slice.ts';

type LoadMethod = NonNullable<TriageSettings['loadMethod']>;
type SearchFlag = NonNullable<TriageSettings['searchFlags']>[number];

const METHOD_WORDS: Record<LoadMethod, string> = {
  'load-library': 'LoadLibrary (searches the application folder, not the DLL\'s)',
  'altered-search-path': 'LoadLibraryEx, LOAD_WITH_ALTERED_SEARCH_PATH (the DLL\'s folder first)',
  'search-flags': 'LoadLibraryEx with LOAD_LIBRARY_SEARCH_* flags',
};
const HOSTS: Record<string, TriageSettings['hosts']> = { both: ['x86', 'x64'], x86: ['x86'], x64: ['x64'] };

interface Draft {
  hosts: string; hostExecutable: string; applicationDir: string; loadMethod: LoadMethod; searchFlags: SearchFlag[]; searchDirs: string; windowsDir: string;
}

function draftOf(s: TriageSettings): Draft {
  return {
    hosts: s.hosts.length === 2 ? 'both' : s.hosts[0]!, hostExecutable: s.hostExecutable ?? '', applicationDir: s.applicationDir ?? '',
    loadMethod: s.loadMethod ?? 'load-library', searchFlags: s.searchFlags ?? [], searchDirs: s.searchDirs.join('\n'), windowsDir: s.windowsDir ?? '',
  };
}

function changeOf(d: Draft): Partial<TriageSettings> {
  const orNull = (text: string): string | null => text.trim() || null;
  return {
    hosts: HOSTS[d.hosts]!, hostExecutable: orNull(d.hostExecutable), applicationDir: orNull(d.applicationDir), loadMethod: d.loadMethod,
    searchFlags: d.loadMethod === 'search-flags' ? d.searchFlags : [], searchDirs: d.searchDirs.split('\n').map((l) => l.trim()).filter(Boolean), windowsDir: orNull(d.windowsDir),
  };
}

/** The load context every verdict and tree is given in, always on screen; Apply saves it and triages the file again. */
export function LoadContextBar({ settings }: { settings: TriageSettings }) {
  const [draft, setDraft] = useState(() => draftOf(settings));
  const applying = useDependencies((s) => s.applying);
  const error = useDependencies((s) => s.contextError);
  useEffect(() => setDraft(draftOf(settings)), [settings]);
  const edit = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    void applyLoadContext(changeOf(draft));
  };
  const flag = (f: SearchFlag, on: boolean): void => edit('searchFlags', on ? [...draft.searchFlags, f] : draft.searchFlags.filter((x) => x !== f));
  return (
    <form className="load-context-bar" aria-label="Load context" onSubmit={onSubmit}>
      <label>Host bitness
        <select value={draft.hosts} onChange={(e) => edit('hosts', e.target.value)} disabled={draft.hostExecutable.trim() !== ''}>
          <option value="both">32- and 64-bit</option><option value="x86">32-bit (x86)</option><option value="x64">64-bit (x64)</option>
        </select>
      </label>
      <label>Host program (.exe)<input type="text" spellCheck={false} value={draft.hostExecutable} placeholder="none: the DLL's folder stands in" onChange={(e) => edit('hostExecutable', e.target.value)} /></label>
      <label>Application folder<input type="text" spellCheck={false} value={draft.applicationDir} placeholder="the host program's, else the DLL's folder" onChange={(e) => edit('applicationDir', e.target.value)} /></label>
      <label>Load method
        <select value={draft.loadMethod} onChange={(e) => edit('loadMethod', loadMethodSchema.parse(e.target.value))}>
          {loadMethodSchema.options.map((m) => <option key={m} value={m}>{METHOD_WORDS[m]}</option>)}
        </select>
      </label>
      <fieldset className="flags" disabled={draft.loadMethod !== 'search-flags'}>
        <legend>Search flags</legend>
        {searchFlagSchema.options.map((f) => (
          <label key={f} className="check"><input type="checkbox" checked={draft.searchFlags.includes(f)} onChange={(e) => flag(f, e.target.checked)} />{f}</label>
        ))}
      </fieldset>
      <label>Extra folders (one per line)<textarea rows={2} spellCheck={false} value={draft.searchDirs} placeholder="AddDllDirectory / SetDllDirectory folders" onChange={(e) => edit('searchDirs', e.target.value)} /></label>
      <label>Windows folder<input type="text" spellCheck={false} value={draft.windowsDir} placeholder="none: system DLLs are not checked" onChange={(e) => edit('windowsDir', e.target.value)} /></label>
      <div className="apply">
        <button type="submit" className="primary" disabled={applying}>{applying ? 'Triaging…' : 'Apply and triage again'}</button>
        {error && <p role="alert" className="fail-text">{error}</p>}
      </div>
    </form>
  );
}
