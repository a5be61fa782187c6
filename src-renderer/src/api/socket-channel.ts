import { ApiError, SOCKET_PATH, SOCKET_REQUEST_MAX_BYTES, socketFrameSchema, type SocketReply } from '../../../src-main/contract/api-contract.ts';

interface Pending {
  name: string;
  resolve(reply: SocketReply): void;
  reject(error: ApiError): void;
}

/** The browser host's socket as the client sees it: requests while it is open, and every event. */
export interface SocketChannel {
  /** Sends a request if the socket is open and the request small enough; null when it must go by HTTP. */
  request(name: string, args: unknown): Promise<SocketReply> | null;
  isOpen(): boolean;
  /** Starts the socket (once); events arrive through the callback given at creation. */
  open(): void;
  /** Closes the socket for good (tests; a page keeps its socket while it lives). */
  close(): void;
}

const encoder = new TextEncoder();

function fitsInFrame(text: string): boolean {
  // A character is at most 3 bytes in UTF-8: only long texts need counting.
  return text.length * 3 <= SOCKET_REQUEST_MAX_BYTES || encoder.encode(text).length <= SOCKET_REQUEST_MAX_BYTES;
}

/**
 * One WebSocket to `thunk serve`, reopened when it drops. A request in flight when it drops is
 * refused, never sent again: a DLL call has side effects, and it may have run.
 */
export function createSocketChannel(
  origin: string,
  token: string,
  onEvent: (name: string, payload: unknown) => void,
  openSocket: (url: string) => WebSocket = (url) => new WebSocket(url),
): SocketChannel {
  const pending = new Map<number, Pending>();
  let socket: WebSocket | null = null;
  let nextId = 0;
  let retryMs = 250;
  let closed = false;

  const receive = (text: string): void => {
    const frame = socketFrameSchema.safeParse(JSON.parse(text));
    if (!frame.success) return;
    if (frame.data.type === 'event') return onEvent(frame.data.name, frame.data.payload);
    const waiting = pending.get(frame.data.id);
    pending.delete(frame.data.id);
    waiting?.resolve(frame.data);
  };

  const dropped = (reason: string): void => {
    for (const { name, reject } of pending.values()) {
      reject(new ApiError('offline', `The connection to the Thunk server closed before it answered ${name}${reason ? ` (${reason})` : ''}. It may have run: Thunk does not send it again. Reload the page to see the session as the server has it.`));
    }
    pending.clear();
  };

  const connect = (): void => {
    const opened = openSocket(`${origin.replace(/^http/, 'ws')}${SOCKET_PATH}?token=${encodeURIComponent(token)}`);
    socket = opened;
    opened.onopen = () => { retryMs = 250; };
    opened.onmessage = (message) => receive(String(message.data));
    opened.onclose = (event) => {
      socket = null;
      dropped(event.reason);
      if (!closed) setTimeout(connect, (retryMs = Math.min(retryMs * 2, 5000)));
    };
  };

  return {
    isOpen: () => socket !== null && socket.readyState === socket.OPEN,
    open: () => { if (!socket && !closed) connect(); },
    close: () => {
      closed = true;
      socket?.close();
    },
    request(name, args) {
      if (!socket || socket.readyState !== socket.OPEN) return null;
      const id = nextId++;
      const text = JSON.stringify({ type: 'request', id, name, args });
      if (!fitsInFrame(text)) return null;
      const live = socket;
      return new Promise<SocketReply>((resolve, reject) => {
        pending.set(id, { name, resolve, reject });
        live.send(text);
      });
    },
  };
}
