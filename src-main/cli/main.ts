import { Command, CommanderError } from 'commander';
import { triageCommand } from './commands/triage-command.ts';
import { exportsCommand } from './commands/exports-command.ts';
import { loadCommand } from './commands/load-command.ts';
import { callCommand } from './commands/call-command.ts';
import { verifyCommand } from './commands/verify-command.ts';
import { doctorCommand } from './commands/doctor-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { compareCommand } from './commands/compare-command.ts';
import { FileAccessError, NotPeError } from '../analysis/pe/parse-pe.ts';
import { takeExitCode, type CliCommand } from './cli-command.ts';
import { EXIT, OutputError, UsageError } from './usage-error.ts';
import { VERSION } from '../analysis/report/tool-version.ts';

/** Every CLI command: adding one is a module under commands/ and a line here. */
const COMMANDS: CliCommand[] = [triageCommand, exportsCommand, loadCommand, callCommand, verifyCommand, doctorCommand, serveCommand, compareCommand];

// Commander's messages ("error: unknown option '--hots'") become "thunk triage: unknown option ...".
function configure(command: Command, path: string): Command {
  return command
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError(`Run \`${path} --help\` for its options.`)
    .configureOutput({ outputError: (text, write) => write(`${path}: ${text.replace(/^error: /, '')}`) });
}

function program(): Command {
  const root = configure(new Command('thunk'), 'thunk')
    .description('Why a Windows DLL will or will not load, and what it exports.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpCommand('help [command]', "show a command's help")
    .addHelpText('after', `\nRun \`thunk help <command>\` or \`thunk <command> --help\` for a command's options and exit codes.`);
  for (const declaration of COMMANDS) root.addCommand(configure(declaration.declare(), `thunk ${declaration.name}`));
  return root;
}

function report(error: unknown, command: string): number {
  if (error instanceof CommanderError) {
    // Help and version were printed by commander; everything else is a usage error it explained.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`${command}: ${error.message}\nRun \`${command} --help\` for its options.\n`);
    return EXIT.usage;
  }
  if (error instanceof OutputError || error instanceof FileAccessError) {
    process.stderr.write(`thunk: ${error.message}\n`);
    return EXIT.unreadable;
  }
  if (error instanceof NotPeError) {
    process.stderr.write(`thunk: ${error.message}\n`);
    return EXIT.problem;
  }
  process.stderr.write(`thunk: internal error: ${(error as Error)?.stack ?? String(error)}\nPlease report this with the file that caused it.\n`);
  return EXIT.problem;
}

async function run(argv: string[]): Promise<number> {
  const root = program();
  if (argv.length === 0) {
    root.outputHelp();
    return EXIT.usage;
  }
  const known = COMMANDS.find((c) => c.name === argv[0]);
  try {
    await root.parseAsync(argv, { from: 'user' });
    return takeExitCode();
  } catch (error) {
    return report(error, known ? `thunk ${known.name}` : 'thunk');
  }
}

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
