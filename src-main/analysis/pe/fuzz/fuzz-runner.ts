import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileReader } from '../file-reader.ts';
import { NotPeError, parsePe, type ParseOptions } from '../parse-pe.ts';
import { createRng, deriveSeed, mutate } from './mutate.ts';

export interface FuzzConfig {
  /** Seed files: real DLLs to mutate. */
  seeds: string[];
  /** Stop after this many executions (default: unbounded when a time budget is set, else 1000). */
  iterations?: number;
  timeBudgetMs?: number;
  /** Run seed: with the same seeds and seed, the same inputs are generated. */
  seed?: number;
  /** First iteration number, to resume a run after an input that hung. */
  firstIteration?: number;
  /** Parses using more CPU time than this are failures (a hang shows as a very slow input). Default 2000. */
  slowMs?: number;
  /** Heap growth over the starting heap that counts as a failure. Default 512 MB. */
  maxHeapGrowthMb?: number;
  crashDir?: string;
  /** Receives the iteration about to run, so an outside watchdog can regenerate a hanging input. */
  onIteration?: (iteration: number) => void;
  onProgress?: (stats: FuzzStats) => void;
  progressEveryMs?: number;
}

export interface FuzzFailure {
  kind: 'exception' | 'slow' | 'heap';
  message: string;
  source: string;
  runSeed: number;
  iteration: number;
  inputSeed: number;
  mutations: string[];
  options: ParseOptions;
  parseMs: number;
  /** Where the input was saved, for reproduction. */
  file: string;
}

export interface FuzzStats {
  executions: number;
  notPe: number;
  withIssues: number;
  /** Slowest parse, wall clock. */
  maxParseMs: number;
  /** Slowest parse in CPU time: what the slow bound checks, as other processes inflate wall time. */
  maxParseCpuMs: number;
  peakHeapMb: number;
  failures: FuzzFailure[];
  /** How often each structure was reported malformed: which of the parser's checks were reached. */
  issueStructures: Record<string, number>;
  elapsedMs: number;
}

export interface FuzzInput {
  source: string;
  inputSeed: number;
  data: Buffer;
  mutations: string[];
  options: ParseOptions;
}

// Mostly the full parse (every structure reader), some fast path, a few with entropy.
const OPTION_MIX: ParseOptions[] = [
  { details: true, entropy: false }, { details: true, entropy: false }, { details: true, entropy: false },
  { details: true, entropy: false }, { details: true, entropy: false }, { details: true, entropy: false },
  { details: false, entropy: false }, { details: false, entropy: false }, { details: true, entropy: true },
];

/** Regenerates the input of one iteration: the same seeds, run seed and iteration give the same bytes. */
export function fuzzInput(seedFiles: readonly { path: string; data: Buffer }[], runSeed: number, iteration: number): FuzzInput {
  const inputSeed = deriveSeed(runSeed, iteration);
  const rng = createRng(inputSeed);
  const seedFile = rng.pick(seedFiles);
  const options = rng.pick(OPTION_MIX);
  const { data, applied } = mutate(seedFile.data, rng.next());
  return { source: seedFile.path, inputSeed, data, mutations: applied, options };
}

export function loadSeeds(paths: readonly string[]): { path: string; data: Buffer }[] {
  return paths.map((path) => ({ path, data: readFileSync(path) }));
}

/** Saves a failing input as <hash>.bin with a <hash>.json saying how to regenerate it. */
export function saveCrash(crashDir: string, input: FuzzInput, details: Record<string, unknown>): string {
  mkdirSync(crashDir, { recursive: true });
  const hash = createHash('sha256').update(input.data).digest('hex').slice(0, 16);
  const file = join(crashDir, `${hash}.bin`);
  writeFileSync(file, input.data);
  const meta = { source: input.source, inputSeed: input.inputSeed, mutations: input.mutations, options: input.options, ...details };
  writeFileSync(join(crashDir, `${hash}.json`), `${JSON.stringify(meta, null, 2)}\n`);
  return file;
}

function structureKey(structure: string): string {
  return structure.replace(/ #\d+$/, '').replace(/^((?:delay )?imports) of .*/s, '$1').replace(/^section (?!table$).*/s, 'section');
}

interface Outcome {
  parseMs: number;
  cpuMs: number;
  notPe: boolean;
  issues: string[];
  error: Error | null;
}

function runOne(input: FuzzInput): Outcome {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const times = (): Pick<Outcome, 'parseMs' | 'cpuMs'> => {
    const used = process.cpuUsage(cpu);
    return { parseMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };
  try {
    const image = parsePe(FileReader.fromBuffer(input.data), basename(input.source), input.options);
    return { ...times(), notPe: false, issues: image.issues.map((i) => i.structure), error: null };
  } catch (error) {
    if (error instanceof NotPeError) return { ...times(), notPe: true, issues: [], error: null };
    return { ...times(), notPe: false, issues: [], error: error instanceof Error ? error : new Error(String(error)) };
  }
}

function failureOf(outcome: Outcome, heapGrowthMb: number, config: Required<Pick<FuzzConfig, 'slowMs' | 'maxHeapGrowthMb'>>): Pick<FuzzFailure, 'kind' | 'message'> | null {
  if (outcome.error) return { kind: 'exception', message: `${outcome.error.name}: ${outcome.error.message}\n${outcome.error.stack ?? ''}` };
  if (outcome.cpuMs > config.slowMs) return { kind: 'slow', message: `parse took ${Math.round(outcome.cpuMs)} ms of CPU, ${Math.round(outcome.parseMs)} ms wall (bound ${config.slowMs} ms)` };
  if (heapGrowthMb > config.maxHeapGrowthMb) return { kind: 'heap', message: `heap grew by ${Math.round(heapGrowthMb)} MB` };
  return null;
}

const heapMb = (): number => process.memoryUsage().heapUsed / (1024 * 1024);

/** Parses mutated seeds in-process; no exception but NotPeError may escape, none may be slow. */
export function fuzzParser(config: FuzzConfig): FuzzStats {
  const seeds = loadSeeds(config.seeds);
  if (seeds.length === 0) throw new Error('fuzzParser: no seed files');
  const runSeed = (config.seed ?? Date.now()) >>> 0;
  const limits = { slowMs: config.slowMs ?? 2000, maxHeapGrowthMb: config.maxHeapGrowthMb ?? 512 };
  const iterations = config.iterations ?? (config.timeBudgetMs === undefined ? 1000 : Infinity);
  const crashDir = config.crashDir ?? join('build', 'fuzz-crashes');
  const stats: FuzzStats = { executions: 0, notPe: 0, withIssues: 0, maxParseMs: 0, maxParseCpuMs: 0, peakHeapMb: heapMb(), failures: [], issueStructures: {}, elapsedMs: 0 };
  const baseHeap = stats.peakHeapMb;
  const started = performance.now();
  let lastProgress = started;
  for (let iteration = config.firstIteration ?? 0; stats.executions < iterations; iteration++) {
    if (config.timeBudgetMs !== undefined && performance.now() - started >= config.timeBudgetMs) break;
    config.onIteration?.(iteration);
    const input = fuzzInput(seeds, runSeed, iteration);
    const outcome = runOne(input);
    const heap = heapMb();
    record(stats, outcome, heap);
    const failure = failureOf(outcome, heap - baseHeap, limits);
    if (failure) {
      const file = saveCrash(crashDir, input, { runSeed, iteration, ...failure, parseMs: outcome.parseMs, cpuMs: outcome.cpuMs });
      stats.failures.push({ ...failure, source: input.source, runSeed, iteration, inputSeed: input.inputSeed, mutations: input.mutations, options: input.options, parseMs: outcome.parseMs, file });
    }
    stats.elapsedMs = performance.now() - started;
    if (config.onProgress && performance.now() - lastProgress >= (config.progressEveryMs ?? 5000)) {
      lastProgress = performance.now();
      config.onProgress(stats);
    }
  }
  stats.elapsedMs = performance.now() - started;
  return stats;
}

function record(stats: FuzzStats, outcome: Outcome, heap: number): void {
  stats.executions++;
  if (outcome.notPe) stats.notPe++;
  if (outcome.issues.length > 0) stats.withIssues++;
  for (const structure of new Set(outcome.issues.map(structureKey))) stats.issueStructures[structure] = (stats.issueStructures[structure] ?? 0) + 1;
  stats.maxParseMs = Math.max(stats.maxParseMs, outcome.parseMs);
  stats.maxParseCpuMs = Math.max(stats.maxParseCpuMs, outcome.cpuMs);
  stats.peakHeapMb = Math.max(stats.peakHeapMb, heap);
}
