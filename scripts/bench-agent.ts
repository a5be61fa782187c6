// `npm run bench:agent`: the cost of running a call in an agent process. Compares a trivial
// int add(int, int) through the supervisor + native agent with the same call in-process (koffi)
// and with a bare pipe echo between two node processes (the floor); then start-up and crash
// recovery; then the same under Wine when the win32 runtimes are staged.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Supervisor } from '../src-main/node-services/agent/supervisor.ts';
import { type AgentArch, RuntimeMissingError, locateRuntime } from '../src-main/node-services/agent/runtime-locator.ts';
import { nativeFixture, nativeRuntime, windowsFixtures } from '../src-main/node-services/agent/test-support.ts';

interface Row {
  seqMedianUs: number | null;
  /** Throughput of each round, in calls per second. */
  pipelinedPerSec: number[];
  /** Every call submitted at once (one Promise.all over all of them), per round. */
  burstPerSec: number[];
  coldStartMs: number | null;
  crashToReadyMs: number | null;
  note?: string;
  /** How the agent ran (its runtime description). */
  how?: string;
}

const SEQ = Number(process.env.BENCH_SEQ ?? 3000);
const PIPE = Number(process.env.BENCH_PIPE ?? 50_000);
/**
 * Throughput rounds: on a shared 2-core VM a round can lose half its speed to a neighbour, so each
 * figure is given as the best round (what the code can do) and the median (what a run will see).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Calls a pipelining client keeps outstanding; the supervisor itself sends at most 64 ahead. */
const WINDOW = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function benchEcho(): Promise<Row> {
  const script = "const fs=require('fs');const b=Buffer.alloc(65536);(function r(){fs.read(0,b,0,b.length,null,(e,n)=>{if(e||!n)process.exit(0);fs.writeSync(1,b,0,n);r();});})();";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const message = Buffer.alloc(120, 0x61);
  let pending = 0;
  let waiter: (() => void) | null = null;
  child.stdout.on('data', (chunk: Buffer) => {
    pending -= chunk.length;
    if (pending <= 0 && waiter) waiter();
  });
  const roundTrip = (count: number) => new Promise<void>((done) => {
    pending += message.length * count;
    waiter = done;
    child.stdin.write(count === 1 ? message : Buffer.concat(Array.from({ length: count }, () => message)));
  });
  const times: number[] = [];
  for (let i = 0; i < SEQ; i++) {
    const t = performance.now();
    await roundTrip(1);
    times.push(performance.now() - t);
  }
  // Pipelined in windows of 64 messages, as the supervisor keeps at most 64 in flight.
  const rounds = await perSecondRounds(PIPE, async () => {
    for (let i = 0; i < PIPE; i += 64) await roundTrip(64);
  });
  child.stdin.end();
  return { seqMedianUs: median(times) * 1000, pipelinedPerSec: rounds, burstPerSec: [], coldStartMs: null, crashToReadyMs: null };
}

async function benchKoffi(lib: string): Promise<Row> {
  const koffi = createRequire(import.meta.url)('koffi') as { load(path: string): { func(proto: string): (a: number, b: number) => number } };
  const add = koffi.load(lib).func('int add(int a, int b)');
  const times: number[] = [];
  for (let i = 0; i < SEQ; i++) {
    const t = performance.now();
    add(i, 1);
    times.push(performance.now() - t);
  }
  const rounds = await perSecondRounds(PIPE, () => {
    for (let i = 0; i < PIPE; i++) add(i, 1);
  });
  return { seqMedianUs: median(times) * 1000, pipelinedPerSec: rounds, burstPerSec: [], coldStartMs: null, crashToReadyMs: null, note: 'no process boundary' };
}

async function benchAgent(arch: AgentArch, lib: string, crashProto: string, locate: () => ReturnType<typeof locateRuntime>, scale = 1): Promise<Row> {
  const supervisor = new Supervisor({ locate, pingIntervalMs: 0, maxQueue: PIPE + 10, breaker: { threshold: 1000, windowMs: 1000, cooldownMs: 1 } });
  try {
    const cold: number[] = [];
    supervisor.on('start', (e) => cold.push(e.startMs));
    const first = await supervisor.call(lib, 'int add(int a, int b)', [1, 2], { arch });
    if (first.kind !== 'result') throw new Error(`first call failed: ${JSON.stringify(first)}`);
    const seq = Math.max(100, Math.round(SEQ * scale));
    const times: number[] = [];
    for (let i = 0; i < seq; i++) {
      const t = performance.now();
      await supervisor.call(lib, 'int add(int a, int b)', [i, 1], { arch });
      times.push(performance.now() - t);
    }
    const pipe = Math.max(1000, Math.round(PIPE * scale));
    const add = (i: number) => supervisor.call(lib, 'int add(int a, int b)', [i, 1], { arch });
    const wrong = (o: Awaited<ReturnType<typeof add>>, i: number) => o.kind !== 'result' || o.result.value !== i + 1;
    let failed = 0;
    const perSec = await perSecondRounds(pipe, async () => {
      failed += await slidingWindow(pipe, WINDOW, add, wrong);
    });
    const burstPerSec = await perSecondRounds(pipe, async () => {
      const burst = await Promise.all(Array.from({ length: pipe }, (_, i) => add(i)));
      failed += burst.filter(wrong).length;
    });
    const recoveries: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const crashed = await supervisor.call(lib, crashProto, [1], { arch });
      if (crashed.kind !== 'crash') throw new Error(`expected a crash: ${JSON.stringify(crashed)}`);
      await supervisor.ping(arch);
      recoveries.push(performance.now() - t);
    }
    return { seqMedianUs: median(times) * 1000, pipelinedPerSec: perSec, burstPerSec, coldStartMs: median(cold), crashToReadyMs: median(recoveries), note: failed ? `${failed} pipelined calls failed or returned a wrong value` : undefined };
  } finally {
    await supervisor.dispose();
  }
}

/** Runs `round` (of `calls` calls) ROUNDS times; returns each round's calls per second. */
async function perSecondRounds(calls: number, round: () => unknown): Promise<number[]> {
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await round();
    rates.push(calls / ((performance.now() - t0) / 1000));
  }
  return rates;
}

/**
 * Runs `count` calls keeping `window` outstanding: a new one starts as each one ends, and each
 * outcome is checked as it arrives (as a pipelining client would), not kept. Returns how many failed.
 */
async function slidingWindow<T>(count: number, window: number, start: (i: number) => Promise<T>, failed: (outcome: T, i: number) => boolean): Promise<number> {
  let next = 0;
  let failures = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) if (failed(await start(i), i)) failures++;
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
  return failures;
}

async function coldStarts(arch: AgentArch, locate: () => ReturnType<typeof locateRuntime>, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const supervisor = new Supervisor({ locate, pingIntervalMs: 0 });
    const t = performance.now();
    await supervisor.ping(arch);
    times.push(performance.now() - t);
    await supervisor.dispose();
  }
  return median(times);
}

function rate(rounds: number[]): string {
  if (rounds.length === 0) return '-';
  const format = (perSec: number) => Math.round(perSec).toLocaleString('en-US');
  return rounds.length === 1 ? `${format(rounds[0]!)}/s` : `${format(Math.max(...rounds))} (${format(median(rounds))})/s`;
}

function cell(value: number | null, unit: string, digits = 1): string {
  return value === null ? '-' : `${value.toFixed(digits)} ${unit}`;
}

function print(columns: [string, Row | string][]): void {
  const rows: [string, (r: Row) => string, string][] = [
    ['median round trip', (r) => cell(r.seqMedianUs, 'µs'), '≤ 2× echo'],
    ['pipelined: best (median)', (r) => rate(r.pipelinedPerSec), '≥ 100,000/s'],
    ['  all submitted at once', (r) => rate(r.burstPerSec), ''],
    ['cold start to ready', (r) => cell(r.coldStartMs, 'ms'), '< 150 ms'],
    ['crash to ready again', (r) => cell(r.crashToReadyMs, 'ms'), '< 300 ms'],
  ];
  const width = 26;
  const header = ['metric'.padEnd(22), ...columns.map(([name]) => name.padEnd(width)), 'goal (native)'].join(' ');
  const lines = [header, '-'.repeat(header.length)];
  for (const [label, get, goal] of rows) {
    lines.push([label.padEnd(22), ...columns.map(([, r]) => (typeof r === 'string' ? 'skipped' : get(r)).padEnd(width)), goal].join(' '));
  }
  for (const [name, r] of columns) {
    if (typeof r === 'string') lines.push(`${name}: skipped: ${r}`);
    else if (r.how) lines.push(`${name}: ${r.how}`);
    else if (r.note) lines.push(`${name}: ${r.note}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const lib = nativeFixture();
  const native = nativeRuntime();
  if (!lib.path || !native.runtime) throw new Error(`native bench impossible: ${lib.reason || native.reason}`);
  process.stdout.write(`bench-agent: ${SEQ} sequential calls; ${ROUNDS} rounds of ${PIPE} pipelined with ${WINDOW} outstanding, then all at once (Wine: a tenth); node ${process.version}\n\n`);
  const echo = await benchEcho();
  const koffi = await benchKoffi(lib.path);
  const locateNative = () => native.runtime!;
  const agent = await benchAgent('linux-x64', lib.path, 'int crash_write(int v)', locateNative);
  agent.coldStartMs = await coldStarts('linux-x64', locateNative, 7);
  const columns: [string, Row | string][] = [['pipe echo (floor)', echo], ['koffi in-process', koffi], ['native agent', agent]];
  for (const [arch, bits] of [['win32-ia32', 'x86'], ['win32-x64', 'x64']] as const) {
    let name = `Wine ${bits === 'x86' ? '32' : '64'}-bit agent`;
    try {
      // The column says how it runs: Wine's 64-bit loader, 32-bit Wine natively, or 32-bit Wine under qemu.
      const { execution } = locateRuntime(arch);
      if (execution.kind === 'wine-emulated') name = `Wine 32-bit, ${execution.emulator.replace(/ .*/, '')}`;
      const dlls = windowsFixtures(bits).dlls;
      if (!dlls) throw new RuntimeMissingError(arch, windowsFixtures(bits).reason);
      const row = await benchAgent(arch, dlls.supervised, 'int crash_write(int v)', () => locateRuntime(arch), 0.1);
      row.how = locateRuntime(arch).description;
      row.coldStartMs = await coldStarts(arch, () => locateRuntime(arch), 3);
      columns.push([name, row]);
    } catch (error) {
      columns.push([name, (error as Error).message]);
    }
  }
  print(columns);
  const ratio = agent.seqMedianUs! / echo.seqMedianUs!;
  process.stdout.write(`\nnative agent round trip = ${ratio.toFixed(1)}× the bare echo\n`);
}

await main();
