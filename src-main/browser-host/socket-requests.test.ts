import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { ApiError } from '../contract/api-contract.ts';
import { serveSocketRequests, type Dispatch } from './socket-requests.ts';

// The service behind the socket is a stand-in here: the subject is the framing. The browser host
// with the real service is tested through its socket in e2e/browser-host-security.spec.ts.

async function socketPair(dispatch: Dispatch): Promise<{ client: WebSocket; frames: unknown[]; close(): Promise<void> }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  server.on('connection', (ws) => serveSocketRequests(ws, dispatch));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const frames: unknown[] = [];
  client.on('message', (data) => frames.push(JSON.parse(String(data))));
  await once(client, 'open');
  return {
    client, frames,
    close: async () => {
      client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), 'the expected frames never came');
};

test('each request is answered with its own id, in the order the work finishes', async () => {
  const pair = await socketPair(async (name, args) => {
    await new Promise((resolve) => setTimeout(resolve, (args as { wait: number }).wait));
    return { name };
  });
  try {
    pair.client.send(JSON.stringify({ type: 'request', id: 1, name: 'slow', args: { wait: 60 } }));
    pair.client.send(JSON.stringify({ type: 'request', id: 2, name: 'quick', args: { wait: 0 } }));
    await until(() => pair.frames.length === 2);
    assert.deepEqual(pair.frames, [
      { type: 'reply', id: 2, ok: true, result: { name: 'quick' } },
      { type: 'reply', id: 1, ok: true, result: { name: 'slow' } },
    ]);
  } finally {
    await pair.close();
  }
});

test('a refused request replies with its code and words; any other failure is "internal"', async () => {
  const pair = await socketPair(async (name) => {
    if (name === 'refused') throw new ApiError('bad-request', 'dll: Required');
    throw new Error('disk on fire');
  });
  try {
    pair.client.send(JSON.stringify({ type: 'request', id: 3, name: 'refused', args: {} }));
    pair.client.send(JSON.stringify({ type: 'request', id: 4, name: 'broken', args: {} }));
    await until(() => pair.frames.length === 2);
    assert.deepEqual(pair.frames, [
      { type: 'reply', id: 3, ok: false, error: { code: 'bad-request', message: 'dll: Required' } },
      { type: 'reply', id: 4, ok: false, error: { code: 'internal', message: 'disk on fire' } },
    ]);
  } finally {
    await pair.close();
  }
});

for (const [label, frame, reason] of [
  ['not JSON', 'hello', 'a frame that is not JSON'],
  ['binary', Buffer.from([1, 2, 3]), 'binary frames are not requests'],
  ['a request without a name', JSON.stringify({ type: 'request', id: 5, args: {} }), 'not a request: name Required'],
] as const) {
  test(`a frame that is ${label} closes the socket with 1007 and says why, running nothing`, async () => {
    let ran = 0;
    const pair = await socketPair(async () => ++ran);
    try {
      const closed = once(pair.client, 'close');
      pair.client.send(frame);
      const [code, why] = (await closed) as [number, Buffer];
      assert.equal(code, 1007);
      assert.equal(String(why), reason);
      assert.equal(ran, 0);
    } finally {
      await pair.close();
    }
  });
}

test('work that finishes after the page went away is dropped quietly, having run once', async () => {
  let ran = 0;
  let finish = (): void => undefined;
  const pair = await socketPair(() => new Promise((resolve) => { ran++; finish = () => resolve('late'); }));
  pair.client.send(JSON.stringify({ type: 'request', id: 6, name: 'long', args: {} }));
  await until(() => ran === 1);
  await pair.close();
  finish();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(ran, 1);
  assert.deepEqual(pair.frames, []);
});
