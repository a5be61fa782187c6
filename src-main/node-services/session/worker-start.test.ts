import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, unpacked } from './worker-start.ts';

describe('worker-start', () => {
  it('unpacked points a script inside app.asar at its unpacked copy, and leaves other paths alone', () => {
    assert.equal(unpacked(new URL('file:///opt/Thunk/resources/app.asar/dist/triage-worker.js')).href, 'file:///opt/Thunk/resources/app.asar.unpacked/dist/triage-worker.js');
    assert.equal(unpacked(new URL('file:///work/thunk/dist/triage-worker.js')).href, 'file:///work/thunk/dist/triage-worker.js');
  });

  it('starts the headers worker from the sources, which answers a request for a file that is not there', async () => {
    const worker = startWorker('headers-worker');
    try {
      const reply = await new Promise<{ id: number; error?: string }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({ id: 7, path: '/no/such/file.dll' });
      });
      assert.equal(reply.id, 7);
      assert.match(reply.error ?? '', /no\/such\/file\.dll|ENOENT|not/i);
    } finally {
      await worker.terminate();
    }
  });
});
