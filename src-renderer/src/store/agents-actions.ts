import { ApiError } from '../../../src-main/contract/api-contract.ts';
import type { AgentsStatus, WindowsTrustView } from '../../../src-main/contract/api-contract.ts';
import type { ClientApi } from '../api/client-api.ts';
import { appStore } from './store.ts';

let api: ClientApi | null = null;
let poll: ReturnType<typeof setInterval> | null = null;
const POLL_MS = 1000;

const message = (error: unknown): string => (error instanceof ApiError || error instanceof Error ? error.message : String(error));

/** Called once from connect(): agent events refresh the panel and the app bar's indicator. */
export function connectAgents(client: ClientApi): void {
  api = client;
  for (const name of ['agent.state', 'agent.crash', 'breaker.change'] as const) client.on(name, () => void refreshAgents());
}

export async function refreshAgents(): Promise<void> {
  if (!api) return;
  try {
    appStore.setState({ agents: await api.request('agents.status', {}), agentsError: null });
  } catch (error) {
    appStore.setState({ agentsError: message(error) });
  }
}

/** The drawer polls while open: uptime, busy and queued change without an event. */
export function setAgentsOpen(open: boolean): void {
  appStore.setState({ agentsOpen: open });
  if (poll) clearInterval(poll);
  poll = open ? setInterval(() => void refreshAgents(), POLL_MS) : null;
  if (open) void refreshAgents();
}

export async function restartAgent(arch: AgentsStatus['agents'][number]['arch']): Promise<void> {
  if (!api) return;
  appStore.setState({ restarting: arch, agentsError: null });
  try {
    appStore.setState({ agents: await api.request('agents.restart', { arch: arch as 'win32-ia32' | 'win32-x64' | 'linux-x64' }) });
  } catch (error) {
    appStore.setState({ agentsError: message(error) });
  } finally {
    appStore.setState({ restarting: null });
  }
}

/** Loads the shown file in the agent of its bitness; the updated report replaces it in the open document. */
export async function askRealLoader(file: string): Promise<void> {
  const { opened } = appStore.getState();
  if (!api || !opened) return;
  const setCheck = (asking: boolean, error: string | null): void => appStore.setState((s) => ({ loaderChecks: { ...s.loaderChecks, [file]: { asking, error } } }));
  setCheck(true, null);
  try {
    const report = await api.request('loader.check', { id: opened.id, file });
    appStore.setState((s) => {
      if (s.opened?.id !== opened.id) return {};
      const results = s.opened.document.results.map((r) => (r.file === file ? report : r));
      return { opened: { ...s.opened, document: { ...s.opened.document, results } } };
    });
    setCheck(false, null);
  } catch (error) {
    setCheck(false, message(error));
  }
  void refreshAgents();
}

/** WinVerifyTrust on one file of the open document, through a Windows agent (under Wine: Wine's answer). */
export async function askWindowsTrust(file: string): Promise<WindowsTrustView> {
  const { opened } = appStore.getState();
  if (!api || !opened) throw new ApiError('not-found', 'open a file first');
  return api.request('signature.askWindows', { id: opened.id, file });
}
