import type { IpcMainInvokeEvent } from 'electron';
import { isAppUrl } from './app-protocol-paths.ts';

/** A message is trusted when it comes from a window we trust, from its main frame, showing app:// content. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, trusted: ReadonlySet<number>, senderId: number): boolean {
  const frame = event.senderFrame;
  return trusted.has(senderId) && frame !== null && frame.parent === null && isAppUrl(frame.url);
}
