import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureDir, fixturePath } from '../../test-support/fixtures.ts';
import { runCli } from '../../test-support/run-cli.ts';

let work = '';
before(() => {
  work = mkdtempSync(join(tmpdir(), 'thunk-triage-cli-'));
});

test('a DLL whose dependency is missing: exit 1, error 126 naming the module, the fix', () => {
  const run = runCli(['triage', fixturePath('needs-missing-dep', 'x64'), '--host', 'x64']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /64-bit process: fails: 126 ERROR_MOD_NOT_FOUND/);
  assert.match(run.stdout, /missing-dep\.dll not found/);
  assert.match(run.stdout, /fix: Put the 64-bit missing-dep\.dll/);
});

test('--json: one versioned document with the fields scripts rely on', () => {
  const run = runCli(['triage', fixturePath('needs-newer-dep', 'x86'), '--json']);
  assert.equal(run.status, 1, run.stderr);
  const doc = JSON.parse(run.stdout);
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.machine, 'x86');
  assert.ok(doc.exports.every((e: { ordinal: number }) => Number.isInteger(e.ordinal)));
  assert.ok(doc.imports.some((m: { dll: string; functions: { name?: string }[] }) => m.dll.toLowerCase() === 'versioned-dep.dll' && m.functions.some((f) => f.name === 'DepNew')));
  assert.deepEqual(doc.verdicts.x86.error, { code: 127, name: 'ERROR_PROC_NOT_FOUND', message: 'The specified procedure could not be found.' });
  assert.equal(doc.verdicts.x86.loads, false);
  assert.equal(doc.verdicts.x64.error.code, 193);
  assert.equal(doc.dependencies.x86.name, 'needs-newer-dep.dll');
  assert.ok(doc.dependencies.x86.children.some((c: { name: string; path: string | null; strategy: string }) => c.name.toLowerCase() === 'versioned-dep.dll' && c.path !== null && c.strategy === 'application-dir'));
  const rootCause = doc.findings.find((f: { rootCause: boolean }) => f.rootCause);
  assert.equal(rootCause.code, 'THK-MISSING-EXPORT');
  assert.equal(rootCause.severity, 'error');
});

test('several files give one document with results[]', () => {
  const run = runCli(['triage', fixturePath('calling-conventions', 'x86'), fixturePath('calling-conventions', 'x64'), '--json']);
  const doc = JSON.parse(run.stdout);
  assert.equal(doc.schemaVersion, 1);
  assert.deepEqual(doc.results.map((r: { machine: string }) => r.machine), ['x86', 'x64']);
});

test('a DLL that loads in its own bitness exits 0 when both bitnesses are judged', () => {
  const run = runCli(['triage', fixturePath('calling-conventions', 'x64')]);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /✓ 64-bit process: loads/);
  assert.match(run.stdout, /– 32-bit process: not for this host \(193 ERROR_BAD_EXE_FORMAT if tried\)/);
});

test('asked about the other bitness alone, a DLL that cannot load there is a blocking problem', () => {
  const run = runCli(['triage', fixturePath('calling-conventions', 'x64'), '--host', 'x86']);
  assert.equal(run.status, 1);
});

test('a folder is scanned; --problems-only lists only the broken DLLs', () => {
  const run = runCli(['triage', fixtureDir('x64'), '--problems-only']);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /needs-missing-dep\.dll/);
  assert.match(run.stdout, /needs-newer-dep\.dll/);
  assert.doesNotMatch(run.stdout, /calling-conventions\.dll/);
});

test('--html --out writes a self-contained page with the verdicts', () => {
  const out = join(work, 'report.html');
  const run = runCli(['triage', fixturePath('needs-missing-dep', 'x86'), '--html', '--out', out]);
  assert.equal(run.status, 1);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /126 ERROR_MOD_NOT_FOUND/);
  assert.doesNotMatch(html, /<script|<link /i);
});

test('--md gives a Markdown report', () => {
  const run = runCli(['triage', fixturePath('needs-missing-dep', 'x86'), '--md']);
  assert.match(run.stdout, /^# Thunk report/);
  assert.match(run.stdout, /\| 32-bit process \| ❌ fails: 126/);
});

test('usage errors exit 2 and say what is wrong', () => {
  assert.equal(runCli(['triage']).status, 2);
  const bad = runCli(['triage', 'x.dll', '--host', 'arm']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--host <arch>' argument 'arm' is invalid\. Allowed choices are x86, x64, both/);
  assert.equal(runCli(['triage', 'x.dll', '--json', '--md']).status, 2);
  assert.equal(runCli(['frobnicate']).status, 2);
});

test('a missing file exits 3 with a clear message', () => {
  const run = runCli(['triage', join(work, 'nope.dll')]);
  assert.equal(run.status, 3);
  assert.match(run.stdout, /nope\.dll: no such file/);
});

test('a file that is not a PE says what it is', () => {
  const text = join(work, 'notes.dll');
  writeFileSync(text, 'hello, this is not a DLL\n');
  const run = runCli(['triage', text]);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /a text file, not a Windows DLL/);
  const elf = runCli(['triage', process.execPath]);
  assert.match(elf.stdout, /ELF executable for x86-64|ELF shared object for x86-64/);
});

test('plain LoadLibrary from another application folder: 126 where the DLL\'s own folder would have worked', () => {
  const app = mkdtempSync(join(tmpdir(), 'thunk-app-'));
  const run = runCli(['triage', fixturePath('needs-newer-dep', 'x64'), '--host', 'x64', '--app-dir', app, '--load-method', 'load-library', '--json']);
  const doc = JSON.parse(run.stdout);
  assert.equal(doc.verdicts.x64.error.code, 126);
  const altered = JSON.parse(runCli(['triage', fixturePath('needs-newer-dep', 'x64'), '--host', 'x64', '--app-dir', app, '--load-method', 'altered-search-path', '--json']).stdout);
  assert.equal(altered.verdicts.x64.error.code, 127);
});

test('an unreadable file (permission denied) exits 3', { skip: process.getuid?.() === 0 ? 'running as root: chmod 000 does not deny root' : false }, () => {
  const locked = join(work, 'locked.dll');
  copyFileSync(fixturePath('calling-conventions', 'x64'), locked);
  chmodSync(locked, 0);
  const run = runCli(['triage', locked]);
  assert.equal(run.status, 3);
  assert.match(run.stdout, /permission denied/);
});

test('--problems-only --json keeps the several-files shape when one file is left', () => {
  const folder = mkdtempSync(join(tmpdir(), 'thunk-one-problem-'));
  copyFileSync(fixturePath('calling-conventions', 'x64'), join(folder, 'fine.dll'));
  copyFileSync(fixturePath('needs-missing-dep', 'x64'), join(folder, 'broken.dll'));
  const doc = JSON.parse(runCli(['triage', folder, '--problems-only', '--json']).stdout);
  assert.deepEqual(doc.results.map((r: { file: string }) => r.file), [join(folder, 'broken.dll')]);
  assert.equal(doc.machine, undefined);
});

test('text output replaces terminal control characters from file names', () => {
  const folder = mkdtempSync(join(tmpdir(), 'thunk-ctl-'));
  const name = join(folder, 'esc\u001b[31mred.dll');
  writeFileSync(name, 'not a dll');
  const run = runCli(['triage', name]);
  assert.doesNotMatch(run.stdout, /\u001b/);
  assert.match(run.stdout, /esc\?\[31mred\.dll/);
});
