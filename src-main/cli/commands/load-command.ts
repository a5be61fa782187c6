import { Command, Option } from 'commander';
import { Supervisor } from '../../node-services/agent/supervisor.ts';
import { type AgentArch, type ArchChoice, locateRuntime } from '../../node-services/agent/runtime-locator.ts';
import type { Outcome } from '../../node-services/agent/outcome.ts';
import { loadResultText, outcomeJson, outcomeText } from '../../node-services/agent/format-outcome.ts';
import type { LoadResult } from '../../../src-agent32/protocol/messages.ts';
import { staticCauseOf } from '../../analysis/triage/load-failure-cause.ts';
import { exitCodeAction, exitCodesHelp, positiveInteger, type CliCommand } from '../cli-command.ts';
import { EXIT } from '../usage-error.ts';
import { toJson } from '../write-output.ts';
import { VERSION } from '../../analysis/report/tool-version.ts';

/** --arch for load and call. */
export function archOption(): Option {
  return new Option('--arch <arch>', 'which agent: auto follows the DLL\'s PE machine').choices(['auto', 'x86', 'x64']).default('auto');
}

/** --timeout for load and call. */
export function timeoutOption(description: string): Option {
  return new Option('--timeout <ms>', description).argParser(positiveInteger);
}

/** --start-timeout for load and call: the agent's start deadline, apart from the request's. */
export function startTimeoutOption(): Option {
  return new Option('--start-timeout <ms>', 'how long the agent may take to start (default by how it runs: 10 s native, 30 s under Wine, 90 s under Wine with 32-bit x86 emulated; or THUNK_AGENT_START_TIMEOUT_MS)').argParser(positiveInteger);
}

/** The exit code of a load or call: 5 when no agent could start (not the DLL's fault). */
export function exitCodeOf(outcome: Outcome<unknown>): number {
  if (outcome.kind === 'result') return EXIT.ok;
  return outcome.kind === 'error' && outcome.error.code === 'AGENT_UNAVAILABLE' ? EXIT.agentUnavailable : EXIT.problem;
}

/** The exit codes load and call share, for their help. */
export const AGENT_EXIT_CODES: [number, string][] = [[2, 'usage error'], [3, 'the file could not be read'], [5, 'no agent could start here (the message says why and how to fix it; so does `thunk doctor`)']];

interface LoadOptions {
  arch: ArchChoice;
  timeout?: number;
  startTimeout?: number;
  json?: boolean;
}

/** What the static analysis says is missing, for a load that failed with 126, 127 or 182. */
function causeOf(dll: string, outcome: Outcome<LoadResult>, arch: AgentArch): string | null {
  const osCode = outcome.kind === 'error' ? outcome.error.osCode : undefined;
  if (osCode === undefined || arch === 'linux-x64') return null;
  const winePrefix = process.platform === 'win32' ? null : locateRuntime(arch).wine?.prefix ?? null;
  return staticCauseOf(dll, osCode, { host: arch === 'win32-ia32' ? 'x86' : 'x64', winePrefix, searchDirs: [] });
}

// Under the error line, before the agent line.
function withCause(text: string, cause: string | null): string {
  if (!cause) return text;
  const [first, ...rest] = text.split('\n');
  return [first, `  missing: ${cause} (Thunk's analysis of the same load context)`, ...rest].join('\n');
}

async function runLoad(dll: string, options: LoadOptions): Promise<number> {
  const supervisor = new Supervisor({ pingIntervalMs: 0, handshakeTimeoutMs: options.startTimeout });
  try {
    const arch = supervisor.archFor(dll, options.arch);
    const outcome = await supervisor.load(dll, { arch, timeoutMs: options.timeout });
    const cause = causeOf(dll, outcome, arch);
    if (options.json) process.stdout.write(toJson({ tool: { name: 'thunk', version: VERSION }, command: 'load', dll, arch, ...outcomeJson(outcome), cause }));
    else process.stdout.write(withCause(outcomeText(outcome, loadResultText), cause));
    return exitCodeOf(outcome);
  } finally {
    await supervisor.dispose();
  }
}

/** `thunk load <dll>`. */
export const loadCommand: CliCommand = {
  name: 'load',
  declare: () => new Command('load')
    .summary('load it for real in an agent of its bitness: base, modules, or the error/crash')
    .description('Load the DLL for real, in a disposable agent process of its bitness (under Wine on Linux), and report what the loader said: the base address and the modules it brought in, or the Windows error (126 a dependency is missing, 193 wrong bitness, 1114 DllMain failed, ...), or the crash. For 126, 127 and 182, which Windows does not name, it adds the missing module or function from Thunk\'s analysis of the same load context.')
    .argument('<dll>', 'the DLL to load')
    .addOption(archOption())
    .addOption(timeoutOption('give up on a load that hangs (default 30000)'))
    .addOption(startTimeoutOption())
    .option('--json', 'one JSON document {result|error|crash, cause, agent, logs}')
    .addHelpText('after', exitCodesHelp([[0, 'loaded'], [1, 'not loaded (error or crash)'], ...AGENT_EXIT_CODES]))
    .action(exitCodeAction((dll: string, options: LoadOptions) => runLoad(dll, options))),
};
