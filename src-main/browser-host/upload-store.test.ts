import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { UploadStore, UploadTooLargeError } from './upload-store.ts';

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

test('a dropped folder\'s files go under one folder per batch, which is what the page opens', async () => {
  const root = mkdtempSync(join(tmpdir(), 'thunk-upload-test-'));
  const store = new UploadStore(100, root);
  const a = await store.receiveInFolder(Readable.from([Buffer.from('MZ')]), 'plugins/a.dll', 'batch-12345678', null);
  const b = await store.receiveInFolder(Readable.from([Buffer.from('MZ')]), 'plugins/sub/b.dll', 'batch-12345678', null);
  assert.equal(a.folder, b.folder);
  assert.equal(a.folder, join(store.dir, 'folder-batch-12345678', 'plugins'));
  assert.equal(readFileSync(join(a.folder, 'sub', 'b.dll'), 'utf8'), 'MZ');
  await assert.rejects(store.receiveInFolder(Readable.from([]), 'plugins/c.dll', '../../etc', null), /batch name/);
  await assert.rejects(store.receiveInFolder(Readable.from([Buffer.from('XX')]), 'plugins/a.dll', 'batch-12345678', null), { code: 'EEXIST' });
  assert.equal(readFileSync(a.path, 'utf8'), 'MZ', 'the refused second upload left the first as it was');
  await assert.rejects(store.receiveInFolder(Readable.from([Buffer.alloc(101)]), 'plugins/big.dll', 'batch-12345678', null), UploadTooLargeError);
  assert.equal(existsSync(join(a.folder, 'big.dll')), false, 'the cut upload left nothing');
  store.close();
  rmSync(root, { recursive: true, force: true });
});

test('one session\'s uploads stop at the session\'s limit in all, however the bytes are split', async () => {
  const root = mkdtempSync(join(tmpdir(), 'thunk-upload-test-'));
  const store = new UploadStore(100, root, 250);
  await store.receive(Readable.from([Buffer.alloc(100)]), 'a.dll', null);
  await store.receiveInFolder(Readable.from([Buffer.alloc(100)]), 'plugins/b.dll', 'batch-12345678', null);
  await assert.rejects(store.receive(Readable.from([Buffer.alloc(60)]), 'c.dll', null), /this session's uploads have reached 0 MB in all/);
  store.close();
  rmSync(root, { recursive: true, force: true });
});
