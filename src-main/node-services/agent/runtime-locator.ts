// Finds the agent runtime (node + koffi + agent.js) for a bitness, and the bitness a file needs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotPeError, parsePeFile } from '../../analysis/pe/parse-pe.ts';
import { type AgentExecution, type WineLaunchOptions, describeExecution, isWineProblem, planWineLaunch } from './wine-launcher.ts';

export type { AgentExecution } from './wine-launcher.ts';
export { wineVersion } from './wine-launcher.ts';

export type AgentArch = 'win32-ia32' | 'win32-x64' | 'linux-x64';
export type ArchChoice = 'auto' | 'x86' | 'x64';
export const AGENT_ARCHES: readonly AgentArch[] = ['win32-ia32', 'win32-x64', 'linux-x64'];

export interface WineInfo {
  command: string;
  version: string;
  prefix: string;
  /** What Wine's own helpers (wineboot, wineserver) need too: the wineserver to use, the fault fix. */
  env: Record<string, string>;
}

export interface AgentRuntime {
  arch: AgentArch;
  /** What to spawn, with its arguments (the agent script last). */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The runtime folder (build/agents/<arch> or resources/agents/<arch>), or the source folder. */
  dir: string;
  wine: WineInfo | null;
  /** How it runs: native, under Wine, or under Wine with its 32-bit side emulated. */
  execution: AgentExecution;
  /** How long the agent may take to start and send its handshake (by how it runs, or configured). */
  startTimeoutMs: number;
  /** One line for humans and --json, e.g. "build/agents/win32-ia32 under wine-8.0". */
  description: string;
}

/** The runtime cannot be used; the message says what is missing and how to get it. */
export class RuntimeMissingError extends Error {
  /** `fix`: the commands that make the runtime work, when there are any to give. */
  constructor(readonly arch: AgentArch, readonly reason: string, readonly fix: string[] = []) {
    super(fix.length > 0 ? `${reason}; to fix: ${fix.join(' ; ')}` : reason);
    this.name = 'RuntimeMissingError';
  }
}

export interface LocateOptions extends WineLaunchOptions {
  /** The project root (development); found from this module's location by default. */
  root?: string;
  /** Electron's process.resourcesPath in the packaged app. */
  resourcesPath?: string;
  platform?: NodeJS.Platform;
  /** The host's CPU (process.arch by default). */
  hostArch?: NodeJS.Architecture;
  /** Electron's binary, run as Node when no node is staged; process.execPath inside Electron by default. */
  electronExecPath?: string;
  /** The Wine prefix the agents run in; THUNK_WINE_PREFIX, else build/wine-prefix. */
  winePrefix?: string;
  /** The handshake deadline; by default THUNK_AGENT_START_TIMEOUT_MS, else by how the agent runs. */
  startTimeoutMs?: number;
  /** linux-x64 only: run src-agent32/agent.ts through tsx when nothing is staged. Default true. */
  allowSource?: boolean;
}

let cachedRoot: string | null = null;

/** The folder holding Thunk's package.json, from this module's (or the bundle's) location. */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && readJsonName(pkg) === 'thunk') return (cachedRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) return (cachedRoot = process.cwd());
    dir = parent;
  }
}

function readJsonName(file: string): unknown {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

function display(root: string, path: string): string {
  const rel = relative(root, path);
  return rel.startsWith('..') ? path : rel;
}

// Unpackaged Electron (`electron .`) sets resourcesPath too, to Electron's own folder; defaultApp marks it.
function resourcesPath(options: LocateOptions): string | undefined {
  if (options.resourcesPath !== undefined) return options.resourcesPath;
  const host = process as { resourcesPath?: string; defaultApp?: boolean };
  return host.defaultApp ? undefined : host.resourcesPath;
}

interface Layout {
  arch: AgentArch;
  root: string;
  dir: string;
  packaged: boolean;
  /** The folder as named in descriptions: build/agents/<arch> or resources/agents/<arch>. */
  label: string;
}

function layoutOf(arch: AgentArch, options: LocateOptions): Layout {
  const root = options.root ?? projectRoot();
  const packaged = resourcesPath(options);
  if (packaged) return { arch, root, dir: join(packaged, 'agents', arch), packaged: true, label: `resources/agents/${arch}` };
  const dir = join(root, 'build', 'agents', arch);
  return { arch, root, dir, packaged: false, label: display(root, dir) };
}

interface NodeCommand {
  command: string;
  env: Record<string, string>;
  label: string;
}

// Inside Electron, process.execPath is the app itself, which runs a script only as ELECTRON_RUN_AS_NODE.
function hostNode(options: LocateOptions): NodeCommand {
  const electron = options.electronExecPath ?? (process.versions.electron ? process.execPath : undefined);
  if (electron) return { command: electron, env: { ELECTRON_RUN_AS_NODE: '1' }, label: 'Electron as Node' };
  return { command: process.execPath, env: {}, label: `node ${process.version}, host` };
}

// The staging script may copy node, or name the one to use in node-path.txt.
function stagedNode(dir: string): string | null {
  if (existsSync(join(dir, 'node'))) return join(dir, 'node');
  const named = join(dir, 'node-path.txt');
  const path = existsSync(named) ? readFileSync(named, 'utf8').trim() : '';
  return path && existsSync(path) ? path : null;
}

/** The files an agent folder needs besides its node: the script, koffi and koffi's native module. */
function agentFiles(layout: Layout): string[] {
  const native = join('node_modules', '@koromix', `koffi-${layout.arch}`, layout.arch.replace('-', '_'), 'koffi.node');
  return [join(layout.dir, 'agent.js'), join(layout.dir, 'node_modules', 'koffi', 'package.json'), join(layout.dir, native)];
}

export const AGENT_WINEDEBUG = '-all,err+virtual';

/** AGENT_WINEDEBUG, plus the channels THUNK_AGENT_WINEDEBUG adds (e.g. `+seh,+loaddll`) to see what Wine does in an agent. */
export function agentWineDebug(env: NodeJS.ProcessEnv = process.env): string {
  const extra = env.THUNK_AGENT_WINEDEBUG?.trim();
  return extra ? `${AGENT_WINEDEBUG},${extra}` : AGENT_WINEDEBUG;
}
const STAGE_HINT = 'run `npm run stage:agents`';
const BASE_ENV = { NODE_SKIP_PLATFORM_CHECK: '1' };

function missingError(layout: Layout, files: string[]): RuntimeMissingError {
  const gone = existsSync(layout.dir) ? files.filter((f) => !existsSync(f)) : [layout.dir];
  const what = gone.map((f) => display(layout.root, f)).join(', ');
  const hint = layout.packaged ? `the app was packaged without it (${STAGE_HINT} before electron-builder)` : STAGE_HINT;
  return new RuntimeMissingError(layout.arch, `${what} not found: ${hint}`);
}

function requireFiles(layout: Layout, files: string[]): void {
  if (files.some((f) => !existsSync(f))) throw missingError(layout, files);
}

/** Locates the runtime of `arch` or throws RuntimeMissingError saying exactly what is missing. */
export function locateRuntime(arch: AgentArch, options: LocateOptions = {}): AgentRuntime {
  const layout = layoutOf(arch, options);
  if (arch === 'linux-x64') return locateLinux(layout, options);
  if ((options.platform ?? process.platform) === 'win32') return locateWindowsNative(layout, options);
  return locateUnderWine(layout, options);
}

function locateLinux(layout: Layout, options: LocateOptions): AgentRuntime {
  const platform = options.platform ?? process.platform;
  const hostArch = options.hostArch ?? process.arch;
  if (platform !== 'linux' || hostArch !== 'x64') throw new RuntimeMissingError(layout.arch, `the linux-x64 agent runs only on Linux x64, not ${platform}-${hostArch}`);
  const files = agentFiles(layout);
  const [script] = files;
  if (existsSync(script)) {
    requireFiles(layout, files);
    const staged = stagedNode(layout.dir);
    const node = staged && staged !== process.execPath ? { command: staged, env: {}, label: 'node staged' } : hostNode(options);
    return runtime(layout, node, [script], `${layout.label} (${node.label})`, options);
  }
  const source = join(layout.root, 'src-agent32', 'agent.ts');
  if ((options.allowSource ?? true) && !layout.packaged && existsSync(source)) {
    const node = hostNode(options);
    return { ...runtime(layout, node, ['--import', 'tsx', source], `src-agent32/agent.ts via tsx (${node.label})`, options), dir: dirname(source) };
  }
  throw missingError(layout, [script]);
}

// A 64-bit folder without node.exe still runs on x64 Windows: the packaged app ships none and runs Electron as Node.
function locateWindowsNative(layout: Layout, options: LocateOptions): AgentRuntime {
  const hostArch = options.hostArch ?? process.arch;
  if (layout.arch === 'win32-x64' && hostArch !== 'x64' && hostArch !== 'arm64') throw new RuntimeMissingError(layout.arch, 'a 64-bit agent needs 64-bit Windows');
  const files = agentFiles(layout);
  const exe = join(layout.dir, 'node.exe');
  if (!existsSync(exe) && layout.arch === 'win32-x64' && hostArch === 'x64') {
    requireFiles(layout, files);
    const node = hostNode(options);
    return runtime(layout, node, [files[0]], `${layout.label} (${node.label})`, options);
  }
  requireFiles(layout, [exe, ...files]);
  return runtime(layout, { command: exe, env: {} }, [files[0]], layout.label, options);
}

function locateUnderWine(layout: Layout, options: LocateOptions): AgentRuntime {
  const arch = layout.arch as 'win32-ia32' | 'win32-x64';
  const files = agentFiles(layout);
  const exe = join(layout.dir, 'node.exe');
  requireFiles(layout, [exe, ...files]);
  const plan = planWineLaunch(arch, layout.dir, options);
  if (isWineProblem(plan)) throw new RuntimeMissingError(arch, plan.message, plan.fix);
  const prefix = options.winePrefix ?? (process.env.THUNK_WINE_PREFIX || join(layout.root, 'build', 'wine-prefix'));
  const wine = { command: plan.command, version: plan.version, prefix, env: plan.env };
  // Quiet but for the virtual-memory errors: Wine reports a stack overflow only there (agent-process.ts).
  const launcher = { command: plan.command, env: { ...plan.env, WINEDEBUG: agentWineDebug(), WINEPREFIX: prefix } };
  const built = runtime(layout, launcher, [exe, files[0]], `${layout.label} ${describeExecution(plan.execution)}`, options, plan.execution);
  return { ...built, wine };
}

/** Handshake deadlines by how the agent runs: a 32-bit node.exe under qemu takes 3-5 s alone, more on a busy machine. */
const START_TIMEOUT_MS: Record<AgentExecution['kind'], number> = { native: 10_000, wine: 30_000, 'wine-emulated': 90_000 };

function startTimeout(options: LocateOptions, execution: AgentExecution): number {
  const configured = options.startTimeoutMs ?? Number(process.env.THUNK_AGENT_START_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : START_TIMEOUT_MS[execution.kind];
}

function runtime(layout: Layout, node: Omit<NodeCommand, 'label'>, args: string[], description: string, options: LocateOptions, execution: AgentExecution = { kind: 'native' }): AgentRuntime {
  const startTimeoutMs = startTimeout(options, execution);
  return { arch: layout.arch, command: node.command, args, env: { ...BASE_ENV, ...node.env }, dir: layout.dir, wine: null, execution, startTimeoutMs, description };
}

/** Which agent a file needs: PE machine x86 → win32-ia32, x64 → win32-x64, an x86-64 ELF → linux-x64. */
export function archForFile(path: string, choice: ArchChoice = 'auto', platform: NodeJS.Platform = process.platform): AgentArch {
  let machine: string;
  try {
    machine = parsePeFile(path, { details: false, entropy: false }).machine;
  } catch (error) {
    if (error instanceof NotPeError && /^ELF shared object for x86-64/.test(error.reason)) {
      if (choice === 'x86') throw new NotPeError(path, `${error.reason} (cannot run in a 32-bit agent)`);
      if (platform !== 'linux') throw new NotPeError(path, `${error.reason}, which only a Linux host can load`);
      return 'linux-x64';
    }
    throw error;
  }
  if (choice === 'x86') return 'win32-ia32';
  if (choice === 'x64') return 'win32-x64';
  if (machine === 'x86') return 'win32-ia32';
  if (machine === 'x64' || machine === 'arm64ec' || machine === 'arm64x') return 'win32-x64';
  throw new NotPeError(path, `a PE image for ${machine}, which no Thunk agent can load (x86 and x64 only)`);
}
