import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileReader } from '../file-reader.ts';
import { parsePe, type ParseOptions } from '../parse-pe.ts';
import type { PeImage } from '../pe-image.ts';
import { fuzzParser } from './fuzz-runner.ts';
import { locatePe } from './mutate.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const WINE64 = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows';
const WINE32 = '/usr/lib/i386-linux-gnu/wine/i386-windows';
const WINE_SEEDS = [
  `${WINE64}/kernel32.dll`, `${WINE64}/shell32.dll`, `${WINE64}/comctl32.dll`,
  `${WINE32}/kernel32.dll`, `${WINE32}/msvcp140.dll`,
];

function fixtureSeeds(): string[] {
  return ['x86', 'x64'].flatMap((arch) => {
    const dir = join(ROOT, 'build', 'fixtures', arch);
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.dll')).map((f) => join(dir, f)) : [];
  });
}

function availableSeeds(): string[] {
  const seeds = WINE_SEEDS.filter((path) => {
    if (existsSync(path)) return true;
    console.log(`fuzz seed skipped: ${path} is absent (Wine's PE DLLs not installed)`);
    return false;
  });
  const fixtures = fixtureSeeds();
  if (fixtures.length === 0) console.log('fuzz seeds: no build/fixtures/{x86,x64}/*.dll (run `npm run build:fixtures` to add them)');
  return [...seeds, ...fixtures];
}

const seeds = availableSeeds();

test('mutated real DLLs never crash or hang the parser', { skip: seeds.length === 0 ? 'no seed DLLs available' : false, timeout: 120_000 }, () => {
  const stats = fuzzParser({ seeds, timeBudgetMs: 18_000, seed: 20240611, crashDir: join(ROOT, 'build', 'fuzz-crashes') });
  const { failures, issueStructures, ...summary } = stats;
  console.log(`fuzz: ${JSON.stringify({ ...summary, seeds: seeds.length, failures: failures.length })}`);
  for (const failure of failures) console.log(`fuzz failure (${failure.kind}) ${failure.file}: ${failure.message.split('\n')[0]}`);
  assert.equal(failures.length, 0, `fuzz failures saved in build/fuzz-crashes: ${failures.map((f) => f.file).join(', ')}`);
  assert.ok(stats.executions >= 50, `only ${stats.executions} executions`);
  // Mutations must reach the parser's checks, not just bounce off the MZ signature.
  assert.ok(stats.withIssues > stats.executions / 10, `only ${stats.withIssues} of ${stats.executions} inputs produced issues`);
  assert.ok(stats.notPe < stats.executions / 2);
  for (const structure of ['export directory', 'section table', 'optional header']) {
    assert.ok(issueStructures[structure], `no mutation reached the ${structure} checks`);
  }
});

function cpuTimed(data: Buffer, options: ParseOptions): { image: PeImage; cpuMs: number } {
  const before = process.cpuUsage();
  const image = parsePe(FileReader.fromBuffer(data), 'regression.dll', options);
  const used = process.cpuUsage(before);
  return { image, cpuMs: (used.user + used.system) / 1000 };
}

const KERNEL32 = `${WINE64}/kernel32.dll`;
const noKernel32 = existsSync(KERNEL32) ? false : `${KERNEL32} is absent`;

// Found by the fuzzer: every section mapping the whole file made entropy hash it once per section.
test('regression: 2048 sections over the same bytes do not make entropy quadratic', { skip: noKernel32 }, () => {
  const data = readFileSync(KERNEL32);
  const pe = locatePe(data)!;
  data.writeUInt16LE(2048, pe.fileHeader + 2);
  for (let index = 0; index < 2048; index++) {
    const entry = pe.sectionTable + index * 40;
    data.writeUInt32LE(data.length, entry + 8);
    data.writeUInt32LE(0x1000 * (index + 1), entry + 12);
    data.writeUInt32LE(data.length, entry + 16);
    data.writeUInt32LE(0, entry + 20);
  }
  const { image, cpuMs } = cpuTimed(data, { details: false, entropy: true });
  assert.equal(image.sections.length, 2048);
  assert.ok(cpuMs < 2000, `took ${cpuMs} ms`);
});

// Found by the fuzzer on a mutated node.exe: each bound descriptor may declare 65535 forwarder refs.
test('regression: bound import descriptors with 65535 refs each stay bounded', { skip: noKernel32 }, () => {
  const header = readFileSync(KERNEL32);
  const pe = locatePe(header)!;
  const sizeOfHeaders = header.readUInt32LE(pe.optionalHeader + 60);
  const data = Buffer.alloc(40 * 1024 * 1024, 0xff);
  header.copy(data, 0, 0, sizeOfHeaders - 8);
  data.writeUInt16LE(0, pe.fileHeader + 2);
  data.writeUInt32LE(16, pe.rvaCountOffset);
  data.writeUInt32LE(sizeOfHeaders - 8, pe.directories + 11 * 8);
  data.writeUInt32LE(8, pe.directories + 11 * 8 + 4);
  const { image, cpuMs } = cpuTimed(data, { details: true, entropy: false });
  const refs = image.boundImports.reduce((sum, b) => sum + 1 + b.forwarderRefs.length, 0);
  assert.ok(refs <= 4096, `${refs} bound entries read`);
  assert.ok(image.issues.some((i) => i.structure === 'bound import directory'));
  assert.ok(cpuMs < 2000, `took ${cpuMs} ms`);
});
