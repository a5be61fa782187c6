import type { RequestName } from '../contract/api-contract.ts';

/** One IPC channel per request, named after it; all events travel on one channel. */
export const requestChannel = (name: RequestName): string => `thunk:request:${name}`;
export const EVENT_CHANNEL = 'thunk:event';
