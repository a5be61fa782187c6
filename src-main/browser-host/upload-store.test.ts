import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { UploadStore, UploadTooLargeError, sanitizeUploadName } from './upload-store.ts';

test('upload names keep only a safe last component', () => {
  assert.equal(sanitizeUploadName('vendor.dll'), 'vendor.dll');
  assert.equal(sanitizeUploadName('../../etc/passwd'), 'passwd');
  assert.equal(sanitizeUploadName('C:\\Windows\\System32\\kernel32.dll'), 'kernel32.dll');
  assert.equal(sanitizeUploadName('..'), 'upload.bin');
  assert.equal(sanitizeUploadName('.bashrc'), 'bashrc');
  assert.equal(sanitizeUploadName('a<b>:c|d?.dll'), 'a_b__c_d_.dll');
  assert.equal(sanitizeUploadName('x\u0000y.dll'), 'x_y.dll');
  assert.equal(sanitizeUploadName(`${'a'.repeat(300)}.dll`).length, 120);
});

test('uploads are streamed into the session folder, cut at the limit, and the folder goes on close', async () => {
  const root = mkdtempSync(join(tmpdir(), 'thunk-upload-test-'));
  const store = new UploadStore(10, root);
  const saved = await store.receive(Readable.from([Buffer.from('MZ'), Buffer.from('1234')]), '../evil.dll', null);
  assert.equal(readFileSync(saved, 'utf8'), 'MZ1234');
  assert.ok(store.contains(saved));
  await assert.rejects(store.receive(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), 'big.dll', null), UploadTooLargeError);
  await assert.rejects(store.receive(Readable.from([]), 'big.dll', 11), UploadTooLargeError);
  assert.deepEqual(readdirSync(store.dir), ['1'], 'the cut upload left nothing');
  store.close();
  assert.equal(existsSync(store.dir), false);
  assert.deepEqual(readdirSync(root), []);
  rmSync(root, { recursive: true, force: true });
});
