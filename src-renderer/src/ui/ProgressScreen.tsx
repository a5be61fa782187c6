import { useEffect } from 'react';
import { cancelWork } from '../store/actions.ts';
import { useProgress } from '../store/store.ts';

/** While a triage runs: what is being read, how far along, and a way out (Esc). */
export function ProgressScreen() {
  const progress = useProgress();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => { if (e.key === 'Escape') void cancelWork(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const total = progress?.total ?? 0;
  const done = progress?.done ?? 0;
  return (
    <section className="progress-screen" aria-labelledby="progress-title" aria-busy="true">
      <h1 id="progress-title">Analysing…</h1>
      <progress max={total || undefined} value={total ? done : undefined} aria-label="Analysis progress" />
      <p role="status">
        {progress?.file ? <><strong>{total > 1 ? `${Math.min(done + 1, total)} of ${total}: ` : ''}{progress.file.split(/[\\/]/).pop()}</strong><br /><span className="muted mono small">{progress.file}</span></> : 'Reading the file…'}
      </p>
      <button type="button" onClick={() => void cancelWork()}>Cancel (Esc)</button>
    </section>
  );
}
