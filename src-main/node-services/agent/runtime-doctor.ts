// `thunk doctor`: does each agent runtime run here, how, how fast does it start, and if it does not
// run, why and what fixes it. Starts each runtime once for real (cold start to handshake).
import { AgentProcess } from './agent-process.ts';
import { ia32Support } from './ia32-support.ts';
import { type AgentArch, type AgentExecution, type LocateOptions, RuntimeMissingError, locateRuntime } from './runtime-locator.ts';
import { WinePrefixError, ensureWinePrefix } from './wine-prefix.ts';

export interface RuntimeCheck {
  arch: AgentArch;
  runs: boolean;
  /** Not applicable on this host (the Linux agent on Windows or macOS). */
  applicable: boolean;
  execution: AgentExecution | null;
  description: string | null;
  /** From spawn to handshake, with the Wine prefix already made. */
  coldStartMs: number | null;
  startTimeoutMs: number | null;
  winePrefix: string | null;
  /** Why it does not run. */
  problem: string | null;
  /** The commands that make it run. */
  fix: string[];
}

export interface DoctorReport {
  platform: string;
  /** How this machine runs 32-bit x86 programs (Linux): natively, through an emulator, or not at all. */
  ia32: { runs: boolean; via: 'kernel' | 'emulator' | null; emulator: string | null; reason: string | null } | null;
  runtimes: RuntimeCheck[];
  allRun: boolean;
}

const ARCHES: AgentArch[] = ['linux-x64', 'win32-ia32', 'win32-x64'];

function notRunning(arch: AgentArch, problem: string, fix: string[], partial: Partial<RuntimeCheck> = {}): RuntimeCheck {
  return { arch, runs: false, applicable: true, execution: null, description: null, coldStartMs: null, startTimeoutMs: null, winePrefix: null, problem, fix, ...partial };
}

function applicable(arch: AgentArch, platform: NodeJS.Platform, hostArch: string): boolean {
  return arch !== 'linux-x64' || (platform === 'linux' && hostArch === 'x64');
}

/** Starts the runtime of `arch` once and measures it, or says why it cannot start and what fixes it. */
export async function checkRuntime(arch: AgentArch, options: LocateOptions = {}): Promise<RuntimeCheck> {
  const platform = options.platform ?? process.platform;
  if (!applicable(arch, platform, options.hostArch ?? process.arch)) {
    return { ...notRunning(arch, `the Linux agent does not run on ${platform}`, []), applicable: false };
  }
  let runtime;
  try {
    runtime = locateRuntime(arch, { ...options, allowSource: false });
  } catch (error) {
    if (!(error instanceof RuntimeMissingError)) throw error;
    const fix = error.fix.length > 0 ? error.fix : /stage:agents/.test(error.reason) ? ['npm run stage:agents'] : [];
    return notRunning(arch, error.reason, fix);
  }
  const known = { execution: runtime.execution, description: runtime.description, startTimeoutMs: runtime.startTimeoutMs, winePrefix: runtime.wine?.prefix ?? null };
  if (runtime.wine) {
    try {
      await ensureWinePrefix(runtime.wine);
    } catch (error) {
      if (!(error instanceof WinePrefixError)) throw error;
      return notRunning(arch, error.message, [`rm -rf '${runtime.wine.prefix}'`, 'node --import tsx scripts/prepare-wine-prefix.ts'], known);
    }
  }
  const began = performance.now();
  try {
    const { agent } = await AgentProcess.start(runtime);
    const coldStartMs = performance.now() - began;
    await agent.dispose(2000);
    return { arch, runs: true, applicable: true, ...known, coldStartMs, problem: null, fix: [] };
  } catch (error) {
    return notRunning(arch, `the agent did not start: ${(error as Error).message}`, [], known);
  }
}

/** Every runtime, one after the other (they share the machine's cores and the wineserver). */
export async function runDoctor(options: LocateOptions = {}): Promise<DoctorReport> {
  const runtimes: RuntimeCheck[] = [];
  for (const arch of ARCHES) runtimes.push(await checkRuntime(arch, options));
  const platform = options.platform ?? process.platform;
  const support = platform === 'linux' ? ia32Support() : null;
  const ia32 = support && { runs: support.runs, via: support.via, emulator: support.emulator?.version ?? support.emulator?.interpreter ?? null, reason: support.reason };
  return { platform: `${platform}-${options.hostArch ?? process.arch}`, ia32, runtimes, allRun: runtimes.every((r) => r.runs || !r.applicable) };
}
