import { request as httpRequest } from 'node:http';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WebSocket } from 'ws';
import { test as base, expect } from '@playwright/test';
import { startServe, type ServedHost } from './support/browser-host-fixture.ts';

// Security checks talk HTTP and WebSocket from Node, not the page: a browser would not let a test forge Host or Origin.
const test = base.extend<{ served: ServedHost }>({
  served: async ({}, use) => {
    const host = await startServe(['--max-upload-mb', '1']);
    await use(host);
    await host.stop();
  },
});

interface Answer { status: number; body: string }

function send(host: ServedHost, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ status: -1, body: error.code }) : reject(error)));
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile());
}

function sessionDir(host: ServedHost): string {
  const [name] = readdirSync(host.tempRoot).filter((n) => n.startsWith('thunk-serve-'));
  return join(host.tempRoot, name!);
}

function upload(host: ServedHost, name: string, body: Buffer): Promise<Answer> {
  return send(host, `/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'x-thunk-token': host.token, 'content-type': 'application/octet-stream' }, body });
}

function socketAnswer(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => { ws.close(); resolve('open'); });
    ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    ws.on('error', (error) => resolve(`error ${error.message}`));
  });
}

test('without the token: the page and the API answer 401', async ({ served }) => {
  expect((await send(served, '/')).status).toBe(401);
  expect((await send(served, '/?token=wrong-token')).status).toBe(401);
  expect((await send(served, '/api/request/session.hello', { method: 'POST', body: '{}' })).status).toBe(401);
  const withToken = await send(served, '/api/request/session.hello', { method: 'POST', headers: { 'x-thunk-token': served.token }, body: '{"contractVersion":1}' });
  expect(withToken.status).toBe(200);
});

test('a Host header other than the bound loopback address is refused (DNS rebinding)', async ({ served }) => {
  const rebinding = await send(served, `/?token=${served.token}`, { headers: { host: `attacker.example:${served.port}` } });
  expect(rebinding.status).toBe(421);
  const api = await send(served, '/api/request/settings.get', { method: 'POST', headers: { host: `attacker.example:${served.port}`, 'x-thunk-token': served.token }, body: '{}' });
  expect(api.status).toBe(421);
  expect((await send(served, `/?token=${served.token}`, { headers: { host: `127.0.0.1:${served.port}` } })).status).toBe(200);
});

test('a WebSocket from another origin, or without the token, is refused; from the page origin it opens', async ({ served }) => {
  const url = `ws://127.0.0.1:${served.port}/api/socket?token=${served.token}`;
  expect(await socketAnswer(url, { origin: 'http://attacker.example' })).toBe('refused 403');
  expect(await socketAnswer(`ws://127.0.0.1:${served.port}/api/socket`, { origin: served.origin })).toBe('refused 401');
  expect(await socketAnswer(url, { origin: served.origin })).toBe('open');
});

test('over the socket: a request is answered with its id; a frame that is not a request closes the socket saying why', async ({ served }) => {
  const ws = new WebSocket(`ws://127.0.0.1:${served.port}/api/socket?token=${served.token}`, { headers: { origin: served.origin } });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const replies: unknown[] = [];
  ws.on('message', (data) => { const frame = JSON.parse(String(data)) as { type: string }; if (frame.type === 'reply') replies.push(frame); });
  ws.send(JSON.stringify({ type: 'request', id: 7, name: 'session.hello', args: { contractVersion: 2 } }));
  ws.send(JSON.stringify({ type: 'request', id: 8, name: 'no.such', args: {} }));
  await expect.poll(() => replies.length).toBe(2);
  expect(replies).toContainEqual(expect.objectContaining({ id: 7, ok: true, result: expect.objectContaining({ host: 'browser' }) }));
  expect(replies).toContainEqual(expect.objectContaining({ id: 8, ok: false, error: expect.objectContaining({ code: 'unknown-request' }) }));
  const closed = new Promise<[number, string]>((resolve) => ws.once('close', (code, reason) => resolve([code, String(reason)])));
  ws.send('{"type":"request","id":"nine"}');
  expect(await closed).toEqual([1007, expect.stringContaining('not a request: id')]);
});

test('an upload over the size limit is refused with 413 and leaves nothing behind, declared or streamed', async ({ served }) => {
  const declared = await send(served, '/api/upload?name=big.dll', { method: 'POST', headers: { 'x-thunk-token': served.token, 'content-length': String(1024 * 1024 + 1) }, body: Buffer.alloc(1024 * 1024 + 1) });
  expect([413, -1]).toContain(declared.status);
  // Chunked, with no length announced: the stream is cut at the limit.
  const answer = await upload(served, 'big.dll', Buffer.alloc(1024 * 1024 + 1));
  expect([413, -1]).toContain(answer.status);
  if (answer.status === 413) expect(answer.body).toContain('upload limit');
  expect(filesUnder(sessionDir(served))).toEqual([]);
});

test('a traversal in an uploaded name is written inside the session folder under its last component only', async ({ served }) => {
  const before = filesUnder(served.tempRoot);
  for (const name of ['../../evil.dll', '..\\..\\evil2.dll', '/etc/evil3.dll', '....//evil4.dll', '..']) {
    const answer = await upload(served, name, Buffer.from('MZ not really'));
    expect(answer.status).toBe(200);
    const saved = (JSON.parse(answer.body) as { result: { path: string } }).result.path;
    expect(relative(sessionDir(served), saved).startsWith('..')).toBe(false);
  }
  const written = filesUnder(served.tempRoot).filter((f) => !before.includes(f));
  expect(written.every((f) => f.startsWith(relative(served.tempRoot, sessionDir(served))))).toBe(true);
  expect(written.map((f) => f.split(/[\\/]/).pop()).sort()).toEqual(['evil.dll', 'evil2.dll', 'evil3.dll', 'evil4.dll', 'upload.bin']);
  expect(existsSync(join(served.tempRoot, '..', 'evil.dll'))).toBe(false);
});

test('a dropped folder\'s files: paths kept inside the batch\'s folder, climbing components dropped, a bad batch name or a path too deep refused', async ({ served }) => {
  const before = filesUnder(served.tempRoot);
  const inFolder = (name: string, batch: string): Promise<Answer> =>
    send(served, `/api/upload?name=${encodeURIComponent(name)}&folder=${encodeURIComponent(batch)}`, { method: 'POST', headers: { 'x-thunk-token': served.token, 'content-type': 'application/octet-stream' }, body: Buffer.from('MZ') });
  const batch = 'batch-0123456789';
  const answers = await Promise.all(['plugins/a.dll', 'plugins/sub/b.dll', 'plugins/../../../../c.dll', 'plugins\\..\\d.dll'].map((name) => inFolder(name, batch)));
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  const first = (JSON.parse(answers[0]!.body) as { result: { path: string; folder: string } }).result;
  expect(first.folder.split(/[\\/]/).slice(-2)).toEqual([`folder-${batch}`, 'plugins']);
  expect(relative(sessionDir(served), first.folder).startsWith('..')).toBe(false);
  const written = filesUnder(served.tempRoot).filter((f) => !before.includes(f)).map((f) => f.split(/[\\/]/).slice(-3).join('/')).sort();
  expect(written).toEqual([`folder-${batch}/plugins/a.dll`, `folder-${batch}/plugins/c.dll`, `folder-${batch}/plugins/d.dll`, `plugins/sub/b.dll`]);
  const badBatch = await inFolder('plugins/e.dll', '../x');
  expect([badBatch.status, badBatch.body]).toEqual([400, expect.stringContaining('batch name')]);
  const deep = await inFolder(`${Array.from({ length: 20 }, (_, i) => `d${i}`).join('/')}/f.dll`, batch);
  expect([deep.status, deep.body]).toEqual([400, expect.stringContaining('levels deep')]);
  const again = await inFolder('plugins/a.dll', batch);
  expect([again.status, again.body]).toEqual([400, expect.stringContaining('already uploaded')]);
});

test('the session folder is removed when the server stops', async () => {
  const host = await startServe();
  await upload(host, 'a.dll', Buffer.from('MZ'));
  const dir = sessionDir(host);
  expect(filesUnder(dir)).toHaveLength(1);
  await host.kill();
  expect(existsSync(dir)).toBe(false);
  expect(existsSync(host.tempRoot)).toBe(true);
  await host.stop();
});
