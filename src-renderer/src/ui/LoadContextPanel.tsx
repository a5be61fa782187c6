import { useEffect, useState, type FormEvent } from 'react';
import { saveTriageSettings } from '../store/actions.ts';
import { useTriageSettings } from '../store/store.ts';
import { loadContextExtras } from './dependencies/load-context-words.ts';

/** Where the loader is assumed to look: a Windows folder for system DLLs, the hosts, the real loader. */
export function LoadContextPanel() {
  const settings = useTriageSettings();
  const [windowsDir, setWindowsDir] = useState('');
  const [status, setStatus] = useState('');
  useEffect(() => setWindowsDir(settings?.windowsDir ?? ''), [settings?.windowsDir]);
  if (!settings) return null;
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    // The service checks the folder as `thunk triage --windows-dir` does and says what is wrong.
    void saveTriageSettings({ windowsDir: windowsDir.trim() || null }).then(() => setStatus('Saved.'), (error: Error) => setStatus(error.message));
  };
  return (
    <details className="load-context">
      <summary>Load context: {settings.windowsDir ? `Windows folder ${settings.windowsDir}` : 'no Windows folder (system DLLs are not checked)'}{loadContextExtras(settings)}{settings.realLoader ? '; real loader on' : ''}</summary>
      <form onSubmit={onSubmit}>
        <label htmlFor="windows-dir">Windows folder (a C:\Windows copy, or a Wine prefix's drive_c/windows)</label>
        <div className="row">
          <input id="windows-dir" type="text" spellCheck={false} value={windowsDir} placeholder="~/.wine/drive_c/windows" onChange={(e) => setWindowsDir(e.target.value)} />
          <button type="submit">Save</button>
        </div>
        <label className="check">
          <input type="checkbox" checked={settings.realLoader} onChange={(e) => void saveTriageSettings({ realLoader: e.target.checked }).catch((error: Error) => setStatus(error.message))} />
          Also load each DLL for real in a helper process of its bitness (under Wine on Linux)
        </label>
        <span role="status" className="muted">{status}</span>
      </form>
    </details>
  );
}
