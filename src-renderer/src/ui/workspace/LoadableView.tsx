import type { ReactNode } from 'react';
import type { Loadable } from '../../store/exports-slice.ts';

/** A tab's data while it is fetched, when it failed (in words, with what to do), or the view of it. */
export function LoadableView<T>({ loadable, what, children }: { loadable: Loadable<T> | undefined; what: string; children: (value: T) => ReactNode }) {
  if (!loadable || loadable.state === 'loading') return <p role="status" className="muted">Reading the {what}…</p>;
  if (loadable.state === 'failed') {
    return <section className="problem" role="alert"><h2>The {what} cannot be shown</h2><p>{loadable.message}</p><p><strong>What to do:</strong> open the file again.</p></section>;
  }
  return <>{children(loadable.value)}</>;
}
