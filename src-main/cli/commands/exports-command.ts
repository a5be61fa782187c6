import { Command } from 'commander';
import { parsePeFile } from '../../analysis/pe/parse-pe.ts';
import { exportRows } from '../../analysis/report/build-file-report.ts';
import { SCHEMA_VERSION, type ExportRow } from '../../analysis/report/report-document.ts';
import { hex } from '../../analysis/report/report-format.ts';
import { exitCodeAction, exitCodesHelp, type CliCommand } from '../cli-command.ts';
import { EXIT } from '../usage-error.ts';
import { toJson, writeOutput } from '../write-output.ts';
import { VERSION } from '../../analysis/report/tool-version.ts';

interface ExportsOptions {
  json?: boolean;
  demangle?: boolean;
  out?: string;
}

/** "__stdcall, 8 bytes of arguments" for a decorated C name; null for others. */
export function decorationMeaning(row: ExportRow): string | null {
  if (!row.callingConvention) return null;
  const bytes = row.argumentBytes === undefined ? '' : `, ${row.argumentBytes} bytes of arguments`;
  return `__${row.callingConvention}${bytes}`;
}

function nameColumn(row: ExportRow, demangle: boolean): string {
  if (row.name === undefined) return '(by ordinal)';
  if (!demangle || !row.demangled) {
    const meaning = demangle ? decorationMeaning(row) : null;
    return meaning ? `${row.name}  (${meaning})` : row.name;
  }
  const meaning = decorationMeaning(row);
  return `${row.name}  →  ${row.demangled}${meaning ? `  (${meaning})` : ''}`;
}

function textTable(rows: ExportRow[], demangle: boolean): string {
  const lines = [`ordinal  rva/forwarder             name${demangle ? '  →  undecorated  (calling convention)' : ''}`];
  for (const row of rows) {
    const target = row.forwarder ? `-> ${row.forwarder}` : row.rva !== undefined ? `${hex(row.rva)} ${row.kind}` : '';
    lines.push(`${String(row.ordinal).padStart(7)}  ${target.padEnd(24)}  ${nameColumn(row, demangle)}`);
  }
  return `${lines.join('\n')}\n`;
}

function runExports(file: string, options: ExportsOptions): number {
  const image = parsePeFile(file, { details: false, entropy: false });
  const rows = exportRows(image).map((row) => (options.demangle ? row : { ...row, demangled: undefined, callingConvention: undefined, argumentBytes: undefined }));
  if (options.json) {
    writeOutput(toJson({ schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: VERSION }, file, machine: image.machine, dllName: image.exports?.dllName ?? null, exports: rows }), options.out);
  } else {
    writeOutput(textTable(rows, options.demangle ?? false), options.out);
  }
  for (const issue of image.issues) process.stderr.write(`thunk: malformed ${issue.structure}${issue.offset !== null ? ` at ${hex(issue.offset)}` : ''}: ${issue.message}\n`);
  return EXIT.ok;
}

/** `thunk exports <file>`. */
export const exportsCommand: CliCommand = {
  name: 'exports',
  declare: () => new Command('exports')
    .summary('list exports (--json, --demangle)')
    .description("List a DLL's exports: ordinal, RVA (code or data) or forwarder, and name.")
    .argument('<file>', 'the DLL (or EXE)')
    .option('--json', 'one JSON document {schemaVersion, file, machine, exports[]}')
    .option('--demangle', 'also show undecorated names (C++ MSVC and Itanium, 32-bit C decorations) beside the raw name, with the calling convention a C decoration states')
    .option('--out <file>', 'write to FILE instead of stdout')
    .addHelpText('after', exitCodesHelp([[0, 'listed'], [1, 'not a PE file'], [2, 'usage error'], [3, 'the file could not be read or the output not written']]))
    .action(exitCodeAction((file: string, options: ExportsOptions) => runExports(file, options))),
};
