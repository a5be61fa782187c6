import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What the browser host accepts: the address it bound, and this launch's token. */
export interface GuardConfig {
  /** The bound loopback address (127.0.0.1 or ::1). */
  host: string;
  port: number;
  token: string;
}

/** A refused request: the HTTP status and one line saying why. */
export interface Refusal {
  status: 401 | 403 | 421;
  reason: string;
}

/** The only Host headers a page served from here sends; anything else is DNS rebinding or a proxy. */
export function allowedHosts(config: GuardConfig): string[] {
  const bound = config.host.includes(':') ? `[${config.host}]` : config.host;
  return [`${bound}:${config.port}`, `localhost:${config.port}`];
}

export function allowedOrigins(config: GuardConfig): string[] {
  return allowedHosts(config).map((host) => `http://${host}`);
}

export function cookieName(config: GuardConfig): string {
  return `thunk-token-${config.port}`;
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(request: IncomingMessage, config: GuardConfig): string | null {
  const name = cookieName(config);
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

function queryToken(request: IncomingMessage): string | null {
  return new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
}

export function checkHost(request: IncomingMessage, config: GuardConfig): Refusal | null {
  const host = (request.headers.host ?? '').toLowerCase();
  return allowedHosts(config).includes(host) ? null : { status: 421, reason: `Host "${host}" is not this server (${allowedHosts(config)[0]})` };
}

/** A browser sends Origin on cross-origin fetches and every WebSocket: it must be this server. */
export function checkOrigin(request: IncomingMessage, config: GuardConfig, required: boolean): Refusal | null {
  const origin = request.headers.origin;
  if (origin === undefined) return required ? { status: 403, reason: 'no Origin header' } : null;
  return allowedOrigins(config).includes(origin) ? null : { status: 403, reason: `Origin "${origin}" is not this server` };
}

/** Pages and assets: the token from the printed URL, or the cookie set when that URL was opened. */
export function checkPageToken(request: IncomingMessage, config: GuardConfig): Refusal | null {
  const given = queryToken(request) ?? cookieToken(request, config);
  return sameToken(given, config.token) ? null : { status: 401, reason: 'missing or wrong token: open the URL `thunk serve` printed' };
}

/** API calls carry the token in a header, which no cross-site form or image can set. */
export function checkApiToken(request: IncomingMessage, config: GuardConfig): Refusal | null {
  const header = request.headers['x-thunk-token'];
  return sameToken(Array.isArray(header) ? header[0] : header, config.token) ? null : { status: 401, reason: 'missing or wrong token' };
}

/** The event socket: token in the query (browsers cannot set WebSocket headers) and our Origin. */
export function checkSocket(request: IncomingMessage, config: GuardConfig): Refusal | null {
  return checkHost(request, config) ?? checkOrigin(request, config, true) ?? (sameToken(queryToken(request), config.token) ? null : { status: 401, reason: 'missing or wrong token' });
}

/** Only loopback addresses may be bound: the server hands out any file the user can read. */
export function isLoopbackAddress(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}
