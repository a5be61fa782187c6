import { useState } from 'react';
import type { WindowsTrustView } from '../../../../src-main/contract/api-contract.ts';
import { askWindowsTrust } from '../../store/agents-actions.ts';
import './windows-trust.css';

type Asked = { state: 'idle' } | { state: 'asking' } | { state: 'answered'; view: WindowsTrustView } | { state: 'failed'; message: string };

/** The identity card's "Ask Windows": WinVerifyTrust's verdict beside Thunk's own, on request. */
export function WindowsTrustCheck({ file }: { file: string }) {
  const [asked, setAsked] = useState<Asked>({ state: 'idle' });
  const ask = async (): Promise<void> => {
    setAsked({ state: 'asking' });
    try {
      setAsked({ state: 'answered', view: await askWindowsTrust(file) });
    } catch (error) {
      setAsked({ state: 'failed', message: (error as Error).message });
    }
  };
  const view = asked.state === 'answered' ? asked.view : null;
  const deciding = view?.answered ? (view.catalog?.verdict ?? view.embedded) : null;
  const tone = !deciding ? 'says-fail' : deciding.hresult === 0 ? 'says-ok' : deciding.name === 'TRUST_E_NOSIGNATURE' ? 'says-neutral' : 'says-fail';
  return (
    <div className="windows-trust" aria-busy={asked.state === 'asking'} data-testid="windows-trust">
      <span className="windows-trust-term">Windows' verdict</span>
      <div>
        {view && <p className={`windows-trust-line ${tone}`}>{view.line}</p>}
        {view?.note && <p className="muted small">{view.note}</p>}
        {view?.runtime && <p className="muted small">Asked in {view.runtime}</p>}
        {asked.state === 'failed' && <p role="alert" className="windows-trust-error">{asked.message}</p>}
        <button type="button" onClick={() => void ask()} aria-disabled={asked.state === 'asking'}>
          {asked.state === 'asking' ? 'Asking WinVerifyTrust…' : view ? 'Ask Windows again' : 'Ask Windows (WinVerifyTrust)'}
        </button>
      </div>
    </div>
  );
}
