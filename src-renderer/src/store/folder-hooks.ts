import { useShallow } from 'zustand/react/shallow';
import { appStore } from './store.ts';
import type { CompareState, FolderState, FolderView } from './folder-slice.ts';

export const useFolder = (): FolderState | null => appStore((s) => s.folder);
export const useFolderView = (): FolderView => appStore((s) => s.folderView);
export const useFileFromFolder = (): boolean => appStore((s) => s.fileFromFolder);
export const useCompare = (): CompareState => appStore(useShallow((s) => s.compare));
