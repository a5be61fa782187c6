// What the supervisor did after a crash, in words: shared by the crash card and its text copy.
import type { CallRecord } from '../../../../src-main/contract/api-contract.ts';

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** The agent's state when the crash was answered: the restart it had begun, or why none. */
function agentWords(state: string, restarts: number): string {
  // Counted per agent (per architecture): the x86 and x64 agents restart apart.
  const nth = `its restart ${restarts} in this session`;
  if (state === 'starting') return `a new agent is starting (${nth})`;
  if (state === 'backoff') return `a new agent starts after a pause, as it failed several times in a row (${nth})`;
  if (state === 'ready' || state === 'busy') return `a new agent is running (${nth})`;
  return 'no new agent yet: one starts with the next call';
}

export interface SupervisorWords {
  agent: string;
  modules: string;
  breaker: string;
  breakerOpen: boolean;
}

export function supervisorWords(call: CallRecord): SupervisorWords | null {
  const crash = call.crash;
  if (!crash) return null;
  const sv = crash.supervisor;
  const restored = sv.modulesRestored.map(fileName);
  const crashed = fileName(call.dll);
  const notRestored = restored.some((m) => m.toLowerCase() === crashed.toLowerCase()) ? '' : `${crashed} is not loaded again until the next call to it (it crashed)`;
  const modules = [notRestored, restored.length ? `restored in the new agent: ${restored.join(', ')}` : ''].filter(Boolean).join('; ') || 'none to restore';
  const open = sv.breaker === 'open';
  const failures = `${sv.breakerFailures} recent failure${sv.breakerFailures === 1 ? '' : 's'}`;
  return {
    agent: `died (${crash.exit}); ${agentWords(sv.agentState, sv.restarts)}`,
    modules,
    breaker: `${sv.breaker} (${failures})${open ? ': calls to this DLL are refused until it closes or you reset it' : ''}`,
    breakerOpen: open,
  };
}
