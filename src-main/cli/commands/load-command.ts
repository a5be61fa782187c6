import { parseArgs } from 'node:util';
import { Supervisor } from '../../agent/supervisor.ts';
import { type AgentArch, type ArchChoice, locateRuntime } from '../../agent/runtime-locator.ts';
import type { Outcome } from '../../agent/outcome.ts';
import type { LoadResult } from '../../../src-agent32/protocol/messages.ts';
import { staticCauseOf } from '../../triage/load-failure-cause.ts';
import { loadResultText, outcomeJson, outcomeText } from '../../agent/format-outcome.ts';
import { EXIT, UsageError } from '../usage-error.ts';
import { toJson } from '../write-output.ts';
import { VERSION } from '../version.ts';

export const LOAD_USAGE = `Usage: thunk load <dll> [--arch auto|x86|x64] [--timeout MS] [--start-timeout MS] [--json]

Loads the DLL for real, in a disposable agent process of its bitness (under Wine on Linux), and
reports what the loader said: the base address and the modules it brought in, or the Windows error
(126 a dependency is missing, 193 wrong bitness, 1114 DllMain failed, ...), or the crash. For 126
and 127, which Windows does not name, it adds the missing module or function from Thunk's analysis
of the same load context.
  --arch auto|x86|x64   which agent: auto (default) follows the DLL's PE machine
  --timeout MS          give up on a load that hangs (default 30000)
  --start-timeout MS    how long the agent may take to start (default by how it runs: 10 s native,
                        30 s under Wine, 90 s under Wine with 32-bit x86 emulated)
  --json                one JSON document {result|error|crash, cause, agent, logs}
Exit codes: 0 loaded, 1 not loaded (error or crash), 2 usage error, 3 the file could not be read,
4 the agent could not start here (\`thunk doctor\` says why and how to fix it).`;

/** 0 for a result; 4 when no agent could start (not the DLL's fault); 1 for every other failure. */
export function exitCodeOf(outcome: Outcome<unknown>): number {
  if (outcome.kind === 'result') return EXIT.ok;
  return outcome.kind === 'error' && outcome.error.code === 'AGENT_UNAVAILABLE' ? EXIT.agentUnavailable : EXIT.problem;
}

/** What the static analysis says is missing, for a load that failed with 126, 127 or 182. */
function causeOf(dll: string, outcome: Outcome<LoadResult>, arch: AgentArch): string | null {
  const osCode = outcome.kind === 'error' ? outcome.error.osCode : undefined;
  if (osCode === undefined || arch === 'linux-x64') return null;
  const winePrefix = process.platform === 'win32' ? null : locateRuntime(arch).wine?.prefix ?? null;
  return staticCauseOf(dll, osCode, { host: arch === 'win32-ia32' ? 'x86' : 'x64', winePrefix, searchDirs: [] });
}

/** Parses --arch for load and call. */
export function parseArch(value: string | undefined, usage: string): ArchChoice {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'x86' || value === 'x64') return value;
  throw new UsageError(`--arch must be auto, x86 or x64, not "${value}"`, usage);
}

/** Parses a positive integer option. */
export function parseCount(name: string, value: string | undefined, usage: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} must be a positive integer, not "${value}"`, usage);
  return Number(value);
}

// Under the error line, before the agent line.
function withCause(text: string, cause: string | null): string {
  if (!cause) return text;
  const [first, ...rest] = text.split('\n');
  return [first, `  missing: ${cause} (Thunk's analysis of the same load context)`, ...rest].join('\n');
}

/** `thunk load`: returns the exit code. */
export async function runLoad(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { arch: { type: 'string' }, timeout: { type: 'string' }, 'start-timeout': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${LOAD_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('name exactly one DLL', LOAD_USAGE);
  const dll = positionals[0]!;
  const choice = parseArch(values.arch, LOAD_USAGE);
  const timeoutMs = parseCount('--timeout', values.timeout, LOAD_USAGE);
  const handshakeTimeoutMs = parseCount('--start-timeout', values['start-timeout'], LOAD_USAGE);
  const supervisor = new Supervisor({ pingIntervalMs: 0, handshakeTimeoutMs });
  try {
    const arch = supervisor.archFor(dll, choice);
    const outcome = await supervisor.load(dll, { arch, timeoutMs });
    const cause = causeOf(dll, outcome, arch);
    if (values.json) process.stdout.write(toJson({ tool: { name: 'thunk', version: VERSION }, command: 'load', dll, arch, ...outcomeJson(outcome), cause }));
    else process.stdout.write(withCause(outcomeText(outcome, loadResultText), cause));
    return exitCodeOf(outcome);
  } finally {
    await supervisor.dispose();
  }
}
