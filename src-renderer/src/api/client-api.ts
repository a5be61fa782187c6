import type { ThunkApi } from '../../../src-main/contract/api-contract.ts';

/** The contract plus what only the host can do with a dropped File: make it a path the service can open. */
export interface ClientApi extends ThunkApi {
  readonly host: 'browser' | 'electron';
  /** Browser: uploads the file into the session folder. Electron: the file's own path (a dropped folder's too). */
  pathForDroppedFile(file: File): Promise<string>;
  /**
   * Browser only: uploads one file of a dropped folder to its place (`relativePath`, from the
   * dropped folder itself) in the batch's folder; returns the folder's copy to open. Electron opens
   * a dropped folder by its path and refuses this.
   */
  uploadToFolder(file: File, relativePath: string, batch: string): Promise<{ path: string; folder: string }>;
}
