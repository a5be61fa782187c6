import { ApiError, REQUESTS, type Envelope, type EventListener, type EventName, type RequestName } from '../../../src-main/contract/api-contract.ts';
import type { ClientApi } from './client-api.ts';

/** What the preload exposes as window.thunk (src-main/electron-main/preload.ts builds it from the contract). */
export interface PreloadApi {
  invoke(name: RequestName, args: unknown): Promise<Envelope>;
  on(name: EventName, listener: (payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    thunk?: PreloadApi;
  }
}

/** The contract over Electron's IPC, through the preload's one object. */
export function createElectronClient(api: PreloadApi): ClientApi {
  return {
    host: 'electron',
    request: async (name, args) => {
      const envelope = await api.invoke(name, args);
      if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message);
      const checked = REQUESTS[name].result.safeParse(envelope.result);
      if (!checked.success) throw new ApiError('internal', `The app's answer to ${name} does not match this window (${checked.error.issues[0]?.message}).`);
      return checked.data as never;
    },
    on: <N extends EventName>(name: N, listener: EventListener<N>) => api.on(name, listener as (payload: unknown) => void),
    pathForDroppedFile: async (file) => api.pathForFile(file),
    uploadToFolder: async () => {
      throw new ApiError('unsupported', 'the desktop app opens a dropped folder where it is, by its path');
    },
  };
}
