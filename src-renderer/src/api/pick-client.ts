import type { ClientApi } from './client-api.ts';
import { createBrowserClient, takeToken } from './browser-client.ts';
import { createElectronClient } from './electron-client.ts';

/** Electron's preload object when there is one, else the browser host's HTTP client. */
export function pickClient(): ClientApi {
  if (window.thunk) return createElectronClient(window.thunk);
  return createBrowserClient(window.location.origin, takeToken(window.location, window.sessionStorage, window.history));
}
