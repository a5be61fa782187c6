import { parseArgs } from 'node:util';
import { type DoctorReport, type RuntimeCheck, runDoctor } from '../../agent/runtime-doctor.ts';
import { describeExecution } from '../../agent/wine-launcher.ts';
import { EXIT, UsageError } from '../usage-error.ts';
import { toJson } from '../write-output.ts';
import { VERSION } from '../version.ts';

export const DOCTOR_USAGE = `Usage: thunk doctor [--json]

Checks every agent runtime Thunk can use here (the host's own Node for .so files, the 32-bit and
the 64-bit Windows Node), starting each once: whether it runs and how (natively, under Wine, or under
Wine with 32-bit x86 emulated by qemu), its cold start, the Wine prefix, and for each one that
cannot run, why and the commands that fix it.
  --json   one JSON document {platform, ia32, runtimes[], allRun}
Exit codes: 0 every runtime runs, 1 at least one does not, 2 usage error.`;

function runtimeLines(check: RuntimeCheck): string[] {
  if (!check.applicable) return [`${check.arch}: not used on this host (${check.problem})`];
  if (check.runs) {
    return [
      `${check.arch}: runs ${check.execution ? describeExecution(check.execution) : ''}, cold start ${check.coldStartMs!.toFixed(0)} ms (start deadline ${(check.startTimeoutMs! / 1000).toFixed(0)} s)`,
      `  runtime: ${check.description}`,
      ...(check.winePrefix ? [`  Wine prefix: ${check.winePrefix}`] : []),
    ];
  }
  return [`${check.arch}: DOES NOT RUN: ${check.problem}`, ...check.fix.map((command, i) => `  ${i === 0 ? 'fix:' : '    '} ${command}`)];
}

/** The doctor's report as text. */
export function doctorText(report: DoctorReport): string {
  const lines = [`thunk ${VERSION} on ${report.platform}`];
  if (report.ia32) {
    const { runs, via, emulator, reason } = report.ia32;
    lines.push(`32-bit x86 programs: ${runs ? (via === 'emulator' ? `run through ${emulator}` : 'run natively') : `do not run (${reason})`}`);
  }
  lines.push('', ...report.runtimes.flatMap(runtimeLines), '');
  lines.push(report.allRun ? 'Every agent runtime runs here.' : 'Some agent runtimes do not run here: DLLs of that bitness can be analysed but not loaded or called.');
  return `${lines.join('\n')}\n`;
}

/** `thunk doctor`: returns the exit code. */
export async function runDoctorCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${DOCTOR_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`doctor takes no file names, got "${positionals[0]}"`, DOCTOR_USAGE);
  const report = await runDoctor();
  process.stdout.write(values.json ? toJson({ tool: { name: 'thunk', version: VERSION }, command: 'doctor', ...report }) : doctorText(report));
  return report.allRun ? EXIT.ok : EXIT.problem;
}
