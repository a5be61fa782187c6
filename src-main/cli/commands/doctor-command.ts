import { Command } from 'commander';
import { type DoctorReport, type RuntimeCheck, runDoctor } from '../../node-services/agent/runtime-doctor.ts';
import { describeExecution } from '../../node-services/agent/wine-launcher.ts';
import { exitCodeAction, exitCodesHelp, type CliCommand } from '../cli-command.ts';
import { EXIT } from '../usage-error.ts';
import { toJson } from '../write-output.ts';
import { VERSION } from '../../analysis/report/tool-version.ts';

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

async function runDoctorCommand(options: { json?: boolean }): Promise<number> {
  const report = await runDoctor();
  process.stdout.write(options.json ? toJson({ tool: { name: 'thunk', version: VERSION }, command: 'doctor', ...report }) : doctorText(report));
  return report.allRun ? EXIT.ok : EXIT.problem;
}

/** `thunk doctor`. */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  declare: () => new Command('doctor')
    .summary('which agent runtimes run here and how (native, Wine, Wine under qemu), and fixes')
    .description('Check every agent runtime Thunk can use here (the host\'s own Node for .so files, the 32-bit and the 64-bit Windows Node), starting each once: whether it runs and how (natively, under Wine, or under Wine with 32-bit x86 emulated by qemu), its cold start, the Wine prefix, and for each one that cannot run, why and the commands that fix it.')
    .option('--json', 'one JSON document {platform, ia32, runtimes[], allRun}')
    .addHelpText('after', exitCodesHelp([[0, 'every runtime runs'], [1, 'at least one does not'], [2, 'usage error']]))
    .action(exitCodeAction((options: { json?: boolean }) => runDoctorCommand(options))),
};
