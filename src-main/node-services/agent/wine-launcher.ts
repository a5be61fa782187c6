// Which Wine program starts a Windows agent of each bitness, and how it runs on this machine.
// 64-bit agents use Wine's 64-bit loader directly: Debian's /usr/bin/wine goes through the 32-bit
// loader whenever wine32 is installed, which fails (or crawls under emulation) on kernels that
// cannot run 32-bit code. 32-bit agents need the 32-bit loader, natively or through qemu-user.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { type Ia32Support, emulatorTooOld, ia32Support } from './ia32-support.ts';

export type WindowsAgentArch = 'win32-ia32' | 'win32-x64';

/** How an agent runs: the host's own process model, Wine, or Wine's 32-bit side under an emulator. */
export type AgentExecution =
  | { kind: 'native' }
  | { kind: 'wine'; wineVersion: string }
  | { kind: 'wine-emulated'; wineVersion: string; emulator: string };

export interface WineLaunchOptions {
  /** The Wine launcher for 32-bit agents (and 64-bit ones unless wine64Command is given); THUNK_WINE. */
  wineCommand?: string;
  /** The Wine launcher for 64-bit agents; THUNK_WINE64. */
  wine64Command?: string;
}

/** Wine cannot start this agent here; `fix` lists the commands that make it work. */
export interface WineProblem {
  message: string;
  fix: string[];
}

export interface WineLaunch {
  command: string;
  version: string;
  execution: AgentExecution;
  /** Added to the agent's environment (the wineserver to use, the fault fix under emulation). */
  env: Record<string, string>;
}

const DEBIAN_WINE64 = '/usr/lib/wine/wine64';
const DEBIAN_WINE32 = '/usr/lib/wine/wine';
const I386_WINE_LIBS = '/usr/lib/i386-linux-gnu/wine';
export const EMULATION_SCRIPT = 'node --import tsx scripts/ia32-emulation.ts enable';

/** The first executable named `name` on PATH, or null. */
export function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

const versions = new Map<string, string | null>();

/** `<launcher> --version`, or null when it cannot run. Cached per launcher. */
export function wineVersion(command: string): string | null {
  if (!versions.has(command)) {
    const run = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, WINEDEBUG: '-all' } });
    // A busy machine's timeout says nothing about Wine: ask again next time.
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') return null;
    versions.set(command, run.status === 0 ? run.stdout.trim() : null);
  }
  return versions.get(command) ?? null;
}

function exists(command: string): boolean {
  return command.includes('/') ? existsSync(command) : onPath(command) !== null;
}

function first(candidates: (string | null)[]): string | null {
  return candidates.find((c): c is string => c !== null && exists(c)) ?? null;
}

/** The launcher for an arch, or null when no Wine is installed. */
export function wineLauncher(arch: WindowsAgentArch, options: WineLaunchOptions = {}): string | null {
  const configured = arch === 'win32-x64' ? options.wine64Command ?? process.env.THUNK_WINE64 ?? options.wineCommand ?? process.env.THUNK_WINE : options.wineCommand ?? process.env.THUNK_WINE;
  if (configured) return configured;
  if (arch === 'win32-x64') return first([DEBIAN_WINE64, onPath('wine64'), onPath('wine')]);
  return first([DEBIAN_WINE32, onPath('wine')]);
}

// Debian's packaging of the 32-bit side; other distributions ship one `wine` for both (WoW64).
function wine32Missing(launcher: string): boolean {
  return launcher === onPath('wine') && existsSync(DEBIAN_WINE64) && !existsSync(DEBIAN_WINE32) && !existsSync(I386_WINE_LIBS);
}

/** wineserver64 beside the launcher: Debian's wrapper script would start it with -p0 (gone after each agent). */
function wineserverEnv(launcher: string): Record<string, string> {
  if (process.env.WINESERVER) return {};
  const server = join(dirname(launcher), 'wineserver64');
  return existsSync(server) ? { WINESERVER: server } : {};
}

/** The fault fix for 32-bit Wine under qemu (src-agent32/wine-qemu/trapno-fix.c), staged with the agent. */
export function trapnoFixPreload(agentDir: string): string | null {
  const dir = join(agentDir, 'wine-qemu');
  // ld.so expands a literal $LIB per process: lib/i386-linux-gnu for Wine's 32-bit processes.
  return existsSync(join(dir, 'lib', 'i386-linux-gnu', 'libthunk-trapno.so')) ? join(dir, '$LIB', 'libthunk-trapno.so') : null;
}

const INSTALL_WINE = 'sudo apt-get install wine wine64';
const INSTALL_WINE32 = 'sudo dpkg --add-architecture i386 && sudo apt-get update && sudo apt-get install wine32:i386';

/** How to start a Windows agent of `arch` under Wine here, or what stands in the way and its fix. */
export function planWineLaunch(arch: WindowsAgentArch, agentDir: string, options: WineLaunchOptions = {}, support: () => Ia32Support = ia32Support): WineLaunch | WineProblem {
  const launcher = wineLauncher(arch, options);
  if (!launcher || !exists(launcher)) {
    return { message: `Wine is not installed${launcher ? ` (no ${launcher})` : ''}`, fix: [arch === 'win32-ia32' ? `${INSTALL_WINE} wine32:i386` : INSTALL_WINE] };
  }
  if (arch === 'win32-x64') {
    const version = wineVersion(launcher);
    if (!version) return { message: `Wine's 64-bit loader does not run (\`${launcher} --version\` failed)`, fix: [INSTALL_WINE] };
    return { command: launcher, version, execution: { kind: 'wine', wineVersion: version }, env: wineserverEnv(launcher) };
  }
  if (wine32Missing(launcher)) return { message: '32-bit Wine is not installed (only the 64-bit side is)', fix: [INSTALL_WINE32] };
  const ia32 = support();
  if (!ia32.runs) {
    return {
      message: `Wine is installed, but ${ia32.reason}; 32-bit Wine needs them`,
      fix: ia32.emulator ? [EMULATION_SCRIPT] : ['sudo apt-get install -t bookworm-backports qemu-user-static   # Debian 12; qemu 8.1 or newer', `sudo ${EMULATION_SCRIPT}`],
    };
  }
  if (ia32.via === 'emulator' && ia32.emulator && emulatorTooOld(ia32.emulator)) {
    return {
      message: `32-bit programs run through ${ia32.emulator.version}, which is too old for Wine (it takes about a minute to start and cannot run node.exe; qemu 8.1 or newer works)`,
      fix: ['sudo apt-get install -t bookworm-backports qemu-user-static   # Debian 12', `sudo ${EMULATION_SCRIPT}   # registers the new qemu`],
    };
  }
  const version = wineVersion(launcher);
  if (!version) return { message: `32-bit Wine does not run (\`${launcher} --version\` failed)`, fix: [INSTALL_WINE32] };
  const env = wineserverEnv(launcher);
  if (ia32.via !== 'emulator' || !ia32.emulator) return { command: launcher, version, execution: { kind: 'wine', wineVersion: version }, env };
  const preload = trapnoFixPreload(agentDir);
  if (!preload) return { message: `32-bit Wine runs under emulation here, but its fault fix is not built in ${join(agentDir, 'wine-qemu')} (it needs gcc -m32: apt-get install gcc-multilib)`, fix: ['sudo apt-get install gcc-multilib', 'npm run stage:agents'] };
  const emulator = ia32.emulator.version?.replace(/ version /, ' ').replace(/\s*\(.*$/, '') ?? ia32.emulator.interpreter;
  return { command: launcher, version, execution: { kind: 'wine-emulated', wineVersion: version, emulator }, env: { ...env, LD_PRELOAD: preload } };
}

/** One phrase for descriptions: "under wine-8.0 (Debian 8.0~repack-4) with qemu-i386 10.0.2 emulating 32-bit x86". */
export function describeExecution(execution: AgentExecution): string {
  switch (execution.kind) {
    case 'native':
      return 'native';
    case 'wine':
      return `under ${execution.wineVersion}`;
    case 'wine-emulated':
      return `under ${execution.wineVersion} with ${execution.emulator} emulating 32-bit x86`;
  }
}

/** Whether a plan is a problem (the agent cannot start) rather than a launch. */
export function isWineProblem(plan: WineLaunch | WineProblem): plan is WineProblem {
  return 'message' in plan;
}
