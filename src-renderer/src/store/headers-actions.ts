import { ApiError } from '../../../src-main/contract/api-contract.ts';
import { apiClient } from './actions.ts';
import { fileKey, keepRecentFiles } from './exports-slice.ts';
import type { HeadersSlice } from './headers-slice.ts';
import { appStore } from './store.ts';

/** Fetches one file's headers once per open document. */
export async function loadHeaders(documentId: string, file: string): Promise<void> {
  const key = fileKey(documentId, file);
  if (appStore.getState().headersByFile[key]) return;
  const set = (value: HeadersSlice['headersByFile'][string]): void => appStore.setState((s) => ({ headersByFile: keepRecentFiles(s.headersByFile, key, value) }));
  set({ state: 'loading' });
  try {
    set({ state: 'ready', value: await apiClient().request('headers.get', { id: documentId, file }) });
  } catch (error) {
    set({ state: 'failed', message: error instanceof ApiError ? error.message : String(error) });
  }
}
