// The app's content is served from app://thunk/ (not file://): a fixed origin for the CSP and the
// IPC sender check, and no way to reach files outside the built renderer.
export const APP_SCHEME = 'app';
export const APP_HOST = 'thunk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The CSP of every app page: our scripts and styles only, no eval, no remote anything. */
export const APP_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/** https addresses the app may hand to the system browser (help, the project page); nothing else. */
export const EXTERNAL_ALLOW_LIST: readonly string[] = ['https://github.com/', 'https://learn.microsoft.com/'];

export function isAllowedExternal(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && EXTERNAL_ALLOW_LIST.some((prefix) => parsed.href.startsWith(prefix));
  } catch {
    return false;
  }
}
