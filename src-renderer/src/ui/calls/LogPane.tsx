import { useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { clearLogView, filterLogs } from '../../store/call-actions.ts';
import { useCalls, useLogs } from '../../store/call-slice.ts';

const ROW_HEIGHT = 18;

/** The DLL's output as it arrives, each line tagged with its call, agent events between them; virtualized, following the end. */
export function LogPane() {
  const { logs, dropped, filter } = useLogs();
  const calls = useCalls();
  const numbers = useMemo(() => new Map(calls.map((c, i) => [c.id, i + 1])), [calls]);
  const shown = useMemo(() => (filter ? logs.filter((l) => l.callId === filter || (l.kind === 'event' && l.callId === null)) : logs), [logs, filter]);
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  // One scroll write per update: the virtualizer's scrollToIndex reads the element's size again and
  // again (forced layouts) and was the longest task of a 10,000-lines/s flood.
  const totalSize = virtualizer.getTotalSize();
  useEffect(() => {
    if (following.current && scroller.current) scroller.current.scrollTop = totalSize;
  }, [totalSize, shown.length]);
  const onScroll = (): void => {
    const el = scroller.current;
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
  };
  return (
    <section className="log-pane" aria-labelledby="log-title">
      <div className="row log-head">
        <h3 id="log-title">Live log</h3>
        <label className="inline small">Call
          <select aria-label="Show the log of" value={filter ?? ''} onChange={(e) => filterLogs(e.target.value || null)}>
            <option value="">all calls</option>
            {calls.map((c, i) => <option key={c.id} value={c.id}>#{i + 1} {c.prototype.replace(/\(.*$/, '').split(/\s+/).pop()}</option>)}
          </select>
        </label>
        <span className="muted small" data-testid="log-count">{shown.length} line{shown.length === 1 ? '' : 's'}{dropped ? `; ${dropped} not shown live (in the saved session)` : ''}</span>
        <button type="button" className="small" onClick={clearLogView}>Clear view</button>
      </div>
      <div ref={scroller} className="log-lines mono" role="log" aria-label="Log lines" aria-live="off" tabIndex={0} onScroll={onScroll}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = shown[item.index]!;
            return (
              <div key={line.seq} className={`log-line ${line.kind}`} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
                <span className="log-tag">{line.kind === 'event' ? line.arch.replace('win32-', '') : line.callId ? `#${numbers.get(line.callId) ?? '?'}` : '—'}</span>
                <span className="log-text" title={line.text}>{line.kind === 'event' ? `· ${line.text}` : line.text}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
