import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, fixtureDir } from '../../test-support/fixtures.ts';
import { ApiError } from '../../contract/api-contract.ts';
import { SessionService } from './session-service.ts';

const service = new SessionService({ host: 'in-process', configDir: null });
after(() => service.dispose());

const WINE_DIR = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows';

async function open(path: string): Promise<string> {
  const opened = await service.request('triage.open', { jobId: `job-${path}`, paths: [path] });
  return opened.id;
}

test('exports.list: the rows the view document leaves out, with section, kind and forwarders', async () => {
  const dll = fixturePath('ordinals-and-forwarders', 'x64');
  const id = await open(dll);
  const { rows } = await service.request('exports.list', { id, file: dll });
  const visible = rows.find((r) => r.name === 'Visible')!;
  assert.equal(visible.ordinal, 1);
  assert.equal(visible.kind, 'code');
  assert.equal(visible.section, '.text');
  assert.ok(rows.some((r) => r.name === undefined && r.ordinal === 5), 'ordinal-only exports are kept');
  assert.deepEqual(rows.filter((r) => r.forwarder).map((r) => r.forwarder).sort(), ['forward-target.#12', 'forward-target.TargetFunc', 'kernel32.HeapAlloc']);
});

test('exports.resolveForwarder: found in the application folder, or why not in words', async () => {
  const dll = fixturePath('ordinals-and-forwarders', 'x64');
  const id = await open(dll);
  const found = await service.request('exports.resolveForwarder', { id, file: dll, forwarder: 'forward-target.TargetFunc' });
  assert.equal(found.path, fixturePath('forward-target', 'x64'));
  assert.equal(found.module, 'forward-target.dll');
  assert.equal(found.function, 'TargetFunc');
  assert.equal(found.how, 'the application folder');
  const missingDll = fixturePath('forwards-to-missing', 'x64');
  const missingId = await open(missingDll);
  const missing = await service.request('exports.resolveForwarder', { id: missingId, file: missingDll, forwarder: 'absent-module.Gone' });
  assert.equal(missing.path, null);
  assert.match(missing.reason!, /absent-module\.dll is not in any folder the x64 loader searches/);
  await assert.rejects(service.request('exports.resolveForwarder', { id, file: dll, forwarder: 'nodot' }), (e: ApiError) => e.code === 'bad-request' && /not a forwarder/.test(e.message));
});

test("a forwarder of Wine's kernel32.dll to ntdll resolves beside it", { skip: !existsSync(`${WINE_DIR}/kernel32.dll`) && 'Wine 64-bit DLLs are absent (install wine64)' }, async () => {
  const dll = `${WINE_DIR}/kernel32.dll`;
  const id = await open(dll);
  const { rows } = await service.request('exports.list', { id, file: dll });
  const forwarded = rows.find((r) => r.forwarder?.toLowerCase().startsWith('ntdll.'));
  assert.ok(forwarded, 'kernel32 forwards some exports to ntdll');
  const target = await service.request('exports.resolveForwarder', { id, file: dll, forwarder: forwarded.forwarder! });
  assert.equal(target.path?.toLowerCase(), `${WINE_DIR}/ntdll.dll`);
});

test('headers.get: the headers view (parsed in a worker) with the report\'s signature; a file gone since opening, or outside the document, is refused in words', async () => {
  const dll = fixturePath('version-and-manifest', 'x86');
  const id = await open(dll);
  const headers = await service.request('headers.get', { id, file: dll });
  assert.equal(headers.resources!.version!.fileVersion, '1.2.3.4');
  assert.equal(headers.signature?.status, 'unsigned');
  const again = await service.request('headers.get', { id, file: dll });
  assert.equal(again, headers, 'parsed once per open file');
  const dir = mkdtempSync(join(tmpdir(), 'thunk-headers-'));
  const copy = join(dir, 'data-exports.dll');
  copyFileSync(fixturePath('data-exports', 'x86'), copy);
  const copyId = await open(copy);
  rmSync(dir, { recursive: true });
  await assert.rejects(service.request('headers.get', { id: copyId, file: copy }), (e: ApiError) => e.code === 'not-found' && /no such file/.test(e.message) && /Open the file again/.test(e.message));
  await assert.rejects(service.request('headers.get', { id, file: `${fixtureDir('x86')}/forward-target.dll` }), (e: ApiError) => e.code === 'not-found' && /open it first/.test(e.message));
  await assert.rejects(service.request('headers.get', { id: 'gone', file: dll }), (e: ApiError) => e.code === 'not-found');
});
