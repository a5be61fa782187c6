import { useState, type FormEvent } from 'react';
import type { OpenDocument } from '../../../../src-main/contract/api-contract.ts';
import { revealNode, searchExports } from '../../store/dependencies-actions.ts';
import { useDependencies, type Host } from '../../store/dependencies-slice.ts';

/** "Who exports this?": a name searched across every module of the tree, forwarders followed. */
export function WhoExportsSearch({ opened, file, host }: { opened: OpenDocument; file: string; host: Host }) {
  const [query, setQuery] = useState('');
  const result = useDependencies((s) => s.whoExports);
  const searching = useDependencies((s) => s.searching);
  const error = useDependencies((s) => s.searchError);
  const nodes = useDependencies((s) => s.view?.nodes);
  const nodeOf = (path: string): number | undefined => nodes?.find((n) => n.path === path)?.id;
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    void searchExports(opened, file, host, query);
  };
  return (
    <section className="who-exports" aria-labelledby="who-exports-title">
      <h3 id="who-exports-title">Who exports this?</h3>
      <form onSubmit={onSubmit} className="row" role="search">
        <label htmlFor="who-exports-query" className="sr-only">Function name to find in the dependency tree</label>
        <input id="who-exports-query" type="text" spellCheck={false} value={query} placeholder="HeapAlloc, or part of a name" onChange={(e) => setQuery(e.target.value)} />
        <button type="submit" disabled={searching}>{searching ? 'Searching…' : 'Find exporters'}</button>
      </form>
      {error && <p role="alert" className="fail-text">{error}</p>}
      {result && (
        <>
          <p className="muted small" role="status">
            {result.hits.length === 0 ? `No module of the ${result.modulesSearched} in this tree exports “${result.query}”.` : `${result.hits.length}${result.truncated ? '+' : ''} match${result.hits.length === 1 ? '' : 'es'} in ${result.modulesSearched} modules.`}
          </p>
          {result.hits.length > 0 && (
            <table className="compact" aria-label="Modules that export it">
              <thead><tr><th scope="col">Module</th><th scope="col">Ordinal</th><th scope="col">Export</th><th scope="col">Forwarding chain</th></tr></thead>
              <tbody>
                {result.hits.map((hit) => (
                  <tr key={`${hit.path}|${hit.ordinal}`}>
                    <td>
                      {nodeOf(hit.path) === undefined ? hit.module : <button type="button" className="link" title="Show in the tree" onClick={() => revealNode(nodeOf(hit.path)!)}>{hit.module}</button>}
                      {hit.reachedAs.length > 0 && <span className="muted small"> (as {hit.reachedAs.join(', ')})</span>}
                    </td>
                    <td>{hit.ordinal}</td>
                    <td className="mono">{hit.name}</td>
                    <td className="mono">{hit.chain.length ? hit.chain.join(' → ') : <span className="muted">its own code</span>}{hit.broken && <span className="fail-text"> — {hit.broken}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
