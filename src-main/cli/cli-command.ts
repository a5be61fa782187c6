import { Command, InvalidArgumentError, Option } from 'commander';

/**
 * One `thunk` command: a module under cli/commands/ exports one of these, and main.ts lists it.
 * `declare` builds the commander declaration (arguments, options, help); its action returns the
 * exit code, which `exitCodeAction` hands back to main.
 */
export interface CliCommand {
  name: string;
  declare(): Command;
}

let lastExitCode = 0;

/** Wraps a command's handler so that its returned exit code reaches main. */
export function exitCodeAction<A extends unknown[]>(handler: (...args: A) => number | Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    lastExitCode = await handler(...args);
  };
}

/** The exit code the command that ran returned. */
export function takeExitCode(): number {
  const code = lastExitCode;
  lastExitCode = 0;
  return code;
}

/** The "Exit codes:" paragraph of a command's help. */
export function exitCodesHelp(codes: [number, string][]): string {
  return `\nExit codes:\n${codes.map(([code, meaning]) => `  ${code}  ${meaning}`).join('\n')}\n`;
}

/** A value option that may be given several times, each value one of `choices` when given. */
export function repeatable(flags: string, description: string, choices?: readonly string[]): Option {
  const option = new Option(flags, choices ? `${description} (${choices.join(', ')})` : description);
  return option.argParser((value: string, previous: string[] | undefined) => {
    if (choices && !choices.includes(value)) throw new InvalidArgumentError(`It must be one of ${choices.join(', ')}.`);
    return [...(previous ?? []), value];
  });
}

/** A positive integer option value. */
export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('It must be a positive whole number.');
  return Number(value);
}
