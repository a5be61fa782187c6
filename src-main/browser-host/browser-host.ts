import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, SOCKET_PATH, SOCKET_REQUEST_MAX_BYTES, settle, type SocketFrame } from '../contract/api-contract.ts';
import type { ServiceEvent, SessionService } from '../node-services/session/session-service.ts';
import { checkApiToken, checkHost, checkOrigin, checkPageToken, checkSocket, cookieName, type GuardConfig, type Refusal } from './request-guard.ts';
import { UploadStore, UploadTooLargeError } from './upload-store.ts';
import { BadUploadPathError } from './upload-paths.ts';
import { serveSocketRequests } from './socket-requests.ts';
import { readStaticFile, rendererDir, UI_MISSING_PAGE } from './static-files.ts';

export interface BrowserHostOptions {
  service: SessionService;
  /** A loopback address; the caller has checked it. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  maxUploadBytes?: number;
  /** Where the session folder is made (the system's temp folder by default). */
  uploadRoot?: string;
  staticDir?: string;
}

export interface BrowserHost {
  /** The URL to open, with this launch's token. */
  url: string;
  token: string;
  port: number;
  uploadDir: string;
  close(): Promise<void>;
}

const MAX_JSON_BYTES = 1024 * 1024;

function csp(config: GuardConfig): string {
  const ws = config.host.includes(':') ? `ws://[${config.host}]:${config.port}` : `ws://${config.host}:${config.port}`;
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ${ws} ws://localhost:${config.port}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

function send(response: ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8', headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', ...headers });
  response.end(body);
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  send(response, status, JSON.stringify({ error: { code, message } }));
}

function refuse(response: ServerResponse, refusal: Refusal): void {
  sendError(response, refusal.status, 'refused', refusal.reason);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new ApiError('bad-request', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  } catch {
    throw new ApiError('bad-request', 'the request body is not JSON');
  }
}

const STATUS: Record<string, number> = { 'bad-request': 400, 'unknown-request': 404, 'not-found': 404, cancelled: 409 };

/**
 * Serves the session over a WebSocket (requests and pushed events), HTTP (uploads, large requests
 * and requests while the socket is not open) and the built UI, to a browser on this machine only:
 * loopback, a token per launch, Host and Origin checked.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = randomBytes(24).toString('base64url');
  const uploads = new UploadStore(options.maxUploadBytes, options.uploadRoot);
  options.service.addTransientRoot(uploads.dir);
  const staticDir = options.staticDir ?? rendererDir();
  const config: GuardConfig = { host: options.host, port: 0, token };
  const sockets = new WebSocketServer({ noServer: true, maxPayload: SOCKET_REQUEST_MAX_BYTES });
  sockets.on('connection', (ws: WebSocket) => serveSocketRequests(ws, (name, args) => options.service.dispatch(name, args)));

  const handleApi = async (request: IncomingMessage, response: ServerResponse, path: string): Promise<void> => {
    const refusal = checkOrigin(request, config, false) ?? checkApiToken(request, config);
    if (refusal) return refuse(response, refusal);
    if (request.method !== 'POST') return sendError(response, 405, 'bad-request', 'use POST');
    if (path === '/api/upload') {
      const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
      const name = params.get('name') ?? 'upload.bin';
      const batch = params.get('folder');
      const length = request.headers['content-length'] ? Number(request.headers['content-length']) : null;
      try {
        const result = batch === null ? { path: await uploads.receive(request, name, length) } : await uploads.receiveInFolder(request, name, batch, length);
        return send(response, 200, JSON.stringify({ result }));
      } catch (error) {
        if (error instanceof UploadTooLargeError) {
          response.setHeader('connection', 'close');
          return sendError(response, 413, 'too-large', error.message);
        }
        // Refused before the body was read: the connection closes rather than carry the rest of it.
        response.setHeader('connection', 'close');
        if (error instanceof BadUploadPathError) return sendError(response, 400, 'bad-request', error.message);
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return sendError(response, 400, 'bad-request', `${name}: a file of that name (as cleaned for this disk) was already uploaded into this folder`);
        throw error;
      }
    }
    const name = decodeURIComponent(path.slice('/api/request/'.length));
    const envelope = await settle(async () => options.service.dispatch(name, await readJson(request)));
    if (envelope.ok) send(response, 200, JSON.stringify({ result: envelope.result }));
    else sendError(response, STATUS[envelope.error.code] ?? 500, envelope.error.code, envelope.error.message);
  };

  const handlePage = (request: IncomingMessage, response: ServerResponse, path: string): void => {
    const refusal = checkPageToken(request, config);
    if (refusal) return send(response, 401, `Thunk: ${refusal.reason}.\n`, 'text/plain; charset=utf-8');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'GET only\n', 'text/plain');
    const cookie = `${cookieName(config)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    const file = readStaticFile(staticDir, path) ?? (path === '/' || path === '/index.html' ? { body: Buffer.from(UI_MISSING_PAGE), type: 'text/html; charset=utf-8' } : null);
    if (!file) return send(response, 404, 'not found\n', 'text/plain');
    send(response, 200, file.body, file.type, { 'content-security-policy': csp(config), 'set-cookie': cookie, 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
  };

  const server: Server = createServer((request, response) => {
    const hostRefusal = checkHost(request, config);
    if (hostRefusal) return refuse(response, hostRefusal);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const work = path.startsWith('/api/') ? handleApi(request, response, path) : Promise.resolve(handlePage(request, response, path));
    work.catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, 'internal', `Thunk failed: ${(error as Error)?.message ?? error}`);
      else response.destroy();
    });
  });

  server.on('upgrade', (request, socket, head) => {
    const refusal = new URL(request.url ?? '/', 'http://localhost').pathname === SOCKET_PATH ? checkSocket(request, config) : { status: 403 as const, reason: 'no such socket' };
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status} Refused\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal.reason}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws: WebSocket) => sockets.emit('connection', ws, request));
  });

  const forward = (event: ServiceEvent): void => {
    const frame: SocketFrame = { type: 'event', name: event.name, payload: event.payload };
    const text = JSON.stringify(frame);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
  };
  options.service.on('event', forward);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  config.port = (server.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${shownHost}:${config.port}/?token=${token}`,
    token,
    port: config.port,
    uploadDir: uploads.dir,
    close: async () => {
      options.service.off('event', forward);
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      uploads.close();
    },
  };
}
