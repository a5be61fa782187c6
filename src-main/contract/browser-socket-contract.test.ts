import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRequestName } from './api-contract.ts';
import { BULKY_REQUESTS, socketFrameSchema, socketRequestSchema } from './browser-socket-contract.ts';

test('every request sent by HTTP for its bulk is a request of the contract (a renamed one would silently take the socket)', () => {
  for (const name of BULKY_REQUESTS) assert.ok(isRequestName(name), `${name} is not a request`);
  assert.ok(BULKY_REQUESTS.has('exports.list'));
  assert.ok(!BULKY_REQUESTS.has('call.invoke'), 'a call is what the socket is for');
});

test('frames: a request needs a whole-number id and a name; a reply is ok with a result or not with an error in words', () => {
  assert.ok(socketRequestSchema.safeParse({ type: 'request', id: 0, name: 'session.hello', args: {} }).success);
  assert.ok(!socketRequestSchema.safeParse({ type: 'request', id: 1.5, name: 'x', args: {} }).success);
  assert.ok(!socketRequestSchema.safeParse({ type: 'request', id: 1, args: {} }).success);
  assert.ok(socketFrameSchema.safeParse({ type: 'reply', id: 1, ok: true, result: null }).success);
  assert.ok(socketFrameSchema.safeParse({ type: 'reply', id: 1, ok: false, error: { code: 'bad-request', message: 'no' } }).success);
  assert.ok(!socketFrameSchema.safeParse({ type: 'reply', id: 1, ok: false }).success, 'a failure must say why');
  assert.ok(socketFrameSchema.safeParse({ type: 'event', name: 'agent.state', payload: {} }).success);
});
