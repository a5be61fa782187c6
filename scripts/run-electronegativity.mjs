// Runs electronegativity over the Electron main process and fails on any finding above LOW that is
// not suppressed in the code (`eng-disable CHECK: reason`). It exits 0 whatever it finds, so its
// CSV is read here. Offline: the check that downloads Electron's release list is left out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const OFFLINE_EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];
const BLOCKING = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);

// electronegativity requires commander without declaring it and uses the API of commander 5; our
// CLI's commander 14 sits at the top of node_modules. Give it its own copy (devDependency
// commander-for-electronegativity, an alias of commander@5.1.0), where Node looks first.
const tool = join(root, 'node_modules', '@doyensec', 'electronegativity');
const ownCommander = join(tool, 'node_modules', 'commander');
if (!existsSync(ownCommander)) {
  mkdirSync(dirname(ownCommander), { recursive: true });
  symlinkSync(join(root, 'node_modules', 'commander-for-electronegativity'), ownCommander, 'dir');
}

const out = mkdtempSync(join(tmpdir(), 'thunk-eneg-'));
const csv = join(out, 'findings.csv');
const run = spawnSync(process.execPath, [join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js'),
  '-i', join(root, 'src-main', 'electron-main'), '-x', OFFLINE_EXCLUDED.join(','), '-e', electronVersion, '-r', '-v', 'false', '-o', csv], { encoding: 'utf8' });
let text;
try {
  text = readFileSync(csv, 'utf8');
} catch {
  console.error(`electronegativity wrote no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  process.exit(1);
} finally {
  rmSync(out, { recursive: true, force: true });
}

/** Splits one CSV line (electronegativity quotes fields that hold commas). */
function fields(line) {
  return [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].map((m) => (m[2] ?? m[1]).trim()).slice(0, 8);
}

const findings = text.trim().split('\n').slice(1).filter(Boolean).map(fields).map(([id, severity, confidence, file, location, sample]) => ({ id, severity, confidence, file, location, sample }));
const blocking = findings.filter((f) => BLOCKING.has(f.severity));
for (const f of findings) console.log(`${BLOCKING.has(f.severity) ? 'FAIL' : 'ok  '} ${f.severity.padEnd(13)} ${f.id} ${f.file}:${f.location} ${f.sample}`);
console.log(`electronegativity ${electronVersion}: ${findings.length} finding(s), ${blocking.length} above LOW and not suppressed`);
process.exit(blocking.length ? 1 : 0);
