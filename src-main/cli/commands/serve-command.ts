import { Command } from 'commander';
import { startBrowserHost } from '../../browser-host/browser-host.ts';
import { isLoopbackAddress } from '../../browser-host/request-guard.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../browser-host/upload-store.ts';
import { openInBrowser } from '../../node-services/host-support/open-in-browser.ts';
import { SessionService } from '../../node-services/session/session-service.ts';
import { exitCodeAction, exitCodesHelp, type CliCommand } from '../cli-command.ts';
import { EXIT, UsageError } from '../usage-error.ts';

export interface ServeOptions {
  port: number;
  host: string;
  open: boolean;
  maxUploadBytes: number;
}

/** The flags as commander gives them, before they are checked. */
export interface ServeFlags {
  port?: string;
  host?: string;
  open?: boolean;
  maxUploadMb?: string;
}

function wholeNumber(value: string | undefined, flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`${flag} must be a whole number from 0 to ${max}, not "${value}"`);
  return n;
}

/** `thunk serve`'s flags checked: loopback only, ports and sizes in range. */
export function serveOptions(flags: ServeFlags): ServeOptions {
  const host = flags.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host)) throw new UsageError(`--host must be a loopback address (127.0.0.1 or ::1), not "${host}": the server opens any file you can read`);
  return {
    port: wholeNumber(flags.port, '--port', 0, 65535),
    host: host === 'localhost' ? '127.0.0.1' : host,
    open: flags.open ?? false,
    maxUploadBytes: wholeNumber(flags.maxUploadMb, '--max-upload-mb', DEFAULT_MAX_UPLOAD_BYTES / 1024 / 1024, 4096) * 1024 * 1024,
  };
}

/** Resolves when the process is asked to stop. */
function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve(signal));
  });
}

/** Runs until Ctrl+C, then removes the session folder. */
async function runServe(flags: ServeFlags): Promise<number> {
  const options = serveOptions(flags);
  const service = new SessionService({ host: 'browser' });
  let host;
  try {
    host = await startBrowserHost({ service, host: options.host, port: options.port, maxUploadBytes: options.maxUploadBytes });
  } catch (error) {
    await service.dispose();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new UsageError(`cannot listen on ${options.host}:${options.port} (${code}): choose another --port, or 0 for a free one`);
    throw error;
  }
  process.stdout.write(`Thunk is serving its UI at\n\n  ${host.url}\n\nOpen that URL in a browser on this machine (it holds this launch's token). Ctrl+C stops the server.\n`);
  if (options.open && !openInBrowser(host.url)) process.stdout.write('(no display here: open the URL yourself)\n');
  await stopRequested();
  await host.close();
  await service.dispose();
  return EXIT.ok;
}

/** `thunk serve`. */
export const serveCommand: CliCommand = {
  name: 'serve',
  declare: () => new Command('serve')
    .summary('serve the Thunk UI to a browser on this machine (loopback only, with a token)')
    .description('Serve the Thunk UI to a browser on this machine. Prints a URL with a token made for this launch; requests without it are refused. Files dropped in the browser are uploaded to a session folder that is removed when the server stops (Ctrl+C).')
    .option('--port <n>', 'port to listen on (default 0: a free one)')
    .option('--host <addr>', 'loopback address to bind: 127.0.0.1 (default) or ::1; nothing else')
    .option('--open', 'open the URL in the default browser')
    .option('--max-upload-mb <n>', `largest file a browser may upload (default ${DEFAULT_MAX_UPLOAD_BYTES / 1024 / 1024})`)
    .addHelpText('after', exitCodesHelp([[0, 'stopped'], [2, 'usage error']]))
    .action(exitCodeAction((flags: ServeFlags) => runServe(flags))),
};
