import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareFixturePath, fixtureDir, fixturePath } from '../../test-support/fixtures.ts';
import { ApiError, type EventPayload } from '../../contract/api-contract.ts';
import { SessionService } from './session-service.ts';

const configDir = mkdtempSync(join(tmpdir(), 'thunk-folder-'));
const service = new SessionService({ host: 'in-process', configDir });
after(async () => {
  await service.dispose();
  rmSync(configDir, { recursive: true, force: true });
});

const WINE_FOLDER = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows';

function collectRows(jobId: string): { batches: EventPayload<'folder.rows'>[]; stop: () => void } {
  const batches: EventPayload<'folder.rows'>[] = [];
  const listener = (e: { name: string; payload: unknown }): void => {
    if (e.name === 'folder.rows' && (e.payload as EventPayload<'folder.rows'>).jobId === jobId) batches.push(e.payload as EventPayload<'folder.rows'>);
  };
  service.on('event', listener);
  return { batches, stop: () => service.off('event', listener) };
}

test('paths.kind: a folder or several paths is a set, one file is a file', async () => {
  assert.equal((await service.request('paths.kind', { paths: [fixtureDir('x86')] })).kind, 'set');
  assert.equal((await service.request('paths.kind', { paths: [fixturePath('calling-conventions', 'x86')] })).kind, 'file');
  assert.equal((await service.request('paths.kind', { paths: [fixturePath('calling-conventions', 'x86'), fixturePath('calling-conventions', 'x64')] })).kind, 'set');
});

test('folder.open on the x86 fixtures: rows pushed in batches before the result, which counts them; folder.table repeats them; a file and the export from the table', async () => {
  const { batches, stop } = collectRows('folder-1');
  const opened = await service.request('folder.open', { jobId: 'folder-1', paths: [fixtureDir('x86')] });
  stop();
  const files = readdirSync(fixtureDir('x86')).filter((f) => /\.(dll|exe)$/i.test(f));
  assert.equal(opened.rowCount, files.length);
  assert.equal(opened.cancelled, false);
  const pushed = batches.flatMap((b) => b.rows);
  assert.deepEqual(pushed.map((r) => r.index), [...files.keys()], 'every row was pushed once, in order, before the result');
  const table = await service.request('folder.table', { id: opened.id, from: 0 });
  assert.deepEqual(table.rows, pushed, 'folder.table gives the same rows');
  assert.deepEqual((await service.request('folder.table', { id: opened.id, from: files.length - 2 })).rows.map((r) => r.index), [files.length - 2, files.length - 1]);
  assert.equal(batches.at(-1)!.done, files.length);
  const missing = pushed.find((r) => r.name === 'needs-missing-dep.dll')!;
  assert.deepEqual([missing.machine, missing.verdicts.x86, missing.verdicts.x64?.mood, missing.blocking], ['x86', { mood: 'fails', error: '126 ERROR_MOD_NOT_FOUND' }, 'not-for-host', true]);
  assert.ok(missing.problems.error >= 1, JSON.stringify(missing.problems));
  const clean = pushed.find((r) => r.name === 'calling-conventions.dll')!;
  assert.equal(clean.verdicts.x86?.mood, 'loads');

  const file = await service.request('folder.file', { id: opened.id, index: missing.index });
  assert.equal(file.document.results.length, 1);
  assert.equal(file.document.results[0]!.file, missing.file);
  assert.match(file.identities[0]!.sha256 ?? '', /^[0-9a-f]{64}$/);
  assert.deepEqual(file.identities[0]!.chains.x86!.map((n) => n.toLowerCase()), ['needs-missing-dep.dll', 'missing-dep.dll']);

  const json = JSON.parse((await service.request('report.export', { id: opened.id, format: 'json', redactUserPaths: false })).content);
  assert.equal(json.summary.files, files.length);
  await assert.rejects(service.request('folder.file', { id: opened.id, index: 10_000 }), (e: ApiError) => e.code === 'not-found' && /no file number/.test(e.message));
});

test('a cancelled folder run keeps the files done: rows, result and export hold the same partial set', { skip: !existsSync(WINE_FOLDER) && `${WINE_FOLDER} is absent (Debian's wine64 package)` }, async () => {
  const { batches, stop } = collectRows('folder-2');
  const running = service.request('folder.open', { jobId: 'folder-2', paths: [WINE_FOLDER] });
  while (batches.flatMap((b) => b.rows).length < 20) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await service.request('triage.cancel', { jobId: 'folder-2' }), { cancelled: true });
  const opened = await running;
  stop();
  assert.equal(opened.cancelled, true);
  const total = batches[0]!.total;
  assert.ok(opened.rowCount >= 20 && opened.rowCount < total, `${opened.rowCount} of ${total} files kept`);
  assert.equal(batches.flatMap((b) => b.rows).length, opened.rowCount, 'every file done was pushed');
  const json = JSON.parse((await service.request('report.export', { id: opened.id, format: 'json', redactUserPaths: false })).content);
  assert.equal(json.summary.files, opened.rowCount);
  // The exported report says it is partial, in every format.
  assert.deepEqual(json.incomplete, { reason: 'cancelled', filesDone: opened.rowCount, filesFound: total });
  const said = `Incomplete: the triage was cancelled after ${opened.rowCount} of ${total} files`;
  for (const format of ['html', 'markdown'] as const) {
    const content = (await service.request('report.export', { id: opened.id, format, redactUserPaths: false })).content;
    assert.ok(content.includes(said), `${format} says it is partial`);
  }
});

test('compare.open: the two compare-plugin builds, analysed in the worker; a folder is refused in words', async () => {
  const c = await service.request('compare.open', { a: compareFixturePath('x86', 'v1'), b: compareFixturePath('x86', 'v2') });
  assert.deepEqual(c.exports.removed.map((e) => e.name), ['Legacy']);
  assert.deepEqual(c.differs, { exports: true, imports: true });
  await assert.rejects(service.request('compare.open', { a: fixtureDir('x86'), b: compareFixturePath('x86', 'v2') }), (e: ApiError) => e.code === 'bad-request' && /is a folder/.test(e.message));
});
