import type { Comparison } from '../../../../src-main/contract/api-contract.ts';

type Export = Comparison['exports']['added'][number];

const HOSTS = { x86: '32-bit process', x64: '64-bit process' } as const;

function exportText(entry: Export): string {
  return `${entry.name ?? '(by ordinal)'} @${entry.ordinal}${entry.forwarder ? ` → ${entry.forwarder}` : ''}`;
}

function SideBySide({ title, rows }: { title: string; rows: { label: string; a: string; b: string; changed: boolean }[] }) {
  return (
    <section className="panel" aria-labelledby={`cmp-${title}`}>
      <h2 id={`cmp-${title}`}>{title}</h2>
      <table className="compare-table">
        <thead><tr><th scope="col"><span className="visually-hidden">Fact</span></th><th scope="col">A</th><th scope="col">B</th></tr></thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} className={row.changed ? 'changed' : undefined}>
              <th scope="row">{row.changed && <span className="change-mark" aria-label="changed">≠ </span>}{row.label}</th>
              <td>{row.a}</td><td>{row.b}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ExportsSection({ c }: { c: Comparison }) {
  const e = c.exports;
  const empty = e.added.length + e.removed.length + e.changed.length === 0;
  return (
    <section className="panel" aria-labelledby="cmp-exports">
      <h2 id="cmp-exports">Exports <span className="count">({e.added.length} added, {e.removed.length} removed, {e.changed.length} changed, {e.unchanged} unchanged)</span></h2>
      {empty ? <p className="muted">No export added, removed or changed.</p> : (
        <ul className="compare-list" aria-label="Export changes">
          {e.removed.map((x) => <li key={`r${x.ordinal}${x.name}`}><span className="tag removed">removed</span> <code>{exportText(x)}</code></li>)}
          {e.added.map((x) => <li key={`a${x.ordinal}${x.name}`}><span className="tag added">added</span> <code>{exportText(x)}</code></li>)}
          {e.changed.map((x) => <li key={`c${x.a.ordinal}${x.a.name}`}><span className="tag changed">{x.what.join(', ')} changed</span> <code>{exportText(x.a)}</code> → <code>{exportText(x.b)}</code></li>)}
        </ul>
      )}
    </section>
  );
}

function ImportsSection({ c }: { c: Comparison }) {
  const changed = c.imports.filter((m) => m.change !== 'same');
  return (
    <section className="panel" aria-labelledby="cmp-imports">
      <h2 id="cmp-imports">Imports <span className="count">({changed.length} of {c.imports.length} modules differ)</span></h2>
      {changed.length === 0 ? <p className="muted">No import added or removed.</p> : (
        <table className="compare-table">
          <thead><tr><th scope="col">Module</th><th scope="col">Change</th><th scope="col">Functions added</th><th scope="col">Functions removed</th></tr></thead>
          <tbody>
            {changed.map((m) => (
              <tr key={`${m.dll}${m.delayLoad}`}>
                <th scope="row" className="mono">{m.dll}{m.delayLoad ? ' (delay-load)' : ''}</th>
                <td><span className={`tag ${m.change}`}>{m.change}</span></td>
                <td className="mono">{m.added.join(', ') || '—'}</td><td className="mono">{m.removed.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A comparison side by side: the headline, then verdicts, exports, imports and the files' facts. */
export function CompareResult({ comparison: c }: { comparison: Comparison }) {
  const differs = c.differs.exports || c.differs.imports;
  return (
    <div className="compare-result">
      <p className={`headline ${differs ? 'fail' : 'ok'}`} data-testid="compare-headline">{c.headline}</p>
      <div className="compare-files">
        <p><span className="label">A</span> <span className="mono">{c.a.file}</span></p>
        <p><span className="label">B</span> <span className="mono">{c.b.file}</span></p>
      </div>
      <SideBySide title="Dependency verdicts" rows={c.verdicts.map((v) => ({ label: HOSTS[v.host], a: v.a, b: v.b, changed: v.changed }))} />
      <ExportsSection c={c} />
      <ImportsSection c={c} />
      <SideBySide title="Files" rows={c.facts} />
    </div>
  );
}
