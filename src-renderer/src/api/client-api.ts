import type { ThunkApi } from '../../../src-main/contract/api-contract.ts';

/** The contract plus what only the host can do with a dropped File: make it a path the service can open. */
export interface ClientApi extends ThunkApi {
  readonly host: 'browser' | 'electron';
  /** Browser: uploads the file into the session folder. Electron: the file's own path. */
  pathForDroppedFile(file: File): Promise<string>;
}
