import type { AgentPanelState, AgentView, AgentsStatus } from '../../../../src-main/contract/api-contract.ts';

export const STATE_WORDS: Record<AgentPanelState, string> = {
  'not-started': 'Not started', starting: 'Starting', ready: 'Ready', busy: 'Busy', crashed: 'Crashed', 'breaker-open': 'Breaker open',
};

/** The tone of a state's badge and dot: ok, busy (working), fail, or idle. */
export function stateTone(state: AgentPanelState): 'ok' | 'busy' | 'fail' | 'idle' {
  if (state === 'ready') return 'ok';
  if (state === 'busy' || state === 'starting') return 'busy';
  if (state === 'crashed' || state === 'breaker-open') return 'fail';
  return 'idle';
}

/** 4 s, 2 min 5 s, 1 h 3 min. */
export function uptimeText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function agentUptime(agent: AgentView, status: AgentsStatus): string {
  return agent.startedAt === null ? '—' : uptimeText(status.now - agent.startedAt);
}

/** The app bar's one-line summary for its indicator: the worst state wins. */
export function summary(status: AgentsStatus | null): { text: string; tone: ReturnType<typeof stateTone> } {
  const agents = status?.agents ?? [];
  const order: AgentPanelState[] = ['crashed', 'breaker-open', 'starting', 'busy', 'ready'];
  for (const state of order) {
    const hit = agents.filter((a) => a.panelState === state);
    if (hit.length) return { text: `${hit.map((a) => a.label).join(', ')} ${STATE_WORDS[state].toLowerCase()}`, tone: stateTone(state) };
  }
  return { text: 'none running', tone: 'idle' };
}

/** The last path element, for module lists (full path in the title). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
