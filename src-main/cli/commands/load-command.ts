import { Command, Option } from 'commander';
import { Supervisor } from '../../agent/supervisor.ts';
import type { ArchChoice } from '../../agent/runtime-locator.ts';
import { loadResultText, outcomeJson, outcomeText } from '../../agent/format-outcome.ts';
import { exitCodeAction, exitCodesHelp, positiveInteger, type CliCommand } from '../cli-command.ts';
import { EXIT } from '../usage-error.ts';
import { toJson } from '../write-output.ts';
import { VERSION } from '../version.ts';

/** --arch for load and call. */
export function archOption(): Option {
  return new Option('--arch <arch>', 'which agent: auto follows the DLL\'s PE machine').choices(['auto', 'x86', 'x64']).default('auto');
}

/** --timeout for load and call. */
export function timeoutOption(description: string): Option {
  return new Option('--timeout <ms>', description).argParser(positiveInteger);
}

interface LoadOptions {
  arch: ArchChoice;
  timeout?: number;
  json?: boolean;
}

async function runLoad(dll: string, options: LoadOptions): Promise<number> {
  const supervisor = new Supervisor({ pingIntervalMs: 0 });
  try {
    const arch = supervisor.archFor(dll, options.arch);
    const outcome = await supervisor.load(dll, { arch, timeoutMs: options.timeout });
    if (options.json) process.stdout.write(toJson({ tool: { name: 'thunk', version: VERSION }, command: 'load', dll, arch, ...outcomeJson(outcome) }));
    else process.stdout.write(outcomeText(outcome, loadResultText));
    return outcome.kind === 'result' ? EXIT.ok : EXIT.problem;
  } finally {
    await supervisor.dispose();
  }
}

/** `thunk load <dll>`. */
export const loadCommand: CliCommand = {
  name: 'load',
  declare: () => new Command('load')
    .summary('load it for real in an agent of its bitness: base, modules, or the error/crash')
    .description('Load the DLL for real, in a disposable agent process of its bitness (under Wine on Linux), and report what the loader said: the base address and the modules it brought in, or the Windows error (126 a dependency is missing, 193 wrong bitness, 1114 DllMain failed, ...), or the crash.')
    .argument('<dll>', 'the DLL to load')
    .addOption(archOption())
    .addOption(timeoutOption('give up on a load that hangs (default 30000)'))
    .option('--json', 'one JSON document {result|error|crash, agent, logs}')
    .addHelpText('after', exitCodesHelp([[0, 'loaded'], [1, 'not loaded (error or crash)'], [2, 'usage error'], [3, 'the file could not be read']]))
    .action(exitCodeAction((dll: string, options: LoadOptions) => runLoad(dll, options))),
};
