import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadResult } from '../../../src-agent32/protocol/messages.ts';
import { ModuleRegistry } from './module-registry.ts';
import { newJob } from './supervisor-job.ts';

const loadJob = (dll: string) => newJob({ op: 'load', dll, params: { path: dll }, loadOptions: { flags: 8 } }, false, () => undefined, 1000, 0);
const loaded = (handle: string, base = '0x10000000', size = 0x1000): LoadResult =>
  ({ handle, path: 'x', newModules: [{ path: 'C:\\a\\calls.dll', base, size }] }) as unknown as LoadResult;

describe('ModuleRegistry', () => {
  it('tracks a load from sending to its answer, and records the new modules\' ranges', () => {
    const modules = new ModuleRegistry();
    const job = loadJob('/dlls/calls.dll');
    modules.startLoading('/dlls/calls.dll', job, { flags: 8 });
    assert.deepEqual(modules.handleOf('/dlls/calls.dll'), { handle: null, pending: true, known: true, options: { flags: 8 } });
    modules.loadAnswered('/dlls/calls.dll', job, loaded('lib1'));
    assert.equal(modules.handleOf('/dlls/calls.dll').handle, 'lib1');
    assert.equal(modules.handleOf('/dlls/calls.dll').pending, false);
    assert.deepEqual(modules.ranges(), [{ path: 'C:\\a\\calls.dll', base: 0x10000000n, size: 0x1000 }]);
  });

  it('forgets a DLL whose first load failed, but keeps one that was loaded before', () => {
    const modules = new ModuleRegistry();
    const first = loadJob('/dlls/a.dll');
    modules.startLoading('/dlls/a.dll', first, {});
    modules.loadAnswered('/dlls/a.dll', first, null);
    assert.equal(modules.handleOf('/dlls/a.dll').known, false);
    const b = loadJob('/dlls/b.dll');
    modules.startLoading('/dlls/b.dll', b, {});
    modules.loadAnswered('/dlls/b.dll', b, loaded('lib2'));
    const again = loadJob('/dlls/b.dll');
    modules.startLoading('/dlls/b.dll', again, {});
    modules.loadAnswered('/dlls/b.dll', again, null);
    assert.equal(modules.handleOf('/dlls/b.dll').handle, 'lib2');
  });

  it('after the agent died: the culprit and the module named by the crash are dropped, the others are restored with their options', () => {
    const modules = new ModuleRegistry();
    for (const dll of ['/dlls/culprit.dll', '/dlls/Faulting.DLL', '/dlls/innocent.dll']) {
      const job = loadJob(dll);
      modules.startLoading(dll, job, { flags: 8 });
      modules.loadAnswered(dll, job, loaded(dll));
    }
    const dropped = modules.agentDied('/dlls/culprit.dll', 'faulting.dll');
    assert.deepEqual([...dropped].sort(), ['/dlls/Faulting.DLL', '/dlls/culprit.dll']);
    assert.deepEqual(modules.toRestore(), [['/dlls/innocent.dll', { flags: 8 }]]);
    assert.equal(modules.handleOf('/dlls/innocent.dll').handle, null);
    assert.deepEqual(modules.ranges(), []);
  });

  it('a DLL being loaded again is not restored twice', () => {
    const modules = new ModuleRegistry();
    const job = loadJob('/dlls/a.dll');
    modules.startLoading('/dlls/a.dll', job, {});
    modules.loadAnswered('/dlls/a.dll', job, loaded('lib1'));
    modules.agentDied(null, null);
    modules.startLoading('/dlls/a.dll', loadJob('/dlls/a.dll'), {});
    assert.deepEqual(modules.toRestore(), []);
  });
});
