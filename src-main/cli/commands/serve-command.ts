import { parseArgs } from 'node:util';
import { startBrowserHost } from '../../browser-host/browser-host.ts';
import { isLoopbackAddress } from '../../browser-host/request-guard.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../browser-host/upload-store.ts';
import { openInBrowser } from '../../host-support/open-in-browser.ts';
import { SessionService } from '../../service/session-service.ts';
import { EXIT, UsageError } from '../usage-error.ts';

export const SERVE_USAGE = `Usage: thunk serve [--port N] [--host 127.0.0.1] [--open] [--max-upload-mb N]

Serves the Thunk UI to a browser on this machine. Prints a URL with a token made for this launch;
requests without it are refused. Files dropped in the browser are uploaded to a session folder
that is removed when the server stops (Ctrl+C).

  --port N           port to listen on (default 0: a free one)
  --host ADDR        loopback address to bind: 127.0.0.1 (default) or ::1; nothing else
  --open             open the URL in the default browser
  --max-upload-mb N  largest file a browser may upload (default ${DEFAULT_MAX_UPLOAD_BYTES / 1024 / 1024})
Exit codes: 0 stopped, 2 usage error.`;

export interface ServeOptions {
  port: number;
  host: string;
  open: boolean;
  maxUploadBytes: number;
}

function wholeNumber(value: string | undefined, flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`${flag} must be a whole number from 0 to ${max}, not "${value}"`, SERVE_USAGE);
  return n;
}

/** `thunk serve`'s flags; kept apart from running it so the CLI's parser can change alone. */
export function parseServeArgs(args: string[]): ServeOptions | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' }, 'max-upload-mb': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, SERVE_USAGE);
  const host = values.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host)) throw new UsageError(`--host must be a loopback address (127.0.0.1 or ::1), not "${host}": the server opens any file you can read`, SERVE_USAGE);
  return {
    port: wholeNumber(values.port, '--port', 0, 65535),
    host: host === 'localhost' ? '127.0.0.1' : host,
    open: values.open ?? false,
    maxUploadBytes: wholeNumber(values['max-upload-mb'], '--max-upload-mb', DEFAULT_MAX_UPLOAD_BYTES / 1024 / 1024, 4096) * 1024 * 1024,
  };
}

/** Resolves when the process is asked to stop. */
function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve(signal));
  });
}

/** `thunk serve`: runs until Ctrl+C, then removes the session folder. */
export async function runServe(args: string[]): Promise<number> {
  const options = parseServeArgs(args);
  if (options === 'help') {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return EXIT.ok;
  }
  const service = new SessionService({ host: 'browser' });
  let host;
  try {
    host = await startBrowserHost({ service, host: options.host, port: options.port, maxUploadBytes: options.maxUploadBytes });
  } catch (error) {
    await service.dispose();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new UsageError(`cannot listen on ${options.host}:${options.port} (${code}): choose another --port, or 0 for a free one`, SERVE_USAGE);
    throw error;
  }
  process.stdout.write(`Thunk is serving its UI at\n\n  ${host.url}\n\nOpen that URL in a browser on this machine (it holds this launch's token). Ctrl+C stops the server.\n`);
  if (options.open && !openInBrowser(host.url)) process.stdout.write('(no display here: open the URL yourself)\n');
  await stopRequested();
  await host.close();
  await service.dispose();
  return EXIT.ok;
}
