import { parseArgs } from 'node:util';
import { parsePeFile } from '../../pe/parse-pe.ts';
import { exportRows } from '../../report/build-file-report.ts';
import { SCHEMA_VERSION, type ExportRow } from '../../report/report-document.ts';
import { hex } from '../../report/report-format.ts';
import { EXIT, UsageError } from '../usage-error.ts';
import { toJson, writeOutput } from '../write-output.ts';
import { VERSION } from '../version.ts';

export const EXPORTS_USAGE = `Usage: thunk exports <file> [--json] [--demangle] [--out FILE]

Lists a DLL's exports: ordinal, RVA (code or data) or forwarder, and name.
  --demangle   show undecorated names (C++ MSVC and Itanium, 32-bit C decorations)
  --json       one JSON document {schemaVersion, file, machine, exports[]}`;

function textTable(rows: ExportRow[], demangle: boolean): string {
  const lines = ['ordinal  rva/forwarder             name'];
  for (const row of rows) {
    const target = row.forwarder ? `-> ${row.forwarder}` : row.rva !== undefined ? `${hex(row.rva)} ${row.kind}` : '';
    const name = row.name === undefined ? '(by ordinal)' : demangle && row.demangled ? row.demangled : row.name;
    lines.push(`${String(row.ordinal).padStart(7)}  ${target.padEnd(24)}  ${name}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `thunk exports`: returns the exit code. */
export function runExports(args: string[]): number {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { json: { type: 'boolean' }, demangle: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${EXPORTS_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('name exactly one DLL', EXPORTS_USAGE);
  const image = parsePeFile(positionals[0]!, { details: false, entropy: false });
  const rows = exportRows(image).map((row) => (values.demangle ? row : { ...row, demangled: undefined }));
  if (values.json) {
    writeOutput(toJson({ schemaVersion: SCHEMA_VERSION, tool: { name: 'thunk', version: VERSION }, file: positionals[0], machine: image.machine, dllName: image.exports?.dllName ?? null, exports: rows }), values.out);
  } else {
    writeOutput(textTable(rows, values.demangle ?? false), values.out);
  }
  for (const issue of image.issues) process.stderr.write(`thunk: malformed ${issue.structure}${issue.offset !== null ? ` at ${hex(issue.offset)}` : ''}: ${issue.message}\n`);
  return EXIT.ok;
}
