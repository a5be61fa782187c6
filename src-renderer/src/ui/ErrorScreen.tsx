import { backToStart } from '../store/actions.ts';
import { useShownError } from '../store/store.ts';

/** A problem in words, with what to do; never a blank screen. */
export function ErrorScreen() {
  const error = useShownError();
  return (
    <section className="error-screen" role="alert" aria-labelledby="error-title">
      <h1 id="error-title">{error?.title ?? 'Something went wrong'}</h1>
      <p>{error?.message}</p>
      <p><strong>What to do:</strong> {error?.fix}</p>
      <button type="button" className="primary" autoFocus onClick={backToStart}>Open another file</button>
    </section>
  );
}
