import { ApiError, EVENTS, REQUESTS, isEventName, type EventListener, type EventName, type RequestArgs, type RequestName, type RequestResult } from '../../../src-main/contract/api-contract.ts';
import type { ClientApi } from './client-api.ts';

const TOKEN_KEY = 'thunk-token';

/** The launch token: from the URL `thunk serve` printed (then hidden from the address bar), or this tab's memory. */
export function takeToken(location: Location, storage: Storage, history: History): string {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}${location.hash}`);
  }
  return fromUrl ?? storage.getItem(TOKEN_KEY) ?? '';
}

async function errorFrom(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code: string; message: string } };
    if (body.error) return new ApiError(body.error.code, body.error.message);
  } catch {
    // not JSON: fall through to the status
  }
  if (response.status === 401) return new ApiError('refused', 'This page lost its token. Open the URL that `thunk serve` printed.');
  return new ApiError('internal', `The Thunk server answered ${response.status}.`);
}

/** The contract over HTTP (requests) and a WebSocket (events), for `thunk serve`. */
export function createBrowserClient(origin: string, token: string): ClientApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retryMs = 250;

  const connect = (): void => {
    const url = `${origin.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(token)}`;
    socket = new WebSocket(url);
    socket.onopen = () => { retryMs = 250; };
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as { name: string; payload: unknown };
      if (!isEventName(event.name)) return;
      const parsed = EVENTS[event.name].safeParse(event.payload);
      if (parsed.success) for (const listener of listeners.get(event.name) ?? []) listener(parsed.data);
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, (retryMs = Math.min(retryMs * 2, 5000)));
    };
  };

  const post = async (path: string, init: RequestInit): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(`${origin}${path}`, { ...init, method: 'POST', headers: { 'x-thunk-token': token, ...init.headers } });
    } catch {
      throw new ApiError('offline', 'The Thunk server does not answer. Is `thunk serve` still running? Start it again and open the new URL.');
    }
    if (!response.ok) throw await errorFrom(response);
    return ((await response.json()) as { result: unknown }).result;
  };

  return {
    host: 'browser',
    async request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResult<N>> {
      const result = await post(`/api/request/${name}`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
      const checked = REQUESTS[name].result.safeParse(result);
      if (!checked.success) throw new ApiError('internal', `The server's answer to ${name} does not match this UI (${checked.error.issues[0]?.message}). Reload the page.`);
      return checked.data as RequestResult<N>;
    },
    on<N extends EventName>(name: N, listener: EventListener<N>): () => void {
      if (!socket) connect();
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    async pathForDroppedFile(file: File): Promise<string> {
      const result = (await post(`/api/upload?name=${encodeURIComponent(file.name)}`, { body: file, headers: { 'content-type': 'application/octet-stream' } })) as { path: string };
      return result.path;
    },
  };
}
