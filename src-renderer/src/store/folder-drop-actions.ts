// A folder dropped on the browser host's page: its PE files uploaded, each in its place, into a
// folder of the session's own, which is then triaged as a folder. The desktop app never comes
// here: it opens a dropped folder by its path.
import { PE_EXTENSIONS } from '../../../src-main/contract/api-contract.ts';
import { DroppedFolderError, type DroppedFolderEntry, peFilesOf } from '../ui/dropped-folders.ts';
import { apiClient, openPaths, shown, startWork } from './actions.ts';
import { appStore } from './store.ts';

/** A few uploads at once: faster than one by one, without flooding the page's connection. */
const FOLDER_UPLOADS_AT_ONCE = 4;

/** Stops, without a word, when the user cancels or starts other work meanwhile. */
export async function openDroppedFolders(folders: DroppedFolderEntry[]): Promise<void> {
  const current = startWork();
  appStore.setState({ phase: 'working', jobId: null, progress: { done: 0, total: 0, file: `reading ${folders[0]?.name ?? 'the folder'}` }, error: null });
  try {
    const copies: string[] = [];
    for (const folder of folders) {
      const copy = await uploadFolder(folder, current);
      if (!current()) return;
      copies.push(copy);
    }
    await openPaths(copies);
  } catch (error) {
    if (!current()) return;
    const unreadable = error instanceof DroppedFolderError;
    appStore.setState({ phase: 'error', error: unreadable ? { title: 'Thunk could not take that folder', message: error.message, fix: 'Type the folder\'s path in the box: the browser host reads this computer\'s files where they are.' } : shown(error) });
  }
}

/** Uploads a dropped folder's PE files into one batch; returns the host's copy of the folder. */
async function uploadFolder(folder: DroppedFolderEntry, current: () => boolean): Promise<string> {
  const files = await peFilesOf(folder);
  if (files.length === 0) throw new DroppedFolderError(`${folder.name} holds no PE files (${[...PE_EXTENSIONS].join(', ')}), in it or in its subfolders`);
  const batch = crypto.randomUUID();
  let copy = '';
  let next = 0;
  let done = 0;
  const uploadNext = async (): Promise<void> => {
    while (next < files.length && current()) {
      const { file, relativePath } = files[next++]!;
      copy = (await apiClient().uploadToFolder(file, relativePath, batch)).folder;
      if (current()) appStore.setState({ progress: { done: ++done, total: files.length, file: `uploaded ${relativePath}` } });
    }
  };
  await Promise.all(Array.from({ length: FOLDER_UPLOADS_AT_ONCE }, uploadNext));
  return copy;
}
