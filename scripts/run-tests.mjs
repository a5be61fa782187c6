// Runs every *.test.ts under the source folders with Node's test runner (Node 20 has no glob
// support in --test), through tsx so the tests run the TypeScript sources directly. Ends with, per
// agent runtime, how it ran and how many tests exercised it; with THUNK_REQUIRE_RUNTIMES set (as on
// CI), a required runtime that no test exercised fails the run.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['src-main', 'src-agent32', 'src-renderer', 'scripts'];
const filter = process.argv.slice(2);
const RUNTIMES = ['linux-x64', 'win32-ia32', 'win32-x64'];

function collect(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...collect(full));
    else if (entry.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

/** Per runtime: how it ran (distinct descriptions), agents started, tests that exercised it. */
function readLedger(folder) {
  const usage = new Map(RUNTIMES.map((arch) => [arch, { how: new Set(), starts: 0, tests: new Set() }]));
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
      if (!line) continue;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        continue; // a line cut short by a killed process
      }
      const row = usage.get(entry.arch);
      if (!row) continue;
      if (entry.kind === 'agent-start') {
        row.starts++;
        row.how.add(entry.how);
      } else {
        row.tests.add(`${entry.file}\0${entry.test}`);
      }
    }
  }
  return usage;
}

function requiredRuntimes() {
  const names = (process.env.THUNK_REQUIRE_RUNTIMES ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  return names.map((n) => (n === 'native' ? 'linux-x64' : n));
}

/** Prints the runtime summary; returns the required runtimes that did not run. */
function summarise(usage) {
  const required = requiredRuntimes();
  console.log('\nAgent runtimes in this run:');
  for (const [arch, row] of usage) {
    const how = row.how.size > 0 ? [...row.how].join('; ') : 'did not run';
    console.log(`  ${arch.padEnd(10)} ${String(row.tests.size).padStart(4)} tests, ${String(row.starts).padStart(4)} agent starts: ${how}${required.includes(arch) ? ' (required)' : ''}`);
  }
  return required.filter((arch) => !usage.get(arch) || usage.get(arch).starts === 0 || usage.get(arch).tests.size === 0);
}

/** "# pass N" and friends from the TAP copy of the run. */
function counts(tapFile) {
  const tap = readFileSync(tapFile, 'utf8');
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  return { pass: count('pass'), fail: count('fail') + count('cancelled'), skip: count('skipped') };
}

const files = roots.flatMap((root) => collect(root)).filter((f) => filter.length === 0 || filter.some((p) => f.includes(p))).sort();
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const ledger = mkdtempSync(join(tmpdir(), 'thunk-runtime-ledger-'));
const tapFile = join(ledger, 'run.tap');
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tapFile}`];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...reporters, '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, THUNK_RUNTIME_LEDGER: ledger },
});
let status = result.status ?? 1;
try {
  const missing = summarise(readLedger(ledger));
  if (missing.length > 0 && filter.length === 0) {
    console.log(`run-tests: required agent runtime(s) exercised by no test: ${missing.join(', ')} (THUNK_REQUIRE_RUNTIMES)`);
    status = status || 1;
  }
  const { pass, fail, skip } = counts(tapFile);
  console.log(`\ntests: ${pass} passed, ${fail} failed, ${skip} skipped`);
} finally {
  rmSync(ledger, { recursive: true, force: true });
}
process.exit(status);
