// The Wine prefix the Windows agents run in: made once, by the 64-bit wineboot (both sides; the
// 32-bit loader may only run under emulation), and set up for agents: no Wine debugger on a crash
// of a 32-bit agent.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WineInfo } from './runtime-locator.ts';
import { wineLauncher } from './wine-launcher.ts';

/** Creates the Wine prefix on first use (`wineboot -i`, ~10 s); concurrent callers wait for one. */
export async function ensureWinePrefix(wine: WineInfo, timeoutMs = 180_000): Promise<void> {
  if (prefixReady(wine.prefix)) return;
  mkdirSync(dirname(wine.prefix), { recursive: true });
  const lock = `${wine.prefix}.lock`;
  const deadline = Date.now() + timeoutMs;
  while (!tryLock(lock)) {
    if (prefixReady(wine.prefix)) return;
    if (Date.now() > deadline) throw new WinePrefixError(`timed out waiting for another process to create the Wine prefix ${wine.prefix} (remove ${lock} if no other Thunk is running)`);
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    if (!existsSync(join(wine.prefix, 'system.reg'))) await runWineboot(wine, timeoutMs);
    if (!existsSync(configuredMarker(wine.prefix))) await configureForAgents(wine);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// A lock left by a killed process is taken over after 5 minutes.
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
    } catch {
      // gone meanwhile
    }
    return false;
  }
}

/** The Wine prefix could not be created; the message says where to look and what to try. */
export class WinePrefixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WinePrefixError';
  }
}

// wineboot through the 64-bit loader where there is one: a 64-bit prefix has both sides, and the
// 32-bit loader may only run under emulation.
async function runWineboot(wine: WineInfo, timeoutMs: number): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...wine.env, WINEPREFIX: wine.prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  const command = wineLauncher('win32-x64') ?? wine.command;
  // Wine's daemon inherits the descriptors: give it a log file, not a pipe this process waits on.
  const log = `${wine.prefix}.wineboot.log`;
  const boot = await runDetached(command, ['wineboot', '-i'], env, log, timeoutMs);
  // The registry files appear when wineserver exits and saves them.
  if (boot === 0) await runDetached(env.WINESERVER ?? command.replace(/wine(64)?$/, 'wineserver'), ['-w'], env, log, 60_000);
  if (boot !== 0 || !existsSync(join(wine.prefix, 'system.reg'))) {
    throw new WinePrefixError(`the Wine prefix ${wine.prefix} could not be created (\`${command} wineboot -i\` ended with status ${boot}): see ${log}; remove the folder and try again, or set THUNK_WINE_PREFIX to another folder`);
  }
}

// Bump when configureForAgents changes, so existing prefixes get the new settings once.
const CONFIGURED_MARKER = '.thunk-configured-6';
/** AeDebug as 64-bit and as 32-bit processes read it. */
const AEDEBUG_64 = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\AeDebug';
const AEDEBUG_32 = 'HKLM\\Software\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\AeDebug';
/** A debugger command that cannot start: Wine then ends the crashed process at once. */
const NO_DEBUGGER = 'thunk-no-debugger.exe %ld %ld';

function configuredMarker(prefix: string): string {
  return join(prefix, CONFIGURED_MARKER);
}

function prefixReady(prefix: string): boolean {
  return existsSync(join(prefix, 'system.reg')) && existsSync(configuredMarker(prefix));
}

/**
 * Agents get no debugger: they report their crashes themselves and end the process from their
 * unhandled-exception filter. winedbg would only keep a dead agent alive (for seconds of CPU under
 * emulation). Without an AeDebug entry Wine falls back to winedbg, so the entry names a program
 * that does not exist.
 */
async function configureForAgents(wine: WineInfo): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...wine.env, WINEPREFIX: wine.prefix, WINEDEBUG: '-all' };
  const command = wineLauncher('win32-x64') ?? wine.command;
  const log = `${wine.prefix}.wineboot.log`;
  for (const key of [AEDEBUG_32, AEDEBUG_64]) {
    const status = await runDetached(command, ['reg', 'add', key, '/v', 'Debugger', '/d', NO_DEBUGGER, '/f'], env, log, 60_000);
    if (status !== 0) throw new WinePrefixError(`could not set up the Wine prefix ${wine.prefix} for agents (\`reg add ${key}\` ended with status ${status}): see ${log}`);
  }
  writeFileSync(configuredMarker(wine.prefix), `AeDebug Debugger: ${NO_DEBUGGER} for 32- and 64-bit processes\n`);
}

function runDetached(command: string, args: string[], env: NodeJS.ProcessEnv, log: string, timeoutMs: number): Promise<number | null> {
  return new Promise((resolvePromise) => {
    const fd = openSync(log, 'a');
    const child = spawn(command, args, { env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolvePromise(null);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise(code);
    });
  });
}

