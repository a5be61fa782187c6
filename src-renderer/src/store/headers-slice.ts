import type { StateCreator } from 'zustand';
import type { HeadersResult } from '../../../src-main/contract/api-contract.ts';
import type { Loadable } from './exports-slice.ts';

/** The headers tab's state: the parsed headers per open file. */
export interface HeadersSlice {
  headersByFile: Record<string, Loadable<HeadersResult>>;
}

export const headersSlice: StateCreator<HeadersSlice> = () => ({ headersByFile: {} });
