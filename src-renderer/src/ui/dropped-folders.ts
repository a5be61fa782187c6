// A folder dropped on the browser host's page: the page is never told its path, but it can read
// the folder's files through the drop's file-system entries and upload the PE files among them,
// keeping their places, for the host to triage as a folder.
import { MAX_DROPPED_FOLDER_DEPTH, MAX_DROPPED_FOLDER_ENTRIES, isPeFileName } from '../../../src-main/contract/api-contract.ts';

/** The parts of the browser's FileSystemEntry types used here (narrow, so tests can make them). */
export interface DroppedEntry {
  isDirectory: boolean;
  name: string;
  /** From the dropped item itself: "/plugins/sub/a.dll". */
  fullPath: string;
}
export interface DroppedFileEntry extends DroppedEntry {
  file(success: (file: File) => void, failure: (error: unknown) => void): void;
}
export interface DroppedFolderEntry extends DroppedEntry {
  createReader(): { readEntries(success: (entries: DroppedEntry[]) => void, failure: (error: unknown) => void): void };
}

/** What a drop's items offer: their file-system entry. */
export interface DroppedItem {
  kind: string;
  webkitGetAsEntry(): DroppedEntry | null;
}

export class DroppedFolderError extends Error {}

export interface FolderFile {
  file: File;
  /** From the dropped folder itself, e.g. "plugins/sub/a.dll". */
  relativePath: string;
}

/** The dropped items that are folders. */
export function droppedFolders(items: ArrayLike<DroppedItem>): DroppedFolderEntry[] {
  const folders: DroppedFolderEntry[] = [];
  for (let i = 0; i < items.length; i++) {
    const entry = items[i]!.kind === 'file' ? items[i]!.webkitGetAsEntry() : null;
    if (entry?.isDirectory) folders.push(entry as DroppedFolderEntry);
  }
  return folders;
}

/** A reader gives a folder's entries in batches (100 in Chromium) until an empty one. */
async function entriesOf(folder: DroppedFolderEntry): Promise<DroppedEntry[]> {
  const reader = folder.createReader();
  const all: DroppedEntry[] = [];
  for (;;) {
    const batch = await new Promise<DroppedEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

const fileOf = (entry: DroppedFileEntry): Promise<File> => new Promise((resolve, reject) => entry.file(resolve, reject));

/** The PE files in a dropped folder and its subfolders, each with its path from the folder, in name order. */
export async function peFilesOf(folder: DroppedFolderEntry): Promise<FolderFile[]> {
  const found: FolderFile[] = [];
  let read = 0;
  const walk = async (dir: DroppedFolderEntry, depth: number): Promise<void> => {
    if (depth > MAX_DROPPED_FOLDER_DEPTH) throw new DroppedFolderError(`${folder.name} is more than ${MAX_DROPPED_FOLDER_DEPTH} folders deep: type its path instead`);
    const entries = (await entriesOf(dir)).sort((a, b) => a.name.localeCompare(b.name));
    read += entries.length;
    if (read > MAX_DROPPED_FOLDER_ENTRIES) throw new DroppedFolderError(`${folder.name} holds more than ${MAX_DROPPED_FOLDER_ENTRIES.toLocaleString('en')} files and folders: type its path instead, so the host reads it where it is`);
    for (const entry of entries) {
      if (entry.isDirectory) await walk(entry as DroppedFolderEntry, depth + 1);
      else if (isPeFileName(entry.name)) found.push({ file: await fileOf(entry as DroppedFileEntry), relativePath: entry.fullPath.replace(/^\/+/, '') });
    }
  };
  await walk(folder, 0);
  return found;
}
