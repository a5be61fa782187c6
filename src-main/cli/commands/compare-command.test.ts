import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareFixturePath, fixtureDir } from '../../test-support/fixtures.ts';
import { builtCliSkip, runCli } from '../../test-support/run-cli.ts';

const v1 = compareFixturePath('x64', 'v1');
const v2 = compareFixturePath('x64', 'v2');

test('compare two builds that differ: text names the added, removed and changed, exit 1', { skip: builtCliSkip }, () => {
  const run = runCli(['compare', v1, v2]);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /They differ \(exports: 2 added, 1 removed, 0 changed; imports: 2 module\(s\) differ\)/);
  assert.match(run.stdout, /^\s+added\s+Subtract @\d+$/m);
  assert.match(run.stdout, /^\s+removed\s+Legacy @\d+$/m);
  assert.match(run.stdout, /KERNEL32\.dll\s+changed\s+GetTickCount64\s+GetTickCount/i);
  assert.match(run.stdout, /≠ file version\s+1\.0\.0\.0\s+2\.0\.0\.0/);
});

test('compare a file with itself: "Same exports and imports", exit 0', { skip: builtCliSkip }, () => {
  const run = runCli(['compare', v1, v1]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Same exports and imports/);
});

test('compare --json: the comparison document; --md and --html to --out', { skip: builtCliSkip }, () => {
  const doc = JSON.parse(runCli(['compare', v1, v2, '--json']).stdout);
  assert.equal(doc.schemaVersion, 1);
  assert.deepEqual(doc.comparison.exports.removed.map((e: { name: string }) => e.name), ['Legacy']);
  assert.deepEqual(doc.comparison.differs, { exports: true, imports: true });
  const dir = mkdtempSync(join(tmpdir(), 'thunk-compare-'));
  try {
    assert.equal(runCli(['compare', v1, v2, '--md', '--out', join(dir, 'c.md')]).status, 1);
    assert.match(readFileSync(join(dir, 'c.md'), 'utf8'), /^\| added \|  \| Subtract @\d+ \|$/m);
    assert.equal(runCli(['compare', v1, v2, '--html', '--out', join(dir, 'c.html')]).status, 1);
    assert.match(readFileSync(join(dir, 'c.html'), 'utf8'), /<td>removed<\/td><td>Legacy @\d+<\/td>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compare: usage errors exit 2, unreadable or non-PE files exit 3 naming the file', { skip: builtCliSkip }, () => {
  assert.equal(runCli(['compare', v1]).status, 2);
  assert.equal(runCli(['compare', v1, v2, '--json', '--md']).status, 2);
  const folder = runCli(['compare', fixtureDir('x64'), v2]);
  assert.equal(folder.status, 2);
  assert.match(folder.stderr, /is a folder: compare takes two files/);
  const missing = runCli(['compare', '/no/such/a.dll', v2]);
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /cannot compare \/no\/such\/a\.dll: .*no such file/);
  const notPe = runCli(['compare', process.execPath, v2]);
  assert.equal(notPe.status, 3);
  assert.match(notPe.stderr, /cannot compare .*not a Windows DLL/);
});
