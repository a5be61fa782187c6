import { useEffect, useState, type DragEvent, type FormEvent } from 'react';
import type { Comparison } from '../../../../src-main/contract/api-contract.ts';
import { backToStart } from '../../store/actions.ts';
import { pathOfDropped, runCompare } from '../../store/folder-actions.ts';
import { useCompare } from '../../store/folder-hooks.ts';
import { CompareResult } from './CompareResult.tsx';
import './compare.css';

/** One side: a path box that also takes a dropped file (uploaded in the browser). */
function SideInput({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (path: string) => void }) {
  const [note, setNote] = useState('');
  const onDrop = async (event: DragEvent): Promise<void> => {
    event.preventDefault();
    event.stopPropagation();
    const file = event.dataTransfer.files[0];
    if (!file) return;
    setNote(`uploading ${file.name}…`);
    try {
      onChange(await pathOfDropped(file));
      setNote(`${file.name} (uploaded copy)`);
    } catch (error) {
      setNote((error as Error).message);
    }
  };
  return (
    <div className="compare-side" data-testid={`compare-drop-${id}`} onDragOver={(e) => { e.preventDefault(); e.stopPropagation(); }} onDrop={(e) => void onDrop(e)}>
      <label htmlFor={`compare-${id}`}>{label}</label>
      <input id={`compare-${id}`} type="text" spellCheck={false} placeholder="type a path or drop a file here" value={value} onChange={(e) => onChange(e.target.value)} />
      {note && <span className="muted small">{note}</span>}
    </div>
  );
}

/** Compare two versions of a DLL: "A works, B does not". */
export function CompareView() {
  const compare = useCompare();
  const [a, setA] = useState(compare.a);
  const [b, setB] = useState(compare.b);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => { if (e.key === 'Escape') backToStart(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    void runCompare(a, b);
  };
  const result: Comparison | null = compare.result;
  return (
    <section className="compare" aria-labelledby="compare-title">
      <div className="folder-head">
        <h1 id="compare-title">Compare two versions of a DLL</h1>
        <button type="button" onClick={backToStart}>Back (Esc)</button>
      </div>
      <form className="compare-form" onSubmit={onSubmit} aria-label="Files to compare">
        <SideInput id="a" label="Version A (works)" value={a} onChange={setA} />
        <SideInput id="b" label="Version B (does not)" value={b} onChange={setB} />
        <button type="submit" className="primary" disabled={!a.trim() || !b.trim() || compare.state === 'running'}>{compare.state === 'running' ? 'Comparing…' : 'Compare'}</button>
      </form>
      {compare.state === 'failed' && <p role="alert" className="notice">{compare.error}</p>}
      {result && compare.state === 'done' && <CompareResult comparison={result} />}
    </section>
  );
}
