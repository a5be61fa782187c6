import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixtureDir, fixturePath } from '../../test-support/fixtures.ts';
import { ApiError, type EventPayload } from '../../contract/api-contract.ts';
import { SessionService } from './session-service.ts';

const configDir = mkdtempSync(join(tmpdir(), 'thunk-service-'));
const service = new SessionService({ host: 'in-process', configDir });
after(async () => {
  await service.dispose();
  rmSync(configDir, { recursive: true, force: true });
});

test('a 32-bit fixture opened in the worker: verdicts per host, SHA-256 of the file, progress events, a recent file', async () => {
  const dll = fixturePath('needs-missing-dep', 'x86');
  const progress: EventPayload<'triage.progress'>[] = [];
  const listener = (e: { name: string; payload: unknown }): void => { if (e.name === 'triage.progress') progress.push(e.payload as EventPayload<'triage.progress'>); };
  service.on('event', listener);
  const opened = await service.request('triage.open', { jobId: 'job-1', paths: [dll] });
  service.off('event', listener);
  const report = opened.document.results[0]!;
  assert.equal(report.verdicts.x86!.loads, false);
  assert.equal(report.verdicts.x86!.error!.code, 126);
  assert.equal(report.verdicts.x64!.error!.code, 193);
  assert.equal(opened.identities[0]!.sha256, createHash('sha256').update(readFileSync(dll)).digest('hex'));
  assert.deepEqual(report.imports, [], 'the view copy leaves the lists out…');
  assert.ok(opened.identities[0]!.counts.imports > 0, '…and counts them');
  assert.deepEqual(opened.identities[0]!.chains.x86!.map((n) => n.toLowerCase()), ['needs-missing-dep.dll', 'missing-dep.dll']);
  assert.deepEqual(progress.at(-1), { jobId: 'job-1', done: 1, total: 1, file: '' });
  const settings = await service.request('settings.get', {});
  assert.equal(settings.recentFiles[0]!.path, dll);
  assert.match(readFileSync(join(configDir, 'settings.json'), 'utf8'), /needs-missing-dep/);
});

test('within one session, a dependency added or replaced between two opens is read again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'thunk-replace-'));
  const work = join(fixtureDir('x86'), '..', '..', 'fixtures-work', 'x86');
  copyFileSync(fixturePath('needs-missing-dep', 'x86'), join(dir, 'needs-missing-dep.dll'));
  copyFileSync(fixturePath('needs-newer-dep', 'x86'), join(dir, 'needs-newer-dep.dll'));
  copyFileSync(fixturePath('versioned-dep', 'x86'), join(dir, 'versioned-dep.dll'));
  const verdict = async (name: string) => (await service.request('triage.open', { jobId: `r-${name}-${Math.random()}`, paths: [join(dir, name)] })).document.results[0]!.verdicts.x86!;
  assert.equal((await verdict('needs-missing-dep.dll')).error?.code, 126);
  assert.equal((await verdict('needs-newer-dep.dll')).error?.code, 127);
  copyFileSync(join(work, 'missing-dep.dll'), join(dir, 'missing-dep.dll'));
  copyFileSync(join(work, 'v2', 'versioned-dep.dll'), join(dir, 'versioned-dep.dll'));
  const later = new Date(Date.now() + 5000);
  for (const path of [dir, join(dir, 'versioned-dep.dll')]) utimesSync(path, later, later);
  assert.equal((await verdict('needs-missing-dep.dll')).loads, true, 'the added dependency is found');
  assert.equal((await verdict('needs-newer-dep.dll')).loads, true, 'the replaced dependency exports the function now');
  rmSync(dir, { recursive: true, force: true });
});

test('a file that is not a PE: a not-pe report with a finding that says what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'thunk-notpe-'));
  const file = join(dir, 'readme.dll');
  writeFileSync(file, 'hello, this is text');
  const opened = await service.request('triage.open', { jobId: 'np', paths: [file] });
  assert.equal(opened.document.results[0]!.status, 'not-pe');
  assert.equal(opened.document.results[0]!.findings[0]!.code, 'THK-NOT-PE');
  rmSync(dir, { recursive: true, force: true });
});

test('export: HTML, JSON and Markdown from the report generators, with user paths redacted on request', async () => {
  const opened = await service.request('triage.open', { jobId: 'ex', paths: [fixturePath('version-and-manifest', 'x64')] });
  const json = await service.request('report.export', { id: opened.id, format: 'json', redactUserPaths: false });
  assert.equal(JSON.parse(json.content).schemaVersion, 1);
  assert.ok(JSON.parse(json.content).imports.length > 0, 'the export holds the whole report');
  assert.equal(json.fileName, 'thunk-version-and-manifest.json');
  const html = await service.request('report.export', { id: opened.id, format: 'html', redactUserPaths: false });
  assert.match(html.content, /^<!doctype html>/);
  const md = await service.request('report.export', { id: opened.id, format: 'markdown', redactUserPaths: false });
  assert.match(md.content, /^# Thunk report/);
});

test('cancelling a queued run rejects it as cancelled', async () => {
  const paths = [fixturePath('calling-conventions', 'x64')];
  // Every fixture DLL of both bitnesses: a run long enough for the next one to wait (a file named twice is read once).
  const folders = [dirname(paths[0]!), dirname(fixturePath('calling-conventions', 'x86'))];
  const many = folders.flatMap((folder) => readdirSync(folder).filter((f) => f.endsWith('.dll')).map((f) => join(folder, f)));
  const running = service.request('triage.open', { jobId: 'slow', paths: many });
  const queued = service.request('triage.open', { jobId: 'c1', paths });
  assert.deepEqual(await service.request('triage.cancel', { jobId: 'c1' }), { cancelled: true });
  await assert.rejects(queued, (error: ApiError) => error.code === 'cancelled');
  assert.equal((await running).document.results.length, many.length);
});

test('requests are checked at the edge: unknown names and bad arguments are refused in words', async () => {
  await assert.rejects(service.dispatch('files.delete', {}), (error: ApiError) => error.code === 'unknown-request');
  await assert.rejects(service.dispatch('triage.open', { jobId: 'x', paths: [] }), (error: ApiError) => error.code === 'bad-request' && /paths/.test(error.message));
  await assert.rejects(service.dispatch('report.export', { id: 'nope', format: 'json', redactUserPaths: false }), (error: ApiError) => error.code === 'not-found');
});
