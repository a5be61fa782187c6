import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveOptions } from './serve-command.ts';
import { UsageError } from '../usage-error.ts';

test('thunk serve: defaults, flags, and usage errors that say what to do', () => {
  assert.deepEqual(serveOptions({}), { port: 0, host: '127.0.0.1', open: false, maxUploadBytes: 512 * 1024 * 1024 });
  assert.deepEqual(serveOptions({ port: '8080', open: true, host: '::1', maxUploadMb: '2' }), { port: 8080, host: '::1', open: true, maxUploadBytes: 2 * 1024 * 1024 });
  assert.throws(() => serveOptions({ host: '0.0.0.0' }), (e: Error) => e instanceof UsageError && /loopback/.test(e.message));
  assert.throws(() => serveOptions({ port: '70000' }), (e: Error) => e instanceof UsageError && /--port must be a whole number/.test(e.message));
});
