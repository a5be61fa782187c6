import { parseArgs } from 'node:util';
import { Supervisor } from '../../agent/supervisor.ts';
import type { ArchChoice } from '../../agent/runtime-locator.ts';
import { loadResultText, outcomeJson, outcomeText } from '../../agent/format-outcome.ts';
import { EXIT, UsageError } from '../usage-error.ts';
import { toJson } from '../write-output.ts';
import { VERSION } from '../version.ts';

export const LOAD_USAGE = `Usage: thunk load <dll> [--arch auto|x86|x64] [--timeout MS] [--json]

Loads the DLL for real, in a disposable agent process of its bitness (under Wine on Linux), and
reports what the loader said: the base address and the modules it brought in, or the Windows error
(126 a dependency is missing, 193 wrong bitness, 1114 DllMain failed, ...), or the crash.
  --arch auto|x86|x64   which agent: auto (default) follows the DLL's PE machine
  --timeout MS          give up on a load that hangs (default 30000)
  --json                one JSON document {result|error|crash, agent, logs}
Exit codes: 0 loaded, 1 not loaded (error or crash), 2 usage error, 3 the file could not be read.`;

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

/** `thunk load`: returns the exit code. */
export async function runLoad(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { arch: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${LOAD_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('name exactly one DLL', LOAD_USAGE);
  const dll = positionals[0]!;
  const choice = parseArch(values.arch, LOAD_USAGE);
  const timeoutMs = parseCount('--timeout', values.timeout, LOAD_USAGE);
  const supervisor = new Supervisor({ pingIntervalMs: 0 });
  try {
    const arch = supervisor.archFor(dll, choice);
    const outcome = await supervisor.load(dll, { arch, timeoutMs });
    if (values.json) process.stdout.write(toJson({ tool: { name: 'thunk', version: VERSION }, command: 'load', dll, arch, ...outcomeJson(outcome) }));
    else process.stdout.write(outcomeText(outcome, loadResultText));
    return outcome.kind === 'result' ? EXIT.ok : EXIT.problem;
  } finally {
    await supervisor.dispose();
  }
}
