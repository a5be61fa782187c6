// Cross-checks the parser against three independent tools on real DLLs nobody here wrote
// (Wine's PE builds) and on our fixtures (the only DLLs here with delay imports: Wine's
// MinGW-linked DLLs have none). Each oracle's output is normalised to one shape; where an oracle
// is known to present a detail differently, the normalisation says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePeFile } from './parse-pe.ts';
import type { ImportModule, PeImage } from './pe-image.ts';
import { FIXTURE_ARCHES, fixtureDir, type FixtureArch } from '../../test-support/fixtures.ts';
import { PYTHON } from '../../test-support/tools.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

const PEFILE_DUMP = join(ROOT, 'scripts', 'oracles', 'pefile-dump.py');
const READOBJ = 'llvm-readobj-14';
const OBJDUMP = 'x86_64-w64-mingw32-objdump';
const WINE_DIRS: Record<FixtureArch, string> = {
  x64: '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows',
  x86: '/usr/lib/i386-linux-gnu/wine/i386-windows',
};
const SAMPLE_SIZE = 60;
const INTERESTING = ['kernel32', 'kernelbase', 'ntdll', 'msvcp140', 'msvcrt', 'shell32', 'comctl32', 'ucrtbase', 'user32', 'ws2_32', 'oleaut32', 'msvcr120'];

/** One export as every oracle can state it: "ordinal name -> forwarder" or "ordinal name @rva". */
type ExportLine = string;
/** One module as "dll: f1, #12, f3". */
type ImportLine = string;

interface Normalised {
  exports: ExportLine[] | null;
  imports: ImportLine[];
  delayImports: ImportLine[];
}

const hex = (n: number): string => `0x${n.toString(16)}`;
const exportLine = (ordinal: number, name: string | null, target: string): ExportLine => `${ordinal} ${name ?? '-'} ${target}`;
const importLine = (dll: string, functions: (string | number)[]): ImportLine =>
  `${dll}: ${functions.map((f) => (typeof f === 'number' ? `#${f}` : f)).join(', ')}`;
const byOrdinal = (lines: ExportLine[]): ExportLine[] => [...lines].sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || (a < b ? -1 : a > b ? 1 : 0));

function available(command: string, args: string[]): boolean {
  const probe = spawnSync(command, args, { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

function sampleOf(arch: FixtureArch): string[] {
  const dir = WINE_DIRS[arch];
  if (!existsSync(dir)) return [];
  const all = readdirSync(dir).filter((f) => f.endsWith('.dll')).sort();
  const step = all.length / SAMPLE_SIZE;
  const picked = new Set(Array.from({ length: Math.min(SAMPLE_SIZE, all.length) }, (_, i) => all[Math.floor(i * step)]!));
  for (const name of INTERESTING) if (all.includes(`${name}.dll`)) picked.add(`${name}.dll`);
  return [...picked].sort().map((f) => join(dir, f));
}

function fixtureFiles(arch: FixtureArch): string[] {
  const dir = fixtureDir(arch);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.dll')).sort().map((f) => join(dir, f)) : [];
}

// --- Thunk --------------------------------------------------------------------------------

function ours(image: PeImage, exportsAs: 'text' | 'isForwarder'): Normalised {
  const modules = (list: ImportModule[]) => list.map((m) => importLine(m.dll, m.functions.map((f) => f.name ?? f.ordinal!)));
  return {
    exports: image.exports
      ? byOrdinal(image.exports.entries.map((e) => exportLine(e.ordinal, e.name, e.forwarder === null ? `@${hex(e.rva!)}` : exportsAs === 'text' ? `-> ${e.forwarder}` : '-> forwarder')))
      : null,
    imports: modules(image.imports),
    delayImports: modules(image.delayImports),
  };
}

// --- pefile -------------------------------------------------------------------------------

interface PefileImport { dll: string; functions: { name: string | null; ordinal: number | null }[] }
interface PefileDump {
  error?: string;
  exports: { ordinal: number; name: string | null; address: number; forwarder: string | null }[] | null;
  imports: PefileImport[];
  delayImports: PefileImport[];
}

function runPefile(files: string[]): Record<string, PefileDump> {
  const run = spawnSync(PYTHON, [PEFILE_DUMP, ...files], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, PefileDump>;
}

function fromPefile(dump: PefileDump): Normalised {
  const modules = (list: PefileImport[]) => list.map((m) => importLine(m.dll, m.functions.map((f) => f.name ?? f.ordinal!)));
  return {
    // pefile gives a forwarder's address as the RVA of its string; Thunk gives the string only.
    exports: dump.exports
      ? byOrdinal(dump.exports.map((s) => exportLine(s.ordinal, s.name, s.forwarder === null ? `@${hex(s.address)}` : `-> ${s.forwarder}`)))
      : null,
    imports: modules(dump.imports),
    delayImports: modules(dump.delayImports),
  };
}

// --- llvm-readobj -------------------------------------------------------------------------

interface ReadobjFile { exports: { ordinal: number; name: string; rva: number }[]; imports: ImportLine[]; delayImports: ImportLine[]; error: string | null }

// llvm-readobj stops at the first file it cannot read, so run again from the file after it.
function runReadobj(files: string[]): Map<string, ReadobjFile> {
  const result = new Map<string, ReadobjFile>();
  let remaining = files;
  while (remaining.length > 0) {
    const run = spawnSync(READOBJ, ['--coff-exports', '--coff-imports', ...remaining], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const errors = new Map([...run.stderr.matchAll(/^\S+: error: '(.*)': (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    assert.ok(run.status === 0 || errors.size > 0, run.stderr);
    parseReadobj(run.stdout, errors, result);
    const failed = remaining.findIndex((f) => errors.has(f));
    remaining = run.status === 0 || failed < 0 ? [] : remaining.slice(failed + 1);
  }
  return result;
}

function parseReadobj(stdout: string, errors: Map<string, string>, result: Map<string, ReadobjFile>): void {
  let file: ReadobjFile | null = null;
  let exportEntry: { ordinal: number; name: string; rva: number } | null = null;
  let module: { dll: string; functions: (string | number)[]; delay: boolean } | null = null;
  let depth = 0;
  const closeModule = () => {
    if (file && module) (module.delay ? file.delayImports : file.imports).push(importLine(module.dll, module.functions));
    module = null;
  };
  for (const line of stdout.split('\n')) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^File: (.*)$/))) {
      file = { exports: [], imports: [], delayImports: [], error: errors.get(m[1]!) ?? null };
      result.set(m[1]!, file);
    } else if (line === 'Export {') exportEntry = { ordinal: -1, name: '', rva: -1 };
    else if (exportEntry && (m = line.match(/^ {2}Ordinal: (\d+)$/))) exportEntry.ordinal = Number(m[1]);
    else if (exportEntry && (m = line.match(/^ {2}Name: ?(.*)$/))) exportEntry.name = m[1]!;
    else if (exportEntry && (m = line.match(/^ {2}RVA: 0x([0-9A-F]+)$/))) exportEntry.rva = parseInt(m[1]!, 16);
    else if (exportEntry && line === '}') {
      file!.exports.push(exportEntry);
      exportEntry = null;
    } else if (line === 'Import {' || line === 'DelayImport {') {
      module = { dll: '', functions: [], delay: line === 'DelayImport {' };
      depth = 1;
    } else if (module && (m = line.match(/^ {2}Name: (.*)$/))) module.dll = m[1]!;
    else if (module && (m = line.match(/^ +Symbol: (.*) \((\d+)\)$/))) module.functions.push(m[1] === '' ? Number(m[2]) : m[1]!);
    else if (module && /^ +Import \{$/.test(line)) depth++;
    else if (module && /^ *\}$/.test(line) && --depth === 0) closeModule();
  }
}

function fromReadobj(dump: ReadobjFile, exportDirectory: [number, number] | null): Normalised {
  const inDirectory = (rva: number) => exportDirectory !== null && rva >= exportDirectory[0] && rva < exportDirectory[0] + exportDirectory[1];
  return {
    // llvm-readobj 14 lists a zero address-table slot as an export with RVA 0; the loader (and
    // Thunk, pefile, objdump) treat an unnamed zero slot as no export. It prints a forwarder's
    // string RVA but not the string, so only "is a forwarder" is compared.
    exports: byOrdinal(dump.exports.filter((e) => e.rva !== 0 || e.name !== '').map((e) => exportLine(e.ordinal, e.name || null, inDirectory(e.rva) ? '-> forwarder' : `@${hex(e.rva)}`))),
    imports: dump.imports,
    delayImports: dump.delayImports,
  };
}

// --- objdump -p ---------------------------------------------------------------------------

function runObjdump(files: string[]): Map<string, ExportLine[] | null> {
  const run = spawnSync(OBJDUMP, ['-p', ...files], { encoding: 'latin1', maxBuffer: 1 << 30 });
  assert.equal(run.status, 0, run.stderr);
  const result = new Map<string, ExportLine[] | null>();
  let table: { targets: Map<number, string>; names: Map<number, string[]>; base: number } | null = null;
  let current: string | null = null;
  let mode: 'none' | 'eat' | 'names' = 'none';
  const flush = () => {
    if (current === null) return;
    if (!table) {
      result.set(current, null);
      return;
    }
    const lines: ExportLine[] = [];
    for (const [index, target] of table.targets) {
      const names = table.names.get(index) ?? [null];
      for (const name of names) lines.push(exportLine(table.base + index, name, target));
    }
    result.set(current, byOrdinal(lines));
  };
  for (const line of run.stdout.split('\n')) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^(\S.*):\s+file format \S+$/))) {
      flush();
      current = m[1]!;
      table = null;
      mode = 'none';
    } else if ((m = line.match(/^Export Address Table -- Ordinal Base (\d+)/))) {
      table = { targets: new Map(), names: new Map(), base: Number(m[1]) };
      mode = 'eat';
    } else if (line.startsWith('[Ordinal/Name Pointer] Table')) mode = 'names';
    else if (line.trim() === '') mode = 'none';
    else if (table && mode === 'eat' && (m = line.match(/^\s*\[\s*(\d+)\] \+base\[\s*\d+\] ([0-9a-f]+) (Export RVA|Forwarder RVA -- (.*))$/))) {
      table.targets.set(Number(m[1]), m[4] === undefined ? `@0x${m[2]!.replace(/^0+(?=.)/, '')}` : `-> ${m[4]}`);
    } else if (table && mode === 'names' && (m = line.match(/^\s*\[\s*(\d+)\] (.*)$/))) {
      const names = table.names.get(Number(m[1])) ?? [];
      table.names.set(Number(m[1]), [...names, m[2]!]);
    }
  }
  flush();
  return result;
}

// --- comparison ---------------------------------------------------------------------------

interface Tally { files: number; exports: number; imports: number; delayImports: number; mismatches: string[]; tolerated: string[] }

function compare(tally: Tally, file: string, part: keyof Normalised, mine: unknown, theirs: unknown, count: number): void {
  try {
    assert.deepEqual(mine, theirs);
    if (part === 'exports') tally.exports += count;
    else if (part === 'imports') tally.imports += count;
    else tally.delayImports += count;
  } catch (error) {
    tally.mismatches.push(`${file} ${part}: ${(error as Error).message.split('\n').slice(0, 30).join('\n')}`);
  }
}

const newTally = (): Tally => ({ files: 0, exports: 0, imports: 0, delayImports: 0, mismatches: [], tolerated: [] });
const functionCount = (lines: ImportLine[]): number => lines.reduce((n, l) => n + l.split(', ').length, 0);

function report(t: { diagnostic: (message: string) => void }, oracle: string, tally: Tally): void {
  const summary = `${oracle}: ${tally.files} files, ${tally.exports} exports, ${tally.imports} imports, ${tally.delayImports} delay imports agree; ${tally.mismatches.length} mismatches${tally.tolerated.length ? `; oracle failed on ${tally.tolerated.length} (${tally.tolerated.join('; ')})` : ''}`;
  t.diagnostic(summary);
  console.log(`oracle-cross-check ${summary}`);
  assert.equal(tally.mismatches.length, 0, tally.mismatches.slice(0, 5).join('\n\n'));
}

const parsedCache = new Map<string, PeImage>();
function parsed(file: string): PeImage {
  let image = parsedCache.get(file);
  if (!image) {
    image = parsePeFile(file, { details: false, entropy: false });
    parsedCache.set(file, image);
  }
  return image;
}

for (const arch of FIXTURE_ARCHES) {
  const files = [...sampleOf(arch), ...fixtureFiles(arch)];
  const wineMissing = sampleOf(arch).length === 0 ? `Wine's ${arch} PE DLLs are absent (${WINE_DIRS[arch]})` : false;

  test(`${arch}: exports, imports and delay imports agree with pefile`, { skip: wineMissing || (!existsSync(PYTHON) || !available(PYTHON, ['-c', 'import pefile']) ? `${PYTHON} with pefile (python3-pefile) is absent` : false) }, (t) => {
    const dumps = runPefile(files);
    const tally = newTally();
    for (const file of files) {
      const dump = dumps[file]!;
      assert.equal(dump.error, undefined, `${file}: pefile failed: ${dump.error}`);
      const mine = ours(parsed(file), 'text');
      const theirs = fromPefile(dump);
      tally.files++;
      compare(tally, file, 'exports', mine.exports, theirs.exports, mine.exports?.length ?? 0);
      compare(tally, file, 'imports', mine.imports, theirs.imports, functionCount(mine.imports));
      compare(tally, file, 'delayImports', mine.delayImports, theirs.delayImports, functionCount(mine.delayImports));
    }
    report(t, 'pefile', tally);
    assert.ok(tally.exports > 1000 && tally.imports > 1000);
  });

  test(`${arch}: exports, imports and delay imports agree with llvm-readobj`, { skip: wineMissing || (!available(READOBJ, ['--version']) ? `${READOBJ} (llvm-14) is absent` : false) }, (t) => {
    const dumps = runReadobj(files);
    const exportDirs = new Map(files.map((f) => [f, parsedExportDirectory(f)]));
    const tally = newTally();
    for (const file of files) {
      const dump = dumps.get(file);
      assert.ok(dump, `${READOBJ} printed nothing for ${file}`);
      const mine = ours(parsed(file), 'isForwarder');
      const theirs = fromReadobj(dump, exportDirs.get(file)!);
      tally.files++;
      if (dump.error !== null) {
        // llvm-readobj 14 stops with "Invalid data" on an export directory without an address
        // table (AddressOfFunctions 0, as in Wine's vga.dll); the other oracles read it as empty.
        assert.deepEqual(mine.exports, [], `${file}: ${READOBJ} failed (${dump.error}) on a file whose exports Thunk read`);
        tally.tolerated.push(`${file}: ${dump.error}`);
      } else compare(tally, file, 'exports', mine.exports ?? [], theirs.exports, mine.exports?.length ?? 0);
      compare(tally, file, 'imports', mine.imports, theirs.imports, functionCount(mine.imports));
      compare(tally, file, 'delayImports', mine.delayImports, theirs.delayImports, functionCount(mine.delayImports));
    }
    report(t, 'llvm-readobj', tally);
    assert.ok(tally.exports > 1000 && tally.imports > 1000);
  });

  test(`${arch}: the export table agrees with objdump -p`, { skip: wineMissing || (!available(OBJDUMP, ['--version']) ? `${OBJDUMP} (binutils-mingw-w64) is absent` : false) }, (t) => {
    const dumps = runObjdump(files);
    const tally = newTally();
    for (const file of files) {
      assert.ok(dumps.has(file), `${OBJDUMP} printed nothing for ${file}`);
      const mine = ours(parsed(file), 'text');
      tally.files++;
      compare(tally, file, 'exports', mine.exports, dumps.get(file), mine.exports?.length ?? 0);
    }
    report(t, 'objdump', tally);
    assert.ok(tally.exports > 1000);
  });
}

// The export directory's range, read from the optional header by hand, to tell llvm-readobj's
// forwarder RVAs from code RVAs.
function parsedExportDirectory(file: string): [number, number] | null {
  const dump = spawnSync(OBJDUMP, ['-p', file], { encoding: 'latin1', maxBuffer: 1 << 28 }).stdout;
  const m = dump.match(/^Entry 0 ([0-9a-f]+) ([0-9a-f]+) Export Directory/m);
  if (!m) return null;
  const rva = parseInt(m[1]!, 16);
  return rva === 0 ? null : [rva, parseInt(m[2]!, 16)];
}
