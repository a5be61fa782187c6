import { runTriage, TRIAGE_USAGE } from './commands/triage-command.ts';
import { runExports } from './commands/exports-command.ts';
import { runLoad } from './commands/load-command.ts';
import { runCall } from './commands/call-command.ts';
import { runServe } from './commands/serve-command.ts';
import { FileAccessError, NotPeError } from '../pe/parse-pe.ts';
import { EXIT, UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';

type Command = (args: string[]) => number | Promise<number>;

/** Every CLI command, by name. */
const COMMANDS: Record<string, Command> = {
  triage: runTriage,
  exports: runExports,
  load: runLoad,
  call: runCall,
  serve: runServe,
};

const USAGE = `thunk ${VERSION}: why a Windows DLL will or will not load, and what it exports

Usage: thunk <command> [options]

Commands:
  triage <files|folders...>   load verdicts (32/64-bit), root cause and fix, findings, report (--json/--md/--html)
  exports <file>              list exports (--json, --demangle)
  load <dll>                  load it for real in an agent of its bitness: base, modules, or the error/crash
  call <dll> "<proto>" args   call an export in a disposable agent: value, out params, GetLastError, crash
  serve                       the UI in a browser on this machine (--port, --open)

Run \`thunk <command> --help\` for a command's options.

${TRIAGE_USAGE.split('\n').slice(-1)[0]}`;

async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"`, USAGE);
  return command(args);
}

function report(error: unknown): number {
  if (error instanceof UsageError || (error as NodeJS.ErrnoException)?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    process.stderr.write(`thunk: ${(error as Error).message}\n${error instanceof UsageError && error.usage ? `\n${error.usage}\n` : ''}`);
    return EXIT.usage;
  }
  if (error instanceof FileAccessError) {
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

run(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => { process.exitCode = report(error); },
);
