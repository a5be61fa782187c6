import { shell, type Session, type WebContents } from 'electron';
import { isAllowedExternal, isAppUrl } from './app-protocol-paths.ts';

/** Denies every permission request (camera, notifications, …): Thunk needs none. */
export function hardenSession(session: Session): void {
  // app:// responses carry APP_CSP (app-protocol.ts); this covers anything else a bug might load.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': ["default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}

/**
 * No navigation away from the app, no new windows; an allow-listed https link opens in the
 * system browser instead.
 */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Suppressed for electronegativity: only https URLs on EXTERNAL_ALLOW_LIST (app-protocol-paths.ts) reach openExternal.
    if (isAllowedExternal(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: 'deny' };
  });
}
