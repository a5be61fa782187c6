// The preload: exposes exactly one object, window.thunk, built from the contract. Runs sandboxed
// (bundled to CommonJS by scripts/build.mjs), so it imports nothing but Electron and the contract.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENTS, isEventName, isRequestName, type Envelope, type EventName, type RequestName } from '../contract/api-contract.ts';
import { EVENT_CHANNEL, requestChannel } from './ipc-channels.ts';

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, message: { name: string; payload: unknown }) => {
  if (!isEventName(message.name)) return;
  const parsed = EVENTS[message.name].safeParse(message.payload);
  if (parsed.success) for (const listener of listeners.get(message.name) ?? []) listener(parsed.data);
});

const api = {
  /** Resolves to the request's envelope; the renderer's client turns errors into ApiErrors. */
  invoke(name: RequestName, args: unknown): Promise<Envelope> {
    if (!isRequestName(name)) return Promise.resolve({ ok: false, error: { code: 'unknown-request', message: `unknown request "${String(name)}"` } });
    return ipcRenderer.invoke(requestChannel(name), args) as Promise<Envelope>;
  },
  on(name: EventName, listener: Listener): () => void {
    if (!isEventName(name)) throw new Error(`unknown event "${String(name)}"`);
    const set = listeners.get(name) ?? new Set<Listener>();
    listeners.set(name, set);
    set.add(listener);
    return () => { set.delete(listener); };
  },
  /** The path of a dropped or picked file (Electron 32+: File.path is gone). */
  pathForFile(file: Parameters<typeof webUtils.getPathForFile>[0]): string {
    return webUtils.getPathForFile(file);
  },
};

export type PreloadApi = typeof api;

contextBridge.exposeInMainWorld('thunk', api);
