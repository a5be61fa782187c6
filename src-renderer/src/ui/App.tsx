import { useEffect } from 'react';
import { usePhase } from '../store/store.ts';
import { StartScreen } from './StartScreen.tsx';
import { ProgressScreen } from './ProgressScreen.tsx';
import { ErrorScreen } from './ErrorScreen.tsx';
import { TriageView } from './TriageView.tsx';

/** One screen at a time, picked by the store's phase. */
export function App() {
  const phase = usePhase();
  useEffect(() => {
    document.body.dataset.screen = phase;
  }, [phase]);
  return (
    <div className="app">
      <header className="app-bar">
        <span className="brand" aria-hidden="true">Thunk</span>
        <span className="tagline">Will this Windows DLL load, and if not, why?</span>
      </header>
      <main className="app-main">
        {phase === 'start' && <StartScreen />}
        {phase === 'working' && <ProgressScreen />}
        {phase === 'error' && <ErrorScreen />}
        {phase === 'triage' && <TriageView />}
      </main>
    </div>
  );
}
