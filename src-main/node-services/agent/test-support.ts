// Test helpers for the agent supervisor: fixtures compiled on demand, runtimes, process counting.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildSync } from 'esbuild';
import { type AgentRuntime, RuntimeMissingError, locateRuntime, projectRoot } from './runtime-locator.ts';
import { Supervisor, type SupervisorOptions } from './supervisor.ts';
import { recordRuntimeUse } from './runtime-ledger.ts';
import { beforeEach, type TestContext } from 'node:test';
import type { Outcome } from './outcome.ts';
import { WINE_BREAKPOINT_STOP } from './agent-process.ts';

export const ROOT = projectRoot();
export const OUT = join(ROOT, 'build', 'agent-supervisor');
const SOURCES = join(ROOT, 'fixtures', 'agent-supervisor');

function newer(output: string, inputs: string[]): boolean {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((input) => statSync(input).mtimeMs <= built);
}

function bundle(entry: string, output: string, inputs: string[]): string {
  mkdirSync(OUT, { recursive: true });
  if (!newer(output, inputs)) {
    buildSync({ entryPoints: [entry], outfile: output, bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['koffi'], logLevel: 'error' });
  }
  return output;
}

/** The stand-in agent (fixtures/agent-supervisor/fake-agent.ts) as a runtime of arch linux-x64. */
export function fakeRuntime(env: Record<string, string> = {}): AgentRuntime {
  const entry = join(SOURCES, 'fake-agent.ts');
  const protocol = ['framing.ts', 'messages.ts', 'validate.ts'].map((f) => join(ROOT, 'src-agent32', 'protocol', f));
  const script = bundle(entry, join(OUT, 'fake-agent.mjs'), [entry, ...protocol]);
  return { arch: 'linux-x64', command: process.execPath, args: [script], env, dir: OUT, wine: null, execution: { kind: 'native' }, startTimeoutMs: 10_000, description: 'fake agent' };
}

/**
 * The real native agent: the staged runtime if there is one, else src-agent32/agent.ts bundled
 * here with esbuild (tsx would add ~0.5 s to every start). Null with a reason when unavailable.
 */
export function nativeRuntime(): { runtime: AgentRuntime | null; reason: string } {
  try {
    const located = locateRuntime('linux-x64', { allowSource: false });
    return { runtime: located, reason: '' };
  } catch (error) {
    if (!(error instanceof RuntimeMissingError)) throw error;
  }
  const entry = join(ROOT, 'src-agent32', 'agent.ts');
  if (!existsSync(entry)) return { runtime: null, reason: 'src-agent32/agent.ts does not exist yet' };
  try {
    const script = bundle(entry, join(OUT, 'agent.mjs'), agentSources());
    return { runtime: { arch: 'linux-x64', command: process.execPath, args: [script], env: {}, dir: OUT, wine: null, execution: { kind: 'native' }, startTimeoutMs: 10_000, description: 'src-agent32/agent.ts (esbuild bundle, host node)' }, reason: '' };
  } catch (error) {
    return { runtime: null, reason: `src-agent32/agent.ts does not bundle: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Every .ts file under src-agent32, tests included. */
export function agentSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts')) files.push(full);
    }
  };
  walk(join(ROOT, 'src-agent32'));
  return files;
}

/** The runtimes that must run (THUNK_REQUIRE_RUNTIMES=native,win32-ia32,win32-x64; "native" is linux-x64). */
export function requiredRuntimes(): Set<string> {
  const names = (process.env.THUNK_REQUIRE_RUNTIMES ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  return new Set(names.map((n) => (n === 'native' ? 'linux-x64' : n)));
}

/**
 * The skip reason for tests of a runtime, from the first reason given; false when they can run.
 * Where the runtime is required (as on our CI machines), a reason fails the test file instead.
 */
export function runtimeSkip(arch: AgentRuntime['arch'], ...reasons: (string | false | null | undefined)[]): string | false {
  const reason = reasons.find((r): r is string => typeof r === 'string' && r.length > 0);
  if (!reason) return false;
  if (requiredRuntimes().has(arch)) throw new Error(`the ${arch} agent runtime is required here (THUNK_REQUIRE_RUNTIMES) but cannot run: ${reason}`);
  return reason;
}

/** A skip reason when the staged runtime of an arch (or Wine for it) is missing, else false (failing where required). */
export function stagedRuntimeSkip(arch: AgentRuntime['arch']): string | false {
  try {
    locateRuntime(arch, { allowSource: false });
    return false;
  } catch (error) {
    if (error instanceof RuntimeMissingError) return runtimeSkip(arch, error.message);
    throw error;
  }
}

/** Records one test as exercising `arch`, for the test run's runtime summary. */
export function exercised(test: { name: string }, arch: AgentRuntime['arch']): void {
  recordRuntimeUse({ kind: 'test', arch, test: test.name });
}

/** Inside a describe: records each of its tests as exercising `arch`, for the test run's runtime summary. */
export function exercisesRuntime(arch: AgentRuntime['arch']): void {
  beforeEach((t) => recordRuntimeUse({ kind: 'test', arch, test: t.name }));
}

/** Runs `body` with a supervisor (no idle pings unless asked) and disposes of it afterwards. */
export async function withSupervisor(options: SupervisorOptions, body: (s: Supervisor) => Promise<void>): Promise<void> {
  const s = new Supervisor({ pingIntervalMs: 0, ...options });
  try {
    await body(s);
  } finally {
    await s.dispose();
  }
}

/** Wine x64's start stop (README, Known problems) outlasted the supervisor's start retries. */
export class WineStartStop extends Error {
  override name = 'WineStartStop';
}

/** Whether an outcome's error is an agent that could not start past Wine x64's DbgBreakPoint stop. */
export function isWineStartStop(error: { code: string; message: string } | null | undefined): boolean {
  return error?.code === 'AGENT_UNAVAILABLE' && WINE_BREAKPOINT_STOP.test(error.message);
}

/** The outcome, unless it is an agent that could not start past Wine x64's DbgBreakPoint stop: then WineStartStop. */
export function pastWineStartStop<T extends Outcome<unknown>>(outcome: T): T {
  if (outcome.kind === 'error' && isWineStartStop(outcome.error)) throw new WineStartStop(outcome.error.message);
  return outcome;
}

/** Ends the test as skipped, naming Wine x64's start stop, with Wine's words about the last start printed. */
export function skipForWineStartStop(t: TestContext, message: string): void {
  console.log(`${t.name}: Wine stopped the agent's starts; the last one said:\n${message.split('\n').map((line) => `    ${line}`).join('\n')}`);
  t.skip('Wine x64 stopped every agent start at DbgBreakPoint for about 40 s: a known Wine problem (README, Known problems); its trace is printed above');
}

/**
 * withSupervisor for agents under Wine: a test that meets Wine x64's start stop (every start for
 * about 40 s) ends as skipped, naming the known problem. Any other failure fails the test.
 */
export async function withSupervisorUnderWine(t: TestContext, options: SupervisorOptions, body: (s: Supervisor) => Promise<void>): Promise<void> {
  try {
    await withSupervisor(options, body);
  } catch (error) {
    if (!(error instanceof WineStartStop)) throw error;
    skipForWineStartStop(t, error.message);
  }
}

/** gcc-built libsupervised.so, or null with the reason. */
export function nativeFixture(): { path: string | null; reason: string } {
  const source = join(SOURCES, 'supervised.c');
  const output = join(OUT, 'libsupervised.so');
  mkdirSync(OUT, { recursive: true });
  if (newer(output, [source])) return { path: output, reason: '' };
  const run = spawnSync('gcc', ['-shared', '-fPIC', '-O1', '-o', output, source], { encoding: 'utf8' });
  if (run.status !== 0) return { path: null, reason: `gcc failed (${run.error?.message ?? run.stderr.trim()}): apt-get install gcc` };
  return { path: output, reason: '' };
}

export type WinArch = 'x86' | 'x64';
export interface WinFixtures {
  supervised: string;
  initFails: string;
  needsAbsent: string;
}

const MINGW: Record<WinArch, string> = { x86: 'i686-w64-mingw32-gcc', x64: 'x86_64-w64-mingw32-gcc' };

/** MinGW-built fixture DLLs for one bitness, or null with the reason. */
export function windowsFixtures(arch: WinArch): { dlls: WinFixtures | null; reason: string } {
  const dir = join(OUT, arch);
  mkdirSync(dir, { recursive: true });
  const gcc = MINGW[arch];
  const dll = (name: string) => join(dir, `${name}.dll`);
  try {
    const build = (name: string, extra: string[] = []) => {
      const source = join(SOURCES, `${name}.c`);
      if (!newer(dll(name), [source])) execFileSync(gcc, ['-shared', '-O1', '-o', dll(name), source, ...extra], { stdio: 'pipe' });
    };
    build('supervised');
    build('init-fails');
    const implib = join(dir, 'libabsent.a');
    if (!existsSync(implib) || !newer(dll('needs-absent'), [join(SOURCES, 'needs-absent.c')])) {
      execFileSync(gcc, ['-shared', '-o', join(dir, 'absent.tmp.dll'), join(SOURCES, 'absent.c'), `-Wl,--out-implib,${implib}`], { stdio: 'pipe' });
      rmSync(join(dir, 'absent.tmp.dll'), { force: true });
      execFileSync(gcc, ['-shared', '-o', dll('needs-absent'), join(SOURCES, 'needs-absent.c'), implib], { stdio: 'pipe' });
    }
  } catch (error) {
    return { dlls: null, reason: `${gcc} failed: ${(error as Error).message.split('\n')[0]} (apt-get install gcc-mingw-w64)` };
  }
  return { dlls: { supervised: dll('supervised'), initFails: dll('init-fails'), needsAbsent: dll('needs-absent') }, reason: '' };
}

/** Pids of this process' live descendant agents (Linux /proc; tsx's esbuild service is not one). */
export function descendantPids(root = process.pid): number[] {
  return allDescendants(root).filter((pid) => {
    try {
      return /agent|node\.exe|wine/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
}

function allDescendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) if (parent === pid) (found.push(child), walk(child));
  };
  walk(root);
  return found;
}

/** Resident set size of a process in KiB. */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

/** A full garbage collection, so heap samples compare live objects only. */
export function forceGc(): void {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Memory growth over `batches` batches (25 by default) of calls after 5 warm-up batches: the host's heap and the agent's
 * RSS, in MiB, both measured after a GC.
 */
export async function memoryGrowthOver(batch: () => Promise<void>, agentPid: () => number, batches = 25): Promise<{ hostMiB: number; agentMiB: number }> {
  for (let i = 0; i < 5; i++) await batch();
  forceGc();
  const pid = agentPid();
  const host0 = process.memoryUsage().heapUsed;
  const agent0 = rssKiB(pid);
  for (let i = 0; i < batches; i++) await batch();
  forceGc();
  return { hostMiB: (process.memoryUsage().heapUsed - host0) / 2 ** 20, agentMiB: (rssKiB(pid) - agent0) / 1024 };
}
