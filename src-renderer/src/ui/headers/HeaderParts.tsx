import type { ReactNode } from 'react';
import type { FlagWord } from '../../../../src-main/contract/api-contract.ts';
import { entropyBand } from './header-words.ts';

/** A titled card; `id` makes it a named region for screen readers and tests. */
export function Card({ id, title, wide, children }: { id: string; title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section className={`header-card${wide ? ' wide' : ''}`} aria-labelledby={`hdr-${id}`}>
      <h2 id={`hdr-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

export type Fact = [label: string, value: ReactNode, mono?: boolean];

/** Label/value pairs; null and empty values are left out. */
export function Facts({ facts }: { facts: Fact[] }) {
  const shown = facts.filter(([, value]) => value !== null && value !== undefined && value !== '');
  return (
    <dl className="header-facts">
      {shown.map(([label, value, mono]) => (
        <div key={label}><dt>{label}</dt><dd className={mono ? 'mono' : undefined}>{value}</dd></div>
      ))}
    </dl>
  );
}

/** Set flags with their words; the others folded away below, also in words. */
export function FlagList({ flags, label }: { flags: FlagWord[]; label: string }) {
  const set = flags.filter((f) => f.set);
  const unset = flags.filter((f) => !f.set);
  return (
    <div className="flag-list">
      <ul aria-label={`${label} set`}>
        {set.length === 0 && <li className="muted">none set</li>}
        {set.map((f) => <li key={f.name}><span className="flag-on" aria-hidden="true">✓</span><code>{f.name}</code> {f.words}</li>)}
      </ul>
      {unset.length > 0 && (
        <details>
          <summary className="muted">Not set ({unset.length})</summary>
          <ul aria-label={`${label} not set`}>
            {unset.map((f) => <li key={f.name} className="muted"><span aria-hidden="true" className="flag-off">–</span><code>{f.name}</code> {f.words}</li>)}
          </ul>
        </details>
      )}
    </div>
  );
}

/** Entropy in bits per byte as a bar of 0..8, with its value and note. */
export function EntropyBar({ section, entropy, note }: { section: string; entropy: number | null; note: string | null }) {
  if (entropy === null) return <span className="muted">no data in the file</span>;
  const band = entropyBand(entropy);
  return (
    <span className="entropy">
      <span
        role="meter" aria-label={`Entropy of ${section}`} aria-valuemin={0} aria-valuemax={8} aria-valuenow={Number(entropy.toFixed(2))}
        aria-valuetext={`${entropy.toFixed(2)} bits per byte${note ? `: ${note}` : ''}`} className="entropy-track"
      >
        <span className={`entropy-fill ${band}`} style={{ width: `${(entropy / 8) * 100}%` }} />
      </span>
      <span className="entropy-value">{entropy.toFixed(2)}</span>
      {note && <span className={`entropy-note ${band}`}>{note}</span>}
    </span>
  );
}
