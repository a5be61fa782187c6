// The Electron main process's decisions that need no Electron: URLs, senders, argv. (Electron's
// binary cannot be downloaded here, so main.ts itself is checked by typecheck and electronegativity.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAllowedExternal, isAppUrl } from './app-protocol-paths.ts';
import { isTrustedSender } from './ipc-sender-check.ts';
import { pathsFromArgv } from './argv-paths.ts';
import { loadWindowState, DEFAULT_WINDOW_STATE } from './window-state.ts';

test('only app://thunk/ is app content', () => {
  assert.equal(isAppUrl('app://thunk/index.html'), true);
  assert.equal(isAppUrl('app://evil/index.html'), false);
  assert.equal(isAppUrl('file:///etc/passwd'), false);
  assert.equal(isAppUrl('https://thunk/'), false);
  assert.equal(isAppUrl('not a url'), false);
});

test('openExternal is allowed for allow-listed https addresses only', () => {
  assert.equal(isAllowedExternal('https://github.com/thunk/thunk/issues'), true);
  assert.equal(isAllowedExternal('http://github.com/'), false);
  assert.equal(isAllowedExternal('https://github.com.evil.example/'), false);
  assert.equal(isAllowedExternal('https://user:pw@github.com/'), false);
  assert.equal(isAllowedExternal('file:///C:/Windows/System32/calc.exe'), false);
  assert.equal(isAllowedExternal('javascript:alert(1)'), false);
});

test('IPC is trusted only from a trusted window\'s main frame on app://', () => {
  const main = { url: 'app://thunk/index.html', parent: null };
  const trusted = new Set([7]);
  assert.equal(isTrustedSender({ senderFrame: main } as never, trusted, 7), true);
  assert.equal(isTrustedSender({ senderFrame: main } as never, trusted, 8), false);
  assert.equal(isTrustedSender({ senderFrame: { url: 'app://thunk/x', parent: main } } as never, trusted, 7), false);
  assert.equal(isTrustedSender({ senderFrame: { url: 'https://evil.example/', parent: null } } as never, trusted, 7), false);
  assert.equal(isTrustedSender({ senderFrame: null } as never, trusted, 7), false);
});

test('files from the command line: existing paths, resolved against the launch folder, flags skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'thunk-argv-'));
  writeFileSync(join(dir, 'vendor.dll'), 'MZ');
  assert.deepEqual(pathsFromArgv(['electron', '.', '--inspect', 'vendor.dll', 'missing.dll'], false, dir).map((p) => p.slice(dir.length)), ['/vendor.dll']);
  assert.deepEqual(pathsFromArgv(['Thunk.exe', 'vendor.dll'], true, dir).map((p) => p.slice(dir.length)), ['/vendor.dll']);
  rmSync(dir, { recursive: true, force: true });
});

test('a damaged or missing window state falls back to the defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'thunk-window-'));
  assert.deepEqual(loadWindowState(dir), DEFAULT_WINDOW_STATE);
  writeFileSync(join(dir, 'window-state.json'), '{"bounds":{"x":1,"y":2,"width":10,"height":10}}');
  assert.deepEqual(loadWindowState(dir), DEFAULT_WINDOW_STATE, 'too small to be a real window');
  writeFileSync(join(dir, 'window-state.json'), '{"bounds":{"x":1,"y":2,"width":900,"height":700},"maximized":true}');
  assert.deepEqual(loadWindowState(dir), { bounds: { x: 1, y: 2, width: 900, height: 700 }, maximized: true });
  rmSync(dir, { recursive: true, force: true });
});
