import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixtureDir, fixturePath } from '../../test-support/fixtures.ts';
import { ApiError, type DependencyView } from '../../contract/api-contract.ts';
import type { HostArch } from '../../analysis/resolver/load-context.ts';
import { SessionService } from './session-service.ts';
import { libFor, simpleDll } from '../../analysis/resolver/test-support/scenarios.ts';
import { WINE_DLLS, wineWindowsDir } from '../../analysis/resolver/test-support/build-fixture.ts';

// The real service with its triage worker, on the fixture DLLs; settings in memory.
const service = new SessionService({ host: 'in-process', configDir: null });
const scratch = mkdtempSync(join(tmpdir(), 'thunk-deps-'));
after(async () => {
  await service.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

let jobs = 0;
async function open(path: string): Promise<{ id: string; file: string }> {
  const opened = await service.request('triage.open', { jobId: `deps-${++jobs}`, paths: [path] });
  return { id: opened.id, file: opened.document.results[0]!.file };
}

/** The view with each node's function list, as the page asks for it (one node at a time). */
async function view(path: string, host: HostArch = 'x86'): Promise<DependencyView & { functions: (string[] | null)[] }> {
  const opened = await open(path);
  const v = await service.request('dependencies.view', { ...opened, host });
  const functions = await Promise.all(v.nodes.map(async (n) => (n.functionCount === null ? null : (await service.request('dependencies.functions', { ...opened, host, node: n.id })).functions)));
  v.nodes.forEach((n, i) => assert.equal(functions[i]?.length ?? null, n.functionCount, `${n.name}: count and list agree`));
  return { ...v, functions };
}

const node = (v: DependencyView & { functions: (string[] | null)[] }, name: string) => {
  const found = v.nodes.find((n) => n.name.toLowerCase() === name)!;
  return { ...found, functions: v.functions[found.id] };
};

describe('dependencies.view', () => {
  test('a missing dependency: not found, its problem counted up to the root, the function the parent imports from it', async () => {
    const v = await view(fixturePath('needs-missing-dep', 'x86'));
    const missing = node(v, 'missing-dep.dll');
    assert.equal(missing.howFound, 'not found');
    assert.equal(missing.severity, 'error');
    assert.match(missing.problem!, /missing-dep\.dll was not found/);
    assert.deepEqual(missing.functions, ['MissingDepFunc']);
    assert.equal(v.nodes[0]!.problemsBelow, 1);
    assert.equal(v.loads, false);
    assert.match(v.verdict, /126 ERROR_MOD_NOT_FOUND/);
    assert.deepEqual(v.modules.filter((m) => m.problems.length > 0).map((m) => m.name), ['missing-dep.dll']);
    assert.deepEqual(v.searchOrder, [{ dir: dirname(fixturePath('needs-missing-dep', 'x86')), where: 'application folder' }], 'no Windows folder: only the application folder is searched');
  });

  test('a missing ordinal is marked on the function, with why', async () => {
    const v = await view(fixturePath('needs-missing-ordinal', 'x86'));
    const target = node(v, 'forward-target.dll');
    assert.ok(target.functions!.includes('#99'));
    assert.deepEqual(Object.keys(target.missingFunctions), ['#99']);
    assert.match(target.missingFunctions['#99']!, /forward-target\.dll does not export it/);
    assert.equal(target.howFound, 'application folder');
  });

  test('delay-loaded modules are marked, and a module met twice is a link to its first occurrence', async () => {
    const v = await view(fixturePath('delay-load', 'x86'));
    const delayed = node(v, 'delay-target.dll');
    assert.equal(delayed.delayLoad, true);
    assert.deepEqual(delayed.functions, ['DelayedAdd', 'DelayedNeg']);
    const repeats = v.nodes.filter((n) => n.firstId !== null);
    assert.ok(repeats.length > 0, 'kernel32 under delay-target.dll repeats the root\'s');
    for (const repeat of repeats) assert.equal(v.nodes[repeat.firstId!]!.name.toLowerCase(), repeat.name.toLowerCase());
    assert.equal(new Set(v.modules.map((m) => m.name.toLowerCase())).size, v.modules.length, 'one row per module');
  });

  test('a cycle (a.dll ↔ b.dll) is shown once: the way back to the root is a repeat linking to it', async () => {
    const dir = join(scratch, 'cycle');
    const libA = libFor('x64', join(dir, 'libs'), 'cyca.dll', ['AFn']);
    const libB = libFor('x64', join(dir, 'libs'), 'cycb.dll', ['BFn']);
    simpleDll('x64', join(dir, 'cycb.dll'), ['BFn'], [{ lib: libA, names: ['AFn'] }]);
    const v = await view(simpleDll('x64', join(dir, 'cyca.dll'), ['AFn'], [{ lib: libB, names: ['BFn'] }]), 'x64');
    const back = v.nodes.find((n) => n.name.toLowerCase() === 'cyca.dll' && n.parent !== null)!;
    assert.equal(back.firstId, 0);
    assert.equal(back.childCount, 0);
    assert.deepEqual(v.functions[back.id], ['AFn'], 'the functions of the way back are still listed');
  });

  test('the version of each module in the list comes from its version resource', async () => {
    const v = await view(fixturePath('version-and-manifest', 'x64'), 'x64');
    assert.equal(v.modules[0]!.version, '1.2.3.4');
  });

  test('a file not in the open report is refused in words', async () => {
    const { id } = await open(fixturePath('delay-load', 'x86'));
    await assert.rejects(service.request('dependencies.view', { id, file: '/elsewhere.dll', host: 'x86' }), (e: ApiError) => e.code === 'not-found' && /not part of this report/.test(e.message));
    const file = fixturePath('delay-load', 'x86');
    await assert.rejects(service.request('dependencies.functions', { id, file, host: 'x86', node: 999 }), (e: ApiError) => e.code === 'not-found' && /no node 999/.test(e.message));
  });
});

describe('dependencies.whoExports', () => {
  test('a name found through a forwarder: the chain to the module that has it', async () => {
    const opened = await open(fixturePath('ordinals-and-forwarders', 'x86'));
    const found = await service.request('dependencies.whoExports', { ...opened, host: 'x86', query: 'TargetFunc' });
    assert.deepEqual(found.hits.map((h) => [h.name, h.ordinal, h.chain, h.broken]), [['ForwardedByName', 2, ['ordinals-and-forwarders.dll!ForwardedByName', 'forward-target.dll!TargetFunc'], null]]);
    const system = await service.request('dependencies.whoExports', { ...opened, host: 'x86', query: 'HeapAlloc' });
    assert.match(system.hits[0]!.broken!, /kernel32\.dll is a system DLL, not checked: set a Windows folder/);
  });
});

describe('the load context', () => {
  test('a Windows folder that does not exist is refused, naming the field, and the settings stay', async () => {
    await assert.rejects(service.request('settings.update', { triage: { windowsDir: '/nonexistent/windows' } }), (e: ApiError) => e.code === 'bad-request' && e.message === 'Load context not changed: Windows folder /nonexistent/windows: no such folder.');
    await assert.rejects(service.request('settings.update', { triage: { searchFlags: ['system32'] } }), /Search flags needs the load method/);
    assert.equal((await service.request('settings.get', {})).triage.windowsDir, null);
  });

  test('an extra folder holding the missing DLL: the verdict changes and the module is found there', async () => {
    const dll = fixturePath('needs-missing-dep', 'x86');
    const extra = join(scratch, 'extra');
    mkdirSync(extra);
    copyFileSync(join(fixtureDir('x86'), '..', '..', 'fixtures-work', 'x86', 'missing-dep.dll'), join(extra, 'missing-dep.dll'));
    await service.request('settings.update', { triage: { searchDirs: [extra] } });
    try {
      const v = await view(dll);
      assert.equal(v.loads, true, v.verdict);
      assert.equal(node(v, 'missing-dep.dll').howFound, 'extra folder');
      assert.deepEqual(v.searchOrder.map((s) => s.where), ['application folder', 'extra folder']);
    } finally {
      await service.request('settings.update', { triage: { searchDirs: [] } });
    }
  });

  test('a host program decides the host and is searched as the application folder', async () => {
    await service.request('settings.update', { triage: { hostExecutable: fixturePath('host-app.exe', 'x86') } });
    try {
      const opened = await service.request('triage.open', { jobId: 'host-exe', paths: [fixturePath('calling-conventions', 'x64')] });
      assert.deepEqual(Object.keys(opened.document.results[0]!.verdicts), ['x86']);
      assert.equal(opened.document.results[0]!.verdicts.x86!.context.hostExecutable, fixturePath('host-app.exe', 'x86'));
    } finally {
      await service.request('settings.update', { triage: { hostExecutable: null } });
    }
  });

  test('with a Wine Windows folder, HeapAlloc is followed through kernel32 to ntdll', { skip: !existsSync(WINE_DLLS.x64) || !existsSync(WINE_DLLS.x86) ? 'Wine\'s DLL folders are absent (Debian\'s wine64 and wine32 packages)' : false }, async () => {
    const windows = wineWindowsDir(scratch);
    await service.request('settings.update', { triage: { windowsDir: windows } });
    try {
      const opened = await open(fixturePath('ordinals-and-forwarders', 'x86'));
      const found = await service.request('dependencies.whoExports', { ...opened, host: 'x86', query: 'HeapAlloc' });
      const forwarded = found.hits.find((h) => h.name === 'ForwardedToKernel32')!;
      assert.equal(forwarded.broken, null);
      assert.equal(forwarded.chain[1], 'kernel32.dll!HeapAlloc');
      assert.ok(found.modulesSearched >= 3, `searched ${found.modulesSearched} modules`);
      const v = await view(fixturePath('ordinals-and-forwarders', 'x86'));
      assert.ok(v.nodes.some((n) => n.howFound === 'KnownDLL'), 'kernel32 is found as a KnownDLL');
      const apiSetRoot = simpleDll('x64', join(scratch, 'apiset', 'root.dll'), [], [{ lib: libFor('x64', join(scratch, 'apiset-libs'), 'api-ms-win-core-synch-l1-2-0.dll', ['Sleep']), names: ['Sleep'] }]);
      const api = await view(apiSetRoot, 'x64');
      const apiNode = node(api, 'api-ms-win-core-synch-l1-2-0.dll');
      assert.match(apiNode.howFound, /^API set → \w+\.dll$/);
      assert.deepEqual(apiNode.functions, ['Sleep']);
      const sleep = await service.request('dependencies.whoExports', { ...(await open(apiSetRoot)), host: 'x64', query: 'Sleep' });
      const host = sleep.hits.find((h) => h.name === 'Sleep' && h.reachedAs.includes('api-ms-win-core-synch-l1-2-0.dll'));
      assert.ok(host, `the API set's host DLL exports Sleep: ${JSON.stringify(sleep.hits.map((h) => [h.module, h.name, h.reachedAs]))}`);
    } finally {
      await service.request('settings.update', { triage: { windowsDir: null } });
    }
  });
});
