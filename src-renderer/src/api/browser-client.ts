import { ApiError, BULKY_REQUESTS, EVENTS, REQUESTS, isEventName, type EventListener, type EventName, type RequestArgs, type RequestName, type RequestResult } from '../../../src-main/contract/api-contract.ts';
import type { ClientApi } from './client-api.ts';
import { createSocketChannel } from './socket-channel.ts';

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

/** The contract over `thunk serve`'s WebSocket (requests and events), with HTTP for uploads, bulky answers and requests the socket cannot carry. */
export function createBrowserClient(origin: string, token: string): ClientApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const channel = createSocketChannel(origin, token, (name, payload) => {
    if (!isEventName(name)) return;
    const parsed = EVENTS[name].safeParse(payload);
    if (parsed.success) for (const listener of listeners.get(name) ?? []) listener(parsed.data);
  });
  channel.open();

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

  const send = async (name: RequestName, args: unknown): Promise<unknown> => {
    const overSocket = BULKY_REQUESTS.has(name) ? null : channel.request(name, args);
    if (!overSocket) return post(`/api/request/${name}`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
    const reply = await overSocket;
    if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
    return reply.result;
  };

  return {
    host: 'browser',
    async request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResult<N>> {
      const result = await send(name, args);
      const checked = REQUESTS[name].result.safeParse(result);
      if (!checked.success) throw new ApiError('internal', `The server's answer to ${name} does not match this UI (${checked.error.issues[0]?.message}). Reload the page.`);
      return checked.data as RequestResult<N>;
    },
    on<N extends EventName>(name: N, listener: EventListener<N>): () => void {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    async pathForDroppedFile(file: File): Promise<string> {
      const result = (await post(`/api/upload?name=${encodeURIComponent(file.name)}`, { body: file, headers: { 'content-type': 'application/octet-stream' } })) as { path: string };
      return result.path;
    },
    async uploadToFolder(file: File, relativePath: string, batch: string): Promise<{ path: string; folder: string }> {
      const query = `name=${encodeURIComponent(relativePath)}&folder=${encodeURIComponent(batch)}`;
      return (await post(`/api/upload?${query}`, { body: file, headers: { 'content-type': 'application/octet-stream' } })) as { path: string; folder: string };
    },
  };
}
