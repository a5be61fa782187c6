import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { ApiError, SOCKET_REQUEST_MAX_BYTES, type SocketFrame } from '../../../src-main/contract/api-contract.ts';
import { serveSocketRequests, type Dispatch } from '../../../src-main/browser-host/socket-requests.ts';
import { createSocketChannel } from './socket-channel.ts';

// The page's side of `thunk serve`'s socket, run in Node with the ws package's WebSocket in place of
// the browser's (Node 20 has none), sending the Origin a page of that server sends.
const nodeSocket = (origin: string) => (url: string): WebSocket => new NodeWebSocket(url, { origin }) as unknown as WebSocket;

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), `${what} never happened`);
};

/** serveSocketRequests (the browser host's own) in front of a stand-in service. */
async function standInServer(dispatch: Dispatch): Promise<{ origin: string; connections: NodeWebSocket[]; push(frame: SocketFrame): void; close(): Promise<void> }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  const connections: NodeWebSocket[] = [];
  server.on('connection', (ws) => { connections.push(ws); serveSocketRequests(ws, dispatch); });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    push: (frame) => { for (const ws of connections) ws.send(JSON.stringify(frame)); },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('requests go over the socket once it is open (by HTTP before, or when too big), and events arrive', async () => {
  // The real browser host and service answer through the socket in e2e/browser-host-security.spec.ts.
  const server = await standInServer(async (name, args) => {
    if (name === 'refuse') throw new ApiError('bad-request', 'dll: Required');
    return { name, args };
  });
  const events: [string, unknown][] = [];
  const channel = createSocketChannel(server.origin, 'token', (name, payload) => events.push([name, payload]), nodeSocket(server.origin));
  try {
    assert.equal(channel.request('session.hello', {}), null, 'before the socket opens, a request must go by HTTP');
    channel.open();
    await until(() => channel.isOpen(), 'the socket opening');
    assert.deepEqual(await channel.request('session.hello', { n: 1 }), { type: 'reply', id: 0, ok: true, result: { name: 'session.hello', args: { n: 1 } } });
    assert.deepEqual(await channel.request('refuse', {}), { type: 'reply', id: 1, ok: false, error: { code: 'bad-request', message: 'dll: Required' } });
    server.push({ type: 'event', name: 'agent.state', payload: { arch: 'x64', state: 'started', detail: 'test' } });
    await until(() => events.length === 1, 'the event');
    assert.deepEqual(events[0], ['agent.state', { arch: 'x64', state: 'started', detail: 'test' }]);
    assert.equal(channel.request('session.load', { content: 'x'.repeat(SOCKET_REQUEST_MAX_BYTES) }), null, 'a request too big for a frame must go by HTTP');
    assert.equal(channel.request('session.load', { content: 'é'.repeat(SOCKET_REQUEST_MAX_BYTES / 2) }), null, 'bytes count, not characters');
  } finally {
    channel.close();
    await server.close();
  }
});

test('a request in flight when the socket drops is refused in words and never sent again', async () => {
  // A stand-in service that never answers: the subject is what the page does when the socket drops.
  let ran = 0;
  const server = await standInServer(() => { ran++; return new Promise(() => undefined); });
  const { connections } = server;
  const channel = createSocketChannel(server.origin, 'token', () => undefined, nodeSocket(server.origin));
  try {
    channel.open();
    await until(() => channel.isOpen(), 'the socket opening');
    const pending = channel.request('call.invoke', { dll: 'c:/x.dll' })!;
    await until(() => ran === 1, 'the call reaching the server');
    connections[0]!.terminate();
    await assert.rejects(pending, (error: ApiError) => error.code === 'offline' && /before it answered call\.invoke.*may have run.*does not send it again/.test(error.message));
    await until(() => connections.length === 2, 'the socket reopening');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(channel.isOpen());
    assert.equal(ran, 1, 'nothing may be sent again after the socket reopens');
  } finally {
    channel.close();
    await server.close();
  }
});
