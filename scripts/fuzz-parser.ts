// Long fuzz run of the PE parser: npm run fuzz -- --minutes 10 --seed 123 [files...]
// The fuzzer runs in a worker so that a true hang (an input that never finishes) can be caught:
// the main thread regenerates the stuck input from its iteration number, saves it, and resumes.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fuzzInput, fuzzParser, loadSeeds, saveCrash, type FuzzFailure, type FuzzStats } from '../src-main/analysis/pe/fuzz/fuzz-runner.ts';

const CRASH_DIR = join('build', 'fuzz-crashes');
const WINE_SEEDS = [
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/kernel32.dll',
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/shell32.dll',
  '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/comctl32.dll',
  '/usr/lib/i386-linux-gnu/wine/i386-windows/kernel32.dll',
  '/usr/lib/i386-linux-gnu/wine/i386-windows/msvcp140.dll',
];

interface Args {
  minutes: number;
  seed: number;
  hangMs: number;
  files: string[];
}

interface Job {
  seeds: string[];
  seed: number;
  firstIteration: number;
  timeBudgetMs: number;
  heartbeat: SharedArrayBuffer;
}

type WorkerMessage = { type: 'progress' | 'done'; stats: FuzzStats };

function parseArgs(argv: string[]): Args {
  const args: Args = { minutes: 10, seed: Date.now() >>> 0, hangMs: 60_000, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--minutes') args.minutes = Number(argv[++i]);
    else if (flag === '--seed') args.seed = Number(argv[++i]) >>> 0;
    else if (flag === '--hang-seconds') args.hangMs = Number(argv[++i]) * 1000;
    else if (flag.startsWith('--')) throw new Error(`unknown option ${flag} (use --minutes N --seed N --hang-seconds N [files...])`);
    else args.files.push(flag);
  }
  if (!(args.minutes > 0)) throw new Error('--minutes must be a positive number');
  return args;
}

function defaultSeeds(): string[] {
  const fixtures = ['x86', 'x64'].flatMap((arch) => {
    const dir = join('build', 'fixtures', arch);
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.dll')).map((f) => join(dir, f)) : [];
  });
  return [...WINE_SEEDS.filter((path) => existsSync(path)), ...fixtures];
}

function runWorker(): void {
  const job = workerData as Job;
  const heartbeat = new Int32Array(job.heartbeat);
  const stats = fuzzParser({
    seeds: job.seeds, seed: job.seed, firstIteration: job.firstIteration, timeBudgetMs: job.timeBudgetMs, crashDir: CRASH_DIR,
    onIteration: (iteration) => Atomics.store(heartbeat, 0, iteration),
    onProgress: (progress) => parentPort!.postMessage({ type: 'progress', stats: progress } satisfies WorkerMessage),
    progressEveryMs: 10_000,
  });
  parentPort!.postMessage({ type: 'done', stats } satisfies WorkerMessage);
}

function merge(total: FuzzStats, part: FuzzStats): FuzzStats {
  const issueStructures = { ...total.issueStructures };
  for (const [key, count] of Object.entries(part.issueStructures)) issueStructures[key] = (issueStructures[key] ?? 0) + count;
  return {
    executions: total.executions + part.executions, notPe: total.notPe + part.notPe, withIssues: total.withIssues + part.withIssues,
    maxParseMs: Math.max(total.maxParseMs, part.maxParseMs), maxParseCpuMs: Math.max(total.maxParseCpuMs, part.maxParseCpuMs),
    peakHeapMb: Math.max(total.peakHeapMb, part.peakHeapMb), failures: [...total.failures, ...part.failures],
    issueStructures, elapsedMs: total.elapsedMs + part.elapsedMs,
  };
}

const emptyStats = (): FuzzStats => ({ executions: 0, notPe: 0, withIssues: 0, maxParseMs: 0, maxParseCpuMs: 0, peakHeapMb: 0, failures: [], issueStructures: {}, elapsedMs: 0 });

function printProgress(stats: FuzzStats, startedAt: number): void {
  const seconds = (Date.now() - startedAt) / 1000;
  console.log(`[${seconds.toFixed(0)}s] ${stats.executions} execs (${(stats.executions / Math.max(seconds, 1)).toFixed(0)}/s), ${stats.notPe} not PE, ${stats.withIssues} with issues, slowest ${stats.maxParseMs.toFixed(0)} ms, heap peak ${stats.peakHeapMb.toFixed(0)} MB, ${stats.failures.length} failures`);
}

// Workers do not inherit tsx's loader from --import on Node 20: register it before loading this file.
const WORKER_BOOT = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(import.meta.url)}); })`;

/** Runs one worker until its budget ends or it hangs; resolves with its stats and where it stopped. */
function runSegment(job: Job, args: Args, done: FuzzStats, startedAt: number): Promise<{ stats: FuzzStats; hungAt: number | null }> {
  const heartbeat = new Int32Array(job.heartbeat);
  Atomics.store(heartbeat, 0, job.firstIteration);
  const worker = new Worker(WORKER_BOOT, { eval: true, workerData: job });
  return new Promise((resolve, reject) => {
    let last = { iteration: job.firstIteration, since: Date.now() };
    const watchdog = setInterval(() => {
      const iteration = Atomics.load(heartbeat, 0);
      if (iteration !== last.iteration) last = { iteration, since: Date.now() };
      else if (Date.now() - last.since > args.hangMs) {
        clearInterval(watchdog);
        void worker.terminate().then(() => resolve({ stats: emptyStats(), hungAt: iteration }));
      }
    }, 1000);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') printProgress(merge(done, message.stats), startedAt);
      else {
        clearInterval(watchdog);
        resolve({ stats: message.stats, hungAt: null });
      }
    });
    worker.on('error', (error) => {
      clearInterval(watchdog);
      reject(error);
    });
  });
}

function recordHang(args: Args, seeds: string[], iteration: number): FuzzFailure {
  const input = fuzzInput(loadSeeds(seeds), args.seed, iteration);
  const message = `no result after ${args.hangMs / 1000} s: the parser hangs on this input`;
  const file = saveCrash(CRASH_DIR, input, { runSeed: args.seed, iteration, kind: 'slow', message });
  return { kind: 'slow', message, source: input.source, runSeed: args.seed, iteration, inputSeed: input.inputSeed, mutations: input.mutations, options: input.options, parseMs: args.hangMs, file };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seeds = args.files.length > 0 ? args.files : defaultSeeds();
  if (seeds.length === 0) throw new Error('no seed files: pass DLL paths, install Wine, or run `npm run build:fixtures`');
  console.log(`fuzzing ${seeds.length} seed files for ${args.minutes} min, run seed ${args.seed} (reproduce with --seed ${args.seed}); crashes go to ${CRASH_DIR}/`);
  const startedAt = Date.now();
  const deadline = startedAt + args.minutes * 60_000;
  let total = emptyStats();
  let firstIteration = 0;
  while (Date.now() < deadline) {
    const job: Job = { seeds, seed: args.seed, firstIteration, timeBudgetMs: deadline - Date.now(), heartbeat: new SharedArrayBuffer(4) };
    const { stats, hungAt } = await runSegment(job, args, total, startedAt);
    total = merge(total, stats);
    if (hungAt === null) break;
    const failure = recordHang(args, seeds, hungAt);
    total.failures.push(failure);
    console.log(`HANG at iteration ${hungAt}: saved ${failure.file}`);
    firstIteration = hungAt + 1;
  }
  printSummary(total);
  process.exitCode = total.failures.length > 0 ? 1 : 0;
}

function printSummary(stats: FuzzStats): void {
  const { failures, issueStructures, ...summary } = stats;
  console.log('\nfinal stats:', JSON.stringify({ ...summary, failures: failures.length }, null, 2));
  const reached = Object.entries(issueStructures).sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key} ${count}`);
  console.log(`checks reached (inputs reporting each structure): ${reached.join(', ')}`);
  for (const failure of failures) {
    console.log(`FAILURE ${failure.kind} iteration ${failure.iteration} (${failure.mutations.join('+')} on ${failure.source}): ${failure.message.split('\n')[0]}\n  saved: ${failure.file}`);
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
} else {
  runWorker();
}
