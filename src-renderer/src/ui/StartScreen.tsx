import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { clearRecent, openFiles, openPaths } from '../store/actions.ts';
import { openDroppedFolders } from '../store/folder-drop-actions.ts';
import { droppedFolders } from './dropped-folders.ts';
import { useConnection, useRecentFiles } from '../store/store.ts';
import { LoadContextPanel } from './LoadContextPanel.tsx';
import { CompareLaunch } from './compare/CompareLaunch.tsx';

/** Drop zone, Open button, a path box, and the recent files. */
export function StartScreen() {
  const [path, setPath] = useState('');
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const recent = useRecentFiles();
  const { host } = useConnection();

  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setDragging(false);
    // The desktop app opens a dropped folder by its path, as a file; a page is never told the path.
    const folders = host === 'browser' ? droppedFolders(event.dataTransfer.items) : [];
    if (folders.length) return void openDroppedFolders(folders);
    void openFiles([...event.dataTransfer.files]);
  };
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    void openPaths([path]);
  };

  return (
    <section className="start" aria-labelledby="start-title">
      <h1 id="start-title" className="visually-hidden">Open a DLL</h1>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="drop-title">Drop a DLL, an EXE or a folder here</p>
        <p className="muted">Thunk tells you whether it loads in a 32-bit and a 64-bit process, and if not, why and how to fix it.</p>
        <button type="button" className="primary" onClick={() => picker.current?.click()}>Choose file…</button>
        <input ref={picker} type="file" multiple hidden aria-label="Choose files to open" onChange={(e) => void openFiles([...(e.target.files ?? [])])} />
      </div>

      <form className="path-form" onSubmit={onSubmit}>
        <label htmlFor="path-box">{host === 'browser' ? 'Or type a path on this computer' : 'Or type a path'}</label>
        <div className="row">
          <input id="path-box" type="text" autoFocus spellCheck={false} placeholder="/path/to/vendor.dll or C:\app\plugins" value={path} onChange={(e) => setPath(e.target.value)} />
          <button type="submit" disabled={!path.trim()}>Open</button>
        </div>
      </form>

      <CompareLaunch />
      <LoadContextPanel />

      <section className="recent" aria-labelledby="recent-title">
        <div className="section-head">
          <h2 id="recent-title">Recent files</h2>
          {recent.length > 0 && <button type="button" className="link" onClick={() => void clearRecent()}>Clear</button>}
        </div>
        {recent.length === 0 ? (
          <p className="muted">Files you open appear here.</p>
        ) : (
          <ul className="recent-list">
            {recent.map((r) => (
              <li key={r.path}>
                <button type="button" className="recent-item" onClick={() => void openPaths([r.path])} title={r.path}>
                  <span className="recent-name">{r.path.split(/[\\/]/).pop()}</span>
                  <span className="recent-path">{r.path}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
