import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { checkApiToken, checkHost, checkPageToken, checkSocket, isLoopbackAddress } from './request-guard.ts';

const config = { host: '127.0.0.1', port: 4321, token: 'secret-token' };
// Only the fields the guard reads: a request is not the subject here, the decisions are.
const request = (url: string, headers: Record<string, string>): IncomingMessage => ({ url, headers }) as unknown as IncomingMessage;

test('Host must be the bound loopback address (or localhost) with our port', () => {
  assert.equal(checkHost(request('/', { host: '127.0.0.1:4321' }), config), null);
  assert.equal(checkHost(request('/', { host: 'localhost:4321' }), config), null);
  assert.equal(checkHost(request('/', { host: 'attacker.example:4321' }), config)?.status, 421);
  assert.equal(checkHost(request('/', { host: '127.0.0.1:80' }), config)?.status, 421);
  assert.equal(checkHost(request('/', {}), config)?.status, 421);
  assert.equal(checkHost(request('/', { host: '[::1]:4321' }), { ...config, host: '::1' }), null);
});

test('pages take the token from the URL or the per-port cookie; the API only from its header', () => {
  assert.equal(checkPageToken(request('/?token=secret-token', {}), config), null);
  assert.equal(checkPageToken(request('/assets/x.js', { cookie: 'a=b; thunk-token-4321=secret-token' }), config), null);
  assert.equal(checkPageToken(request('/assets/x.js', { cookie: 'thunk-token-9999=secret-token' }), config)?.status, 401);
  assert.equal(checkPageToken(request('/?token=secret-tokeN', {}), config)?.status, 401);
  assert.equal(checkApiToken(request('/api/request/x', { 'x-thunk-token': 'secret-token' }), config), null);
  assert.equal(checkApiToken(request('/api/request/x', { cookie: 'thunk-token-4321=secret-token' }), config)?.status, 401, 'a cross-site form carries the cookie, never the header');
});

test('a WebSocket needs our Origin and the token', () => {
  const ok = { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321' };
  assert.equal(checkSocket(request('/api/events?token=secret-token', ok), config), null);
  assert.equal(checkSocket(request('/api/events?token=secret-token', { ...ok, origin: 'http://attacker.example' }), config)?.status, 403);
  assert.equal(checkSocket(request('/api/events?token=secret-token', { host: ok.host }), config)?.status, 403);
  assert.equal(checkSocket(request('/api/events', ok), config)?.status, 401);
});

test('only loopback addresses may be bound', () => {
  assert.equal(isLoopbackAddress('127.0.0.1'), true);
  assert.equal(isLoopbackAddress('::1'), true);
  assert.equal(isLoopbackAddress('0.0.0.0'), false);
  assert.equal(isLoopbackAddress('192.168.1.5'), false);
});
