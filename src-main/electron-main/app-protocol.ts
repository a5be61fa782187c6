import { protocol } from 'electron';
import { readStaticFile } from '../browser-host/static-files.ts';
import { APP_CSP, APP_HOST, APP_SCHEME } from './app-protocol-paths.ts';

/** Must run before app is ready: app:// is a standard, secure scheme (fetch, relative URLs, CSP 'self'). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer from `root`; anything outside it, or another host, is 404. */
export function serveAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? readStaticFile(root, url.pathname) : null;
    if (!file) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(file.body), { headers: { 'content-type': file.type, 'content-security-policy': APP_CSP, 'x-content-type-options': 'nosniff' } });
  });
}
