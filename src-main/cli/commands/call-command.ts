import { Command, Option } from 'commander';
import type { JsonValue } from '../../../src-agent32/protocol/messages.ts';
import { Supervisor } from '../../node-services/agent/supervisor.ts';
import type { ArchChoice } from '../../node-services/agent/runtime-locator.ts';
import { callResultText, outcomeJson, outcomeText } from '../../node-services/agent/format-outcome.ts';
import { exitCodeAction, exitCodesHelp, positiveInteger, type CliCommand } from '../cli-command.ts';
import { UsageError } from '../usage-error.ts';
import { toJson } from '../write-output.ts';
import { VERSION } from '../../analysis/report/tool-version.ts';
import { AGENT_EXIT_CODES, archOption, exitCodeOf, startTimeoutOption, timeoutOption } from './load-command.ts';

interface CallOptions {
  arch: ArchChoice;
  repeat?: number;
  timeout?: number;
  startTimeout?: number;
  decl?: string;
  minidump?: string;
  json?: boolean;
}

/** A command-line argument as a call argument: JSON when it parses, else the string itself. */
export function parseCallValue(text: string): JsonValue {
  if (/^-?\d+$/.test(text) && !Number.isSafeInteger(Number(text))) return text;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

async function runCall(dll: string, prototype: string, rest: string[], options: CallOptions): Promise<number> {
  if (!prototype.includes('(')) throw new UsageError(`"${prototype}" is not a prototype: write it like "int __stdcall Add(int a, int b)"`);
  const args = rest.map(parseCallValue);
  const supervisor = new Supervisor({ pingIntervalMs: 0, minidumpDir: options.minidump, handshakeTimeoutMs: options.startTimeout });
  try {
    const arch = supervisor.archFor(dll, options.arch);
    const outcome = await supervisor.call(dll, prototype, args, { arch, repeat: options.repeat, timeoutMs: options.timeout, declarations: options.decl });
    if (options.json) process.stdout.write(toJson({ tool: { name: 'thunk', version: VERSION }, command: 'call', dll, prototype, args, arch, ...outcomeJson(outcome) }));
    else process.stdout.write(outcomeText(outcome, (result) => callResultText(result, args)));
    return exitCodeOf(outcome);
  } finally {
    await supervisor.dispose();
  }
}

/** `thunk call <dll> "<prototype>" [args...]`: negative numbers are arguments, not options. */
export const callCommand: CliCommand = {
  name: 'call',
  declare: () => new Command('call')
    .summary('call an export in a disposable agent: value, out params, GetLastError, crash')
    .description('Call one export in a disposable agent process; a crash or hang cannot take Thunk down.')
    .argument('<dll>', 'the DLL')
    .argument('<prototype>', 'the export\'s C prototype, e.g. "int __stdcall Add(int a, int b)"')
    .argument('[args...]', 'arguments: JSON where they parse (2, -1.5, true, null, {"x":1}, [1,2], {"size":64} for an out buffer), else plain strings; 64-bit integers beyond 2^53 stay strings')
    .addOption(archOption())
    .addOption(new Option('--repeat <n>', 'run the call N times and report min/median/max').argParser(positiveInteger))
    .addOption(timeoutOption('kill the agent when the call takes longer (default 30000): reported as hung'))
    .addOption(startTimeoutOption())
    .option('--decl <text>', 'struct/enum/typedef declarations used by the prototype')
    .option('--minidump <dir>', 'on a crash of a Windows DLL, also write a minidump into DIR')
    .option('--json', 'one JSON document {result|error|crash, agent, logs}')
    .addHelpText('after', `\nExample:\n  thunk call vendor32.dll "int __stdcall Add(int a, int b)" 2 3\n${exitCodesHelp([[0, 'the call returned'], [1, 'it failed, crashed or timed out'], ...AGENT_EXIT_CODES])}`)
    .action(exitCodeAction((dll: string, prototype: string, rest: string[], options: CallOptions) => runCall(dll, prototype, rest, options))),
};
