import type { ClientApi } from './client-api.ts';

/** What the preload exposes as window.thunk (src-main/electron-main/preload.ts builds it from the contract). */
export type PreloadApi = Omit<ClientApi, 'host' | 'pathForDroppedFile'> & { pathForFile(file: File): string };

declare global {
  interface Window {
    thunk?: PreloadApi;
  }
}

export function createElectronClient(api: PreloadApi): ClientApi {
  return {
    host: 'electron',
    request: (name, args) => api.request(name, args),
    on: (name, listener) => api.on(name, listener),
    pathForDroppedFile: async (file) => api.pathForFile(file),
  };
}
