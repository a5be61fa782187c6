/** Thunk's version, injected by the bundler from package.json (the dev fallback reads nothing). */
declare const THUNK_VERSION: string | undefined;
export const VERSION: string = typeof THUNK_VERSION === 'string' ? THUNK_VERSION : '0.0.0-dev';
