import { ipcMain, type WebContents } from 'electron';
import { REQUESTS, settle, type Envelope, type RequestName } from '../contract/api-contract.ts';
import type { ServiceEvent, SessionService } from '../node-services/session/session-service.ts';
import { EVENT_CHANNEL, requestChannel } from './ipc-channels.ts';
import { isTrustedSender } from './ipc-sender-check.ts';

/**
 * Registers one handler per request of the contract; each drops messages from untrusted senders
 * and validates the arguments in the service. Events go only to trusted windows.
 */
export function registerContractRouter(service: SessionService, extra: Partial<Record<RequestName, (args: unknown, sender: WebContents) => Promise<unknown>>> = {}) {
  const trusted = new Set<number>();
  const windows = new Map<number, WebContents>();
  for (const name of Object.keys(REQUESTS) as RequestName[]) {
    ipcMain.handle(requestChannel(name), async (event, args: unknown): Promise<Envelope> => {
      if (!isTrustedSender(event, trusted, event.sender.id)) return { ok: false, error: { code: 'refused', message: 'untrusted sender' } };
      const override = extra[name];
      return settle(() => (override ? override(args, event.sender) : service.dispatch(name, args)));
    });
  }
  const forward = (event: ServiceEvent): void => {
    for (const contents of windows.values()) if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  };
  service.on('event', forward);
  return {
    trust(contents: WebContents): void {
      trusted.add(contents.id);
      windows.set(contents.id, contents);
      contents.once('destroyed', () => { trusted.delete(contents.id); windows.delete(contents.id); });
    },
    /** Pushes an event the service does not make (app.open) to every trusted window. */
    push(event: ServiceEvent): void {
      forward(event);
    },
    dispose(): void {
      service.off('event', forward);
      for (const name of Object.keys(REQUESTS) as RequestName[]) ipcMain.removeHandler(requestChannel(name));
    },
  };
}
