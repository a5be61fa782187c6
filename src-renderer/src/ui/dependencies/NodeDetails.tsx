import { useEffect } from 'react';
import type { DependencyView, OpenDocument } from '../../../../src-main/contract/api-contract.ts';
import { loadFunctions, revealNode } from '../../store/dependencies-actions.ts';
import { useDependencies } from '../../store/dependencies-slice.ts';

interface NodeDetailsProps {
  opened: OpenDocument;
  view: DependencyView;
  id: number;
}

/** The selected module: how it was found or why not, the copies passed over, the functions its parent imports. */
export function NodeDetails({ opened, view, id }: NodeDetailsProps) {
  const node = view.nodes[id];
  const fetched = useDependencies((s) => s.functions);
  useEffect(() => { if (node?.functionCount) void loadFunctions(opened, view.file, view.host, id); }, [opened, view.file, view.host, id, node?.functionCount]);
  if (!node) return null;
  const functions = node.functionCount === null ? null : node.functionCount === 0 ? [] : fetched?.node === id && fetched.key === `${opened.id}|${view.file}|${view.host}` ? fetched.list : undefined;
  const parent = node.parent !== null ? view.nodes[node.parent] : null;
  const missing = Object.keys(node.missingFunctions).length;
  return (
    <section className="node-details" aria-label="Module details" data-testid="node-details" tabIndex={0}>
      <h3>{node.name}</h3>
      <dl>
        <dt>Found</dt><dd className={node.strategy === 'not-found' ? 'fail-text' : undefined}>{node.howFound}</dd>
        <dt>Path</dt><dd className="mono">{node.path ?? '—'}</dd>
        {node.machine && <><dt>Machine</dt><dd>{node.machine}</dd></>}
        {node.delayLoad && <><dt>Loaded</dt><dd>delay-loaded: on first call, not at start</dd></>}
      </dl>
      {node.firstId !== null && (
        <p>Shown once: <button type="button" className="link" onClick={() => revealNode(node.firstId!)}>go to the first {view.nodes[node.firstId]?.name}</button></p>
      )}
      {node.problem && <p className={`node-problem ${node.severity}`} role="note"><strong>{node.severity === 'warning' ? 'Warning' : 'Problem'}:</strong> {node.problem}{node.severity === 'warning' ? ' (delay-loaded: fails when first called, not at load)' : ''}</p>}
      {node.strategy === 'not-found' && node.firstId === null && (
        <>
          <h4>Looked for {node.name} in, in this order</h4>
          {view.searchOrder.length === 0 ? <p className="muted small">No folder: set the load context.</p> : (
            <ol className="search-order" aria-label={`Folders searched for ${node.name}`}>
              {view.searchOrder.map((s) => <li key={`${s.where}|${s.dir}`}><span className="muted">{s.where}</span> <span className="mono">{s.dir}</span></li>)}
            </ol>
          )}
          <p className="muted small">Fix: put {node.name} of the right bitness into one of these folders, or add its folder to the load context (Extra folders).</p>
        </>
      )}
      {node.skipped.length > 0 && (
        <>
          <h4>Copies passed over</h4>
          <table className="compact">
            <thead><tr><th scope="col">Path</th><th scope="col">Machine</th><th scope="col">Why</th></tr></thead>
            <tbody>{node.skipped.map((s) => <tr key={s.path}><td className="mono">{s.path}</td><td>{s.machine ?? '—'}</td><td>{s.reason}</td></tr>)}</tbody>
          </table>
        </>
      )}
      {node.functionCount !== null && parent && (
        <>
          <h4>Imported by {parent.name}{node.delayLoad ? ' (delay-load)' : ''}: {node.functionCount} function{node.functionCount === 1 ? '' : 's'}{missing ? `, ${missing} missing` : ''}</h4>
          {node.functionCount === 0 && <p className="muted small">None directly: reached through a forwarder or an API set.</p>}
          {functions === undefined && <p className="muted small" role="status">Reading the imports…</p>}
          <ul className="functions" aria-label={`Functions ${parent.name} imports from ${node.name}`}>
            {(functions ?? []).map((f, i) => {
              const why = node.missingFunctions[f];
              return (
                <li key={`${f}-${i}`} className={why ? 'missing' : undefined}>
                  <span className="mono">{f.startsWith('#') ? `ordinal ${f.slice(1)}` : f}</span>
                  {why && <span className="fail-text"> missing: {why}</span>}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
