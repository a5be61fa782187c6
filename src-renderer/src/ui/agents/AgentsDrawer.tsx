import { useEffect, useRef, type ReactNode } from 'react';
import type { AgentView, AgentsStatus } from '../../../../src-main/contract/api-contract.ts';
import { useAgents } from '../../store/agents-hooks.ts';
import { restartAgent, setAgentsOpen } from '../../store/agents-actions.ts';
import { STATE_WORDS, agentUptime, baseName, stateTone, summary } from './agent-words.ts';
import './agents.css';

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return <div className="agent-fact"><dt>{term}</dt><dd>{children}</dd></div>;
}

function AgentCard({ agent, status, restarting }: { agent: AgentView; status: AgentsStatus; restarting: string | null }) {
  const tone = stateTone(agent.panelState);
  const titleId = `agent-${agent.label}-title`;
  const action = agent.pid === null ? `Start ${agent.label} agent` : `Restart ${agent.label} agent`;
  return (
    <article className={`agent-card ${tone}`} aria-labelledby={titleId} data-testid={`agent-${agent.label}`}>
      <div className="agent-head">
        <h3 id={titleId}>{agent.label} agent</h3>
        <span className={`agent-state ${tone}`} aria-live="polite"><span className={`live-dot ${tone}`} aria-hidden="true" />{STATE_WORDS[agent.panelState]}</span>
      </div>
      <dl className="agent-facts" aria-label={`${agent.label} agent facts`}>
        <Fact term="PID"><span className="mono">{agent.pid ?? '—'}</span></Fact>
        <Fact term="How it runs">{agent.how ?? '—'}</Fact>
        <Fact term="Runtime"><span className="mono small">{agent.runtime ?? '—'}</span></Fact>
        <Fact term="Uptime">{agentUptime(agent, status)}</Fact>
        <Fact term="Restarts">{agent.restarts}{agent.crashes > 0 ? `, ${agent.crashes} after a crash` : ''}{agent.timeouts > 0 ? `, ${agent.timeouts} after a timeout` : ''}</Fact>
        {agent.inFlight + agent.queued > 0 && <Fact term="Work">{agent.inFlight} running, {agent.queued} queued</Fact>}
        <Fact term="Loaded modules">
          {agent.modules.length === 0 ? <span className="muted">none</span> : (
            <ul className="agent-modules">{agent.modules.map((m) => <li key={m} title={m}><code>{baseName(m)}</code></li>)}</ul>
          )}
        </Fact>
        {agent.openBreakers.length > 0 && <Fact term="Breaker open">{agent.openBreakers.map(baseName).join(', ')}: requests refused for a while</Fact>}
        {agent.lastExit && <Fact term="Last exit"><span className="small">{agent.lastExit}</span></Fact>}
      </dl>
      {/* aria-disabled, not disabled: a disabled button drops the keyboard focus while the agent restarts. */}
      <button type="button" onClick={() => { if (restarting === null) void restartAgent(agent.arch); }} aria-disabled={restarting !== null}>
        {restarting === agent.arch ? `${agent.pid === null ? 'Starting' : 'Restarting'} ${agent.label} agent…` : action}
      </button>
    </article>
  );
}

/** The app bar's Agents button with its live indicator, and the session-wide panel it opens. */
export function AgentsDrawer() {
  const { agents, agentsOpen, restarting, agentsError } = useAgents();
  const toggle = useRef<HTMLButtonElement>(null);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (agentsOpen) title.current?.focus();
  }, [agentsOpen]);
  const close = (): void => {
    setAgentsOpen(false);
    toggle.current?.focus();
  };
  useEffect(() => {
    if (!agentsOpen) return undefined;
    // In the capture phase, and stopped there: the Escape that closes the panel must not also
    // reach the views' own Escape (leave the file, back to the start screen).
    const onKey = (event: globalThis.KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      close();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [agentsOpen]);
  const shown = summary(agents);
  return (
    <>
      <button
        ref={toggle} type="button" className="agents-toggle" aria-expanded={agentsOpen} aria-controls="agents-drawer"
        onClick={() => (agentsOpen ? close() : setAgentsOpen(true))}
      >
        <span className={`live-dot ${shown.tone}`} aria-hidden="true" />Agents<span className="agents-summary">{shown.text}</span>
      </button>
      {agentsOpen && (
        <aside id="agents-drawer" className="agents-drawer" aria-labelledby="agents-title">
          <div className="agents-drawer-head">
            <h2 id="agents-title" ref={title} tabIndex={-1}>Agents</h2>
            <button type="button" className="agents-close" aria-label="Close the agents panel" onClick={close}>Close</button>
          </div>
          <p className="muted small">Helper processes that load and call DLLs for real, one per bitness, shared by the whole session.</p>
          {agentsError && <p role="alert" className="agents-error">{agentsError}</p>}
          {agents === null ? <p className="muted">Reading the agents' status…</p> : agents.agents.map((agent) => (
            <AgentCard key={agent.arch} agent={agent} status={agents} restarting={restarting} />
          ))}
        </aside>
      )}
    </>
  );
}
