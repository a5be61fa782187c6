import { useShallow } from 'zustand/react/shallow';
import { appStore, type AppState } from './store.ts';
import { fileKey, type ExportsSlice, type Loadable } from './exports-slice.ts';
import type { HeadersSlice } from './headers-slice.ts';

export const useExportsLayout = (): ExportsSlice['exportsLayout'] => appStore((s) => s.exportsLayout);
/** The search of this open document: another document's text is not carried over. */
export const useExportsSearch = (documentId: string): { text: string; regex: boolean } => appStore(useShallow((s: AppState) => ({
  text: s.exportsSearch.documentId === documentId ? s.exportsSearch.text : '', regex: s.exportsSearch.regex,
})));
export const useExportsNotice = (): ExportsSlice['exportsNotice'] => appStore((s) => s.exportsNotice);
export const useExportsOf = (documentId: string, file: string): ExportsSlice['exportsByFile'][string] | undefined => appStore((s) => s.exportsByFile[fileKey(documentId, file)]);
export const useHeadersOf = (documentId: string, file: string): HeadersSlice['headersByFile'][string] | undefined => appStore((s) => s.headersByFile[fileKey(documentId, file)]);

export type { Loadable };
