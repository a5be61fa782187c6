// bench:ui's DLL with 20,000 exports, twice node.exe's 9,252: the exports browser must stay smooth
// past 10,000. Built with MinGW: every name is an alias, in the .def file, of one function, so the
// build takes a second; the names vary as an SDK's do (a module, a verb, a number).
import { join } from 'node:path';
import { buildDll } from '../src-main/analysis/resolver/test-support/build-fixture.ts';

const MODULES = ['Audio', 'Codec', 'Crypto', 'Device', 'File', 'Graph', 'Input', 'Net', 'Print', 'Render', 'Shell', 'Sync'];
const VERBS = ['Create', 'Open', 'Read', 'Write', 'Close', 'Query', 'Set', 'Get', 'Register', 'Release'];

/** The i-th export's name, e.g. ThunkNet_Read_01234. */
export function exportName(i: number): string {
  return `Thunk${MODULES[i % MODULES.length]}_${VERBS[Math.floor(i / MODULES.length) % VERBS.length]}_${String(i).padStart(5, '0')}`;
}

export function buildManyExportsDll(folder: string, count = 20_000): string {
  const names = Array.from({ length: count }, (_, i) => exportName(i));
  const def = `LIBRARY many-exports.dll\nEXPORTS\n${names.map((name) => `  ${name} = thunk_export_target`).join('\n')}\n`;
  return buildDll({ arch: 'x64', out: join(folder, 'many-exports.dll'), source: 'int thunk_export_target(void) { return 0; }\n', def });
}
