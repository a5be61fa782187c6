// What changed between two versions of a DLL ("A works, B does not"): pure, from two file reports,
// shared by `thunk compare` and the app. Runs anywhere (no Node imports), so the contract can name it.
import type { ExportRow, FileReport, ImportRow, VerdictRow } from '../report/report-document.ts';

export type HostName = 'x86' | 'x64';

export interface ComparedFile {
  file: string;
  name: string;
  size: number | null;
  status: FileReport['status'];
  error: string | null;
}

/** One fact side by side: machine, version, timestamp, signature, a hardening flag… */
export interface FactDifference {
  label: string;
  a: string;
  b: string;
  changed: boolean;
}

export interface ComparedExport {
  ordinal: number;
  name: string | null;
  forwarder: string | null;
}

export interface ChangedExport {
  a: ComparedExport;
  b: ComparedExport;
  /** What differs: the same name at another ordinal, another forwarder, or an ordinal-only export that gained or lost a name. */
  what: ('ordinal' | 'name' | 'forwarder')[];
}

export interface ExportDifferences {
  added: ComparedExport[];
  removed: ComparedExport[];
  changed: ChangedExport[];
  unchanged: number;
}

/** One imported module: added or removed as a whole, or the functions added and removed. */
export interface ImportModuleDifference {
  dll: string;
  delayLoad: boolean;
  change: 'added' | 'removed' | 'changed' | 'same';
  added: string[];
  removed: string[];
}

export interface VerdictDifference {
  host: HostName;
  a: string;
  b: string;
  changed: boolean;
}

export interface Comparison {
  a: ComparedFile;
  b: ComparedFile;
  facts: FactDifference[];
  exports: ExportDifferences;
  imports: ImportModuleDifference[];
  verdicts: VerdictDifference[];
  /** What the exit code of `thunk compare` follows: the exports or the imports differ. */
  differs: { exports: boolean; imports: boolean };
  /** The first line of every rendering, in the CLI and the app alike. */
  headline: string;
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

function comparedFile(report: FileReport): ComparedFile {
  return { file: report.file, name: baseName(report.file), size: report.size, status: report.status, error: report.error };
}

const shown = (value: string | number | boolean | null | undefined): string => (value === null || value === undefined || value === '' ? '—' : String(value));

function signatureText(report: FileReport): string {
  if (report.signature) return report.signature.status;
  return report.summary ? (report.summary.signed ? 'signed' : 'unsigned') : '—';
}

function hardeningFacts(a: FileReport, b: FileReport): [string, string, string][] {
  const flags = [...new Set([...Object.keys(a.summary?.hardening ?? {}), ...Object.keys(b.summary?.hardening ?? {})])];
  const word = (value: boolean | null | undefined): string => (value === true ? 'on' : value === false ? 'off' : '—');
  return flags.map((flag) => [`hardening: ${flag}`, word(a.summary?.hardening[flag]), word(b.summary?.hardening[flag])]);
}

function factDifferences(a: FileReport, b: FileReport): FactDifference[] {
  const pick = (f: (r: FileReport) => string | number | boolean | null | undefined): [string, string] => [shown(f(a)), shown(f(b))];
  const rows: [string, string, string][] = [
    ['status', ...pick((r) => r.status)],
    ['machine', ...pick((r) => r.machine)],
    ['format', ...pick((r) => r.summary?.format)],
    ['size (bytes)', ...pick((r) => r.size)],
    ['file version', ...pick((r) => r.summary?.fileVersion)],
    ['product version', ...pick((r) => r.summary?.productVersion)],
    ['company', ...pick((r) => r.summary?.companyName)],
    ['description', ...pick((r) => r.summary?.fileDescription)],
    ['link timestamp', ...pick((r) => r.summary?.timestamp)],
    ['PDB', ...pick((r) => r.summary?.pdb?.path)],
    ['signature', signatureText(a), signatureText(b)],
    ['.NET', ...pick((r) => (r.summary?.dotnet ? `${r.summary.dotnet.flavor} ${r.summary.dotnet.runtimeVersion}` : 'no'))],
    ...hardeningFacts(a, b),
  ];
  return rows.map(([label, av, bv]) => ({ label, a: av, b: bv, changed: av !== bv }));
}

function comparedExport(row: ExportRow): ComparedExport {
  return { ordinal: row.ordinal, name: row.name ?? null, forwarder: row.forwarder ?? null };
}

/** Named exports match by name, ordinal-only ones by ordinal; RVAs move with every build, so they are not compared. */
export function compareExports(a: ExportRow[], b: ExportRow[]): ExportDifferences {
  const key = (row: ExportRow): string => (row.name !== undefined ? `name:${row.name}` : `ordinal:${row.ordinal}`);
  const inB = new Map(b.map((row) => [key(row), row]));
  const inA = new Map(a.map((row) => [key(row), row]));
  const result: ExportDifferences = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const row of a) {
    const other = inB.get(key(row));
    if (!other) { result.removed.push(comparedExport(row)); continue; }
    const what: ChangedExport['what'] = [];
    if (row.ordinal !== other.ordinal) what.push('ordinal');
    if ((row.forwarder ?? null) !== (other.forwarder ?? null)) what.push('forwarder');
    if (what.length) result.changed.push({ a: comparedExport(row), b: comparedExport(other), what });
    else result.unchanged++;
  }
  for (const row of b) if (!inA.has(key(row))) result.added.push(comparedExport(row));
  renamedOrdinals(result);
  return result;
}

/**
 * An ordinal-only export that gained a name at the same ordinal (or lost it) is one export changed.
 * Two different names at one ordinal stay removed and added: linkers number named exports in
 * name order, so a new name shifts the ordinals of the others.
 */
function renamedOrdinals(result: ExportDifferences): void {
  for (const added of [...result.added]) {
    const removed = result.removed.find((r) => r.ordinal === added.ordinal && (r.name === null) !== (added.name === null));
    if (!removed) continue;
    result.removed.splice(result.removed.indexOf(removed), 1);
    result.added.splice(result.added.indexOf(added), 1);
    const what: ChangedExport['what'] = ['name'];
    if (removed.forwarder !== added.forwarder) what.push('forwarder');
    result.changed.push({ a: removed, b: added, what });
  }
}

const functionName = (fn: ImportRow['functions'][number]): string => ('name' in fn ? fn.name : `#${fn.ordinal}`);

function importModules(rows: ImportRow[], delayLoad: boolean): Map<string, { dll: string; delayLoad: boolean; functions: Set<string> }> {
  const modules = new Map<string, { dll: string; delayLoad: boolean; functions: Set<string> }>();
  for (const row of rows) {
    const id = `${delayLoad ? 'delay:' : ''}${row.dll.toLowerCase()}`;
    const entry = modules.get(id) ?? { dll: row.dll, delayLoad, functions: new Set<string>() };
    for (const fn of row.functions) entry.functions.add(functionName(fn));
    modules.set(id, entry);
  }
  return modules;
}

/** Per imported module (DLL names compared without case, delay-loaded ones apart): what was added and removed. */
export function compareImports(a: FileReport, b: FileReport): ImportModuleDifference[] {
  const before = new Map([...importModules(a.imports, false), ...importModules(a.delayImports, true)]);
  const after = new Map([...importModules(b.imports, false), ...importModules(b.delayImports, true)]);
  const ids = [...new Set([...before.keys(), ...after.keys()])];
  const modules = ids.map((id): ImportModuleDifference => {
    const was = before.get(id);
    const now = after.get(id);
    const dll = (now ?? was)!.dll;
    const delayLoad = (now ?? was)!.delayLoad;
    const added = [...(now?.functions ?? [])].filter((f) => !was?.functions.has(f)).sort();
    const removed = [...(was?.functions ?? [])].filter((f) => !now?.functions.has(f)).sort();
    const change = !was ? 'added' : !now ? 'removed' : added.length || removed.length ? 'changed' : 'same';
    return { dll, delayLoad, change, added, removed };
  });
  const order = { removed: 0, added: 1, changed: 2, same: 3 } as const;
  return modules.sort((x, y) => order[x.change] - order[y.change] || x.dll.localeCompare(y.dll));
}

function verdictWords(verdict: VerdictRow | undefined): string {
  if (!verdict) return 'not judged';
  if (verdict.loads) return 'loads';
  if (!verdict.builtForHost) return 'not for this host';
  const error = verdict.error;
  return error ? `fails: ${error.code > 0xffff ? `0x${error.code.toString(16).toUpperCase()}` : error.code} ${error.name}${verdict.rootCause ? ` (${verdict.rootCause})` : ''}` : 'fails';
}

function verdictDifferences(a: FileReport, b: FileReport): VerdictDifference[] {
  const hosts = (['x86', 'x64'] as const).filter((host) => a.verdicts[host] || b.verdicts[host]);
  return hosts.map((host) => {
    const av = verdictWords(a.verdicts[host]);
    const bv = verdictWords(b.verdicts[host]);
    return { host, a: av, b: bv, changed: av !== bv };
  });
}

/** "Same exports and imports", or what differs, counted. */
function headlineOf(exports: ExportDifferences, imports: ImportModuleDifference[], differs: Comparison['differs']): string {
  if (!differs.exports && !differs.imports) return 'Same exports and imports';
  const parts: string[] = [];
  if (differs.exports) parts.push(`exports: ${exports.added.length} added, ${exports.removed.length} removed, ${exports.changed.length} changed`);
  if (differs.imports) parts.push(`imports: ${imports.filter((m) => m.change !== 'same').length} module(s) differ`);
  return `They differ (${parts.join('; ')})`;
}

/** Compares version A (the one that works, by convention) with version B. */
export function compareReports(a: FileReport, b: FileReport): Comparison {
  const exports = compareExports(a.exports, b.exports);
  const imports = compareImports(a, b);
  const differs = {
    exports: exports.added.length + exports.removed.length + exports.changed.length > 0,
    imports: imports.some((m) => m.change !== 'same'),
  };
  return {
    a: comparedFile(a),
    b: comparedFile(b),
    facts: factDifferences(a, b),
    exports,
    imports,
    verdicts: verdictDifferences(a, b),
    differs,
    headline: headlineOf(exports, imports, differs),
  };
}
