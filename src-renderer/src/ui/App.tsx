import { useEffect } from 'react';
import { appStore, usePhase } from '../store/store.ts';
import { openFiles } from '../store/actions.ts';
import { StartScreen } from './StartScreen.tsx';
import { ProgressScreen } from './ProgressScreen.tsx';
import { ErrorScreen } from './ErrorScreen.tsx';
import { TriageView } from './TriageView.tsx';
import { FolderView } from './folder/FolderView.tsx';
import { CompareView } from './compare/CompareView.tsx';
import { AgentsDrawer } from './agents/AgentsDrawer.tsx';

/** One screen at a time, picked by the store's phase. */
export function App() {
  const phase = usePhase();
  useEffect(() => {
    document.body.dataset.screen = phase;
  }, [phase]);
  useEffect(() => {
    // Files dropped anywhere on the window open, whatever the screen; nothing navigates to them.
    const over = (e: DragEvent): void => { e.preventDefault(); };
    const drop = (e: DragEvent): void => {
      e.preventDefault();
      if (e.defaultPrevented && (e.target as HTMLElement)?.closest?.('[data-testid="drop-zone"]')) return;
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length && appStore.getState().phase !== 'working') void openFiles(files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => { window.removeEventListener('dragover', over); window.removeEventListener('drop', drop); };
  }, []);
  return (
    <div className="app">
      <header className="app-bar">
        <span className="brand" aria-hidden="true">Thunk</span>
        <span className="tagline">Will this Windows DLL load, and if not, why?</span>
        <AgentsDrawer />
      </header>
      <main className="app-main">
        {phase === 'start' && <StartScreen />}
        {phase === 'working' && <ProgressScreen />}
        {phase === 'error' && <ErrorScreen />}
        {phase === 'triage' && <TriageView />}
        {phase === 'folder' && <FolderView />}
        {phase === 'compare' && <CompareView />}
      </main>
    </div>
  );
}
