import type { JsonValue } from '../../../src-agent32/protocol/messages.ts';
import { Supervisor } from '../../agent/supervisor.ts';
import { callResultText, outcomeJson, outcomeText } from '../../agent/format-outcome.ts';
import { EXIT, UsageError } from '../usage-error.ts';
import { exitCodeOf } from './load-command.ts';
import { toJson } from '../write-output.ts';
import { VERSION } from '../version.ts';
import { parseArch, parseCount } from './load-command.ts';

export const CALL_USAGE = `Usage: thunk call <dll> "<prototype>" [args...] [options]

Calls one export in a disposable agent process; a crash or hang cannot take Thunk down.
  e.g. thunk call vendor32.dll "int __stdcall Add(int a, int b)" 2 3
Arguments are JSON where they parse (2, -1.5, true, null, {"x":1}, [1,2], {"size":64} for an out
buffer), else plain strings; 64-bit integers beyond 2^53 stay strings. Negative numbers are values.
  --arch auto|x86|x64   which agent: auto (default) follows the DLL's PE machine
  --repeat N            run the call N times and report min/median/max
  --timeout MS          kill the agent when the call takes longer (default 30000): reported as hung
  --start-timeout MS    how long the agent may take to start (default by how it runs: 10 s native,
                        30 s under Wine, 90 s under Wine with 32-bit x86 emulated; or
                        THUNK_AGENT_START_TIMEOUT_MS)
  --decl TEXT           struct/enum/typedef declarations used by the prototype
  --minidump DIR        on a crash of a Windows DLL, also write a minidump into DIR
  --json                one JSON document {result|error|crash, agent, logs}
Exit codes: 0 the call returned, 1 it failed, crashed or timed out, 2 usage error, 3 unreadable file,
4 the agent could not start here (\`thunk doctor\` says why and how to fix it).`;

interface CallArgs {
  positionals: string[];
  arch?: string;
  repeat?: string;
  timeout?: string;
  'start-timeout'?: string;
  decl?: string;
  minidump?: string;
  json: boolean;
  help: boolean;
}

const VALUE_OPTIONS = new Set(['arch', 'repeat', 'timeout', 'start-timeout', 'decl', 'minidump']);

// Hand-rolled so that "-1" is an argument of the call, not an unknown option.
function parseCallArgs(args: string[]): CallArgs {
  const parsed: CallArgs = { positionals: [], json: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      parsed.positionals.push(...args.slice(i + 1));
      break;
    }
    const option = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (arg === '-h' || arg === '--help') parsed.help = true;
    else if (arg === '--json') parsed.json = true;
    else if (option && VALUE_OPTIONS.has(option[1]!)) {
      const value = option[2] ?? args[++i];
      if (value === undefined) throw new UsageError(`--${option[1]} needs a value`, CALL_USAGE);
      parsed[option[1] as 'arch'] = value;
    } else if (/^-[^\d.]/.test(arg)) throw new UsageError(`unknown option ${arg}`, CALL_USAGE);
    else parsed.positionals.push(arg);
  }
  return parsed;
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

/** `thunk call`: returns the exit code. */
export async function runCall(argv: string[]): Promise<number> {
  const parsed = parseCallArgs(argv);
  if (parsed.help) {
    process.stdout.write(`${CALL_USAGE}\n`);
    return EXIT.ok;
  }
  const [dll, prototype, ...rest] = parsed.positionals;
  if (!dll || !prototype) throw new UsageError('name a DLL and a prototype', CALL_USAGE);
  if (!prototype.includes('(')) throw new UsageError(`"${prototype}" is not a prototype: write it like "int __stdcall Add(int a, int b)"`, CALL_USAGE);
  const choice = parseArch(parsed.arch, CALL_USAGE);
  const repeat = parseCount('--repeat', parsed.repeat, CALL_USAGE);
  const timeoutMs = parseCount('--timeout', parsed.timeout, CALL_USAGE);
  const args = rest.map(parseCallValue);
  const handshakeTimeoutMs = parseCount('--start-timeout', parsed['start-timeout'], CALL_USAGE);
  const supervisor = new Supervisor({ pingIntervalMs: 0, minidumpDir: parsed.minidump, handshakeTimeoutMs });
  try {
    const arch = supervisor.archFor(dll, choice);
    const outcome = await supervisor.call(dll, prototype, args, { arch, repeat, timeoutMs, declarations: parsed.decl });
    if (parsed.json) process.stdout.write(toJson({ tool: { name: 'thunk', version: VERSION }, command: 'call', dll, prototype, args, arch, ...outcomeJson(outcome) }));
    else process.stdout.write(outcomeText(outcome, (result) => callResultText(result, args)));
    return exitCodeOf(outcome);
  } finally {
    await supervisor.dispose();
  }
}
