import type { WebSocket } from 'ws';
import { settle } from '../contract/api-contract.ts';
import { UNREADABLE_FRAME_CLOSE, socketRequestSchema, type SocketReply, type SocketRequest } from '../contract/browser-socket-contract.ts';

/** Runs a request named at the edge; the service validates the name and arguments. */
export type Dispatch = (name: string, args: unknown) => Promise<unknown>;

/**
 * Answers the requests a page sends on its (already authenticated) socket, each with a reply
 * carrying its id. A frame that is not a request closes the socket saying why: it can only come
 * from a page that does not match this server.
 */
export function serveSocketRequests(socket: WebSocket, dispatch: Dispatch): void {
  socket.on('message', (data, isBinary) => {
    const request = readRequest(isBinary ? null : data.toString());
    if (typeof request === 'string') {
      socket.close(UNREADABLE_FRAME_CLOSE, request);
      return;
    }
    void settle(() => dispatch(request.name, request.args)).then((envelope) => {
      if (socket.readyState !== socket.OPEN) return;
      const reply: SocketReply = { type: 'reply', id: request.id, ...envelope };
      socket.send(JSON.stringify(reply));
    });
  });
}

/** The request in a text frame, or why it is not one (short: a close reason fits in 123 bytes). */
function readRequest(text: string | null): SocketRequest | string {
  if (text === null) return 'binary frames are not requests';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'a frame that is not JSON';
  }
  const checked = socketRequestSchema.safeParse(parsed);
  if (!checked.success) return `not a request: ${checked.error.issues[0]?.path.join('.') || 'frame'} ${checked.error.issues[0]?.message}`.slice(0, 120);
  return checked.data;
}
