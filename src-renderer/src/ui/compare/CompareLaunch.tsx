import { showCompare } from '../../store/folder-actions.ts';

/** On the start screen: the way into comparing two versions of a DLL. */
export function CompareLaunch() {
  return (
    <div className="compare-launch">
      <button type="button" onClick={() => showCompare()}>Compare two versions…</button>
      <span className="muted small">Version A works, version B does not: what changed?</span>
    </div>
  );
}
