// The agents panel's view of the supervisor: per agent its state in the panel's words, pid, runtime,
// how it runs, uptime (from the supervisor's 'start' event), restarts, modules and open breakers;
// and a restart through the supervisor's public API.
import { ApiError } from '../../contract/api-contract.ts';
import type { AgentPanelState, AgentView, AgentsStatus } from '../../contract/agents-contract.ts';
import type { ArchStatus, Supervisor } from '../agent/supervisor.ts';
import { describeExit } from '../agent/agent-process.ts';
import { type AgentArch, AGENT_ARCHES } from '../agent/runtime-locator.ts';

const LABELS: Record<AgentArch, string> = { 'win32-ia32': 'x86', 'win32-x64': 'x64', 'linux-x64': 'native' };
/** The Windows agents always have a panel; the native one (.so files) once it has run. */
const ALWAYS_SHOWN: readonly AgentArch[] = ['win32-ia32', 'win32-x64'];
const RESTART_START_TIMEOUT_MS = 120_000;

interface Started {
  at: number;
  execution: ArchStatus['execution'];
  wineVersion: string | null;
}

export class AgentsBoard {
  private readonly started = new Map<string, Started>();
  private readonly watched = new WeakSet<Supervisor>();

  /** `supervisor`: the session's one, made on first use; `current`: it, or null before first use. */
  constructor(private readonly supervisor: () => Supervisor, private readonly current: () => Supervisor | null, private readonly now: () => number = Date.now) {}

  /** Records start times from the supervisor's events; called once when the session makes its supervisor. */
  watch(supervisor: Supervisor): void {
    if (this.watched.has(supervisor)) return;
    this.watched.add(supervisor);
    supervisor.on('start', (e) => this.started.set(e.arch, { at: this.now(), execution: e.execution, wineVersion: wineVersionOf(e.runtime) }));
    supervisor.on('exit', (e) => this.started.delete(e.arch));
  }

  status(): AgentsStatus {
    const status = this.current()?.status() ?? { agents: [], breakers: [] };
    const openBreakers = status.breakers.filter((b) => b.state === 'open').map((b) => b.dll);
    const byArch = new Map(status.agents.map((a) => [a.arch, a]));
    const arches = AGENT_ARCHES.filter((arch) => ALWAYS_SHOWN.includes(arch) || byArch.has(arch));
    return {
      agents: arches.map((arch) => this.view(arch, byArch.get(arch) ?? null, openBreakers)),
      breakers: status.breakers.map((b) => ({ dll: b.dll, state: b.state, retryAt: b.retryAt })),
      now: this.now(),
    };
  }

  /** Ends the agent and starts a new one with its modules loaded again, then reports the board. */
  async restart(arch: AgentArch): Promise<AgentsStatus> {
    const restarted = await withDeadline(this.supervisor().restart(arch).then((): true => true, (error: Error) => error), RESTART_START_TIMEOUT_MS);
    if (restarted === null) throw new ApiError('refused', `the ${LABELS[arch]} agent was not ready ${RESTART_START_TIMEOUT_MS / 1000} s after the restart; \`thunk doctor\` says how it starts here`);
    if (restarted !== true) throw new ApiError('refused', restarted.message);
    return this.status();
  }

  private view(arch: AgentArch, agent: ArchStatus | null, openBreakers: string[]): AgentView {
    const started = this.started.get(arch) ?? null;
    const mine = openBreakers.filter((dll) => agent?.modules.includes(dll));
    return {
      arch, label: LABELS[arch], state: agent?.state ?? 'stopped', panelState: panelState(agent, mine.length > 0),
      pid: agent?.pid ?? null, runtime: agent?.runtime ?? null, execution: agent?.execution ?? null, how: howItRuns(agent, started),
      startedAt: agent?.state === 'ready' ? started?.at ?? null : null,
      starts: agent?.starts ?? 0, restarts: Math.max(0, (agent?.starts ?? 0) - 1), crashes: agent?.crashes ?? 0, timeouts: agent?.timeouts ?? 0,
      queued: agent?.queued ?? 0, inFlight: agent?.inFlight ?? 0, modules: agent?.modules ?? [], openBreakers: mine,
      lastExit: agent?.lastExit ? describeExit(agent.lastExit) : null,
    };
  }
}

export function panelState(agent: ArchStatus | null, breakerOpen: boolean): AgentPanelState {
  if (!agent) return 'not-started';
  if (breakerOpen) return 'breaker-open';
  if (agent.state === 'starting') return 'starting';
  if (agent.state === 'backoff' || (agent.state === 'stopped' && agent.lastExit?.crashed)) return 'crashed';
  if (agent.state === 'stopped') return 'not-started';
  return agent.inFlight > 0 || agent.queued > 0 ? 'busy' : 'ready';
}

function howItRuns(agent: ArchStatus | null, started: Started | null): string | null {
  const execution = agent?.execution ?? started?.execution ?? null;
  const wine = started?.wineVersion ? `Wine ${started.wineVersion}` : 'Wine';
  if (execution === 'native') return 'native';
  if (execution === 'wine') return `under ${wine}`;
  if (execution === 'wine-emulated') return `under ${wine}, x86 emulated (qemu)`;
  return null;
}

function wineVersionOf(runtime: string): string | null {
  return /under wine-([\w.]+)/i.exec(runtime)?.[1] ?? null;
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
