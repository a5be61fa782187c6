// What a Supervisor is configured with, what it emits and what it reports: the public types.
import type { AgentExit, SpawnAgent } from './agent-process.ts';
import type { BreakerOptions, BreakerSnapshot, BreakerState } from './circuit-breaker.ts';
import { DEFAULT_BREAKER } from './circuit-breaker.ts';
import type { CallingConvention } from '../../../src-agent32/protocol/messages.ts';
import type { CrashReport, OutcomeError } from './outcome.ts';
import { type AgentArch, type AgentExecution, type AgentRuntime, type ArchChoice, locateRuntime } from './runtime-locator.ts';
import { ensureWinePrefix } from './wine-prefix.ts';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1: the share of each delay that is randomised away. */
  jitter: number;
}

export interface SupervisorOptions {
  locate?: (arch: AgentArch) => AgentRuntime;
  /** Runs before each start, e.g. creating the Wine prefix. */
  prepare?: (runtime: AgentRuntime) => Promise<void>;
  spawnAgent?: SpawnAgent;
  handshakeTimeoutMs?: number;
  /** How long an agent that reported a crash may live on without answering before it is killed (default 5 s). */
  crashExitGraceMs?: number;
  /** Per-request deadline, counted from when the agent starts on it. */
  timeoutMs?: number;
  maxQueue?: number;
  /** Requests sent ahead to an agent (it runs them one at a time). */
  maxInFlight?: number;
  backoff?: BackoffOptions;
  /** Pauses before starting again an agent that died before its handshake; their count bounds the starts. */
  startRetryPausesMs?: readonly number[];
  breaker?: BreakerOptions;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
  /** Folder for a minidump of each crash (Windows agents; passed to them as THUNK_MINIDUMP_DIR). */
  minidumpDir?: string;
}

type OptionalSettings = 'spawnAgent' | 'handshakeTimeoutMs' | 'crashExitGraceMs' | 'minidumpDir';
export type ResolvedOptions = Required<Omit<SupervisorOptions, OptionalSettings>> & Pick<SupervisorOptions, OptionalSettings>;

/** Seven starts over about 40 s: Wine x64 has stopped new agents at DbgBreakPoint for 26 s in a row (README, Known problems). */
export const START_RETRY_PAUSES_MS: readonly number[] = [250, 1000, 2500, 5000, 10_000, 20_000];

export function resolveOptions(options: SupervisorOptions): ResolvedOptions {
  return {
    locate: (arch) => locateRuntime(arch),
    prepare: async (runtime) => (runtime.wine ? ensureWinePrefix(runtime.wine) : undefined),
    timeoutMs: 30_000,
    maxQueue: 1000,
    maxInFlight: 64,
    backoff: { baseMs: 100, maxMs: 5000, jitter: 0.5 },
    startRetryPausesMs: START_RETRY_PAUSES_MS,
    breaker: DEFAULT_BREAKER,
    pingIntervalMs: 10_000,
    pingTimeoutMs: 5000,
    random: Math.random,
    now: Date.now,
    ...options,
  };
}

export type ArchOption = ArchChoice | AgentArch;

export interface LoadOptions {
  arch?: ArchOption;
  flags?: number;
  searchDirs?: string[];
  timeoutMs?: number;
}

export interface CallOptions {
  arch?: ArchOption;
  repeat?: number;
  timeoutMs?: number;
  declarations?: string;
  convention?: CallingConvention;
  /** Load flags if the call has to load the DLL first. */
  load?: Omit<LoadOptions, 'arch' | 'timeoutMs'>;
}

export interface SupervisorEvents {
  log: [{ arch: AgentArch; dll: string | null; stream: 'stdout' | 'stderr'; text: string }];
  crash: [{ arch: AgentArch; dll: string | null; crash: CrashReport }];
  exit: [{ arch: AgentArch; pid: number | null; exit: AgentExit }];
  start: [{ arch: AgentArch; pid: number | null; runtime: string; execution: AgentExecution['kind']; startMs: number }];
  restart: [{ arch: AgentArch; attempt: number; delayMs: number }];
  breaker: [{ dll: string; state: BreakerState }];
  progress: [{ arch: AgentArch; dll: string | null; done: number; total: number }];
  restoreFailed: [{ arch: AgentArch; dll: string; error: OutcomeError }];
}

export type SlotState = 'stopped' | 'starting' | 'ready' | 'backoff';

export interface ArchStatus {
  arch: AgentArch;
  state: SlotState;
  pid: number | null;
  runtime: string | null;
  execution: AgentExecution['kind'] | null;
  queued: number;
  inFlight: number;
  starts: number;
  crashes: number;
  timeouts: number;
  consecutiveFailures: number;
  modules: string[];
  lastExit: AgentExit | null;
}

export interface SupervisorStatus {
  agents: ArchStatus[];
  breakers: BreakerSnapshot[];
}
