import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BadUploadPathError, MAX_FOLDER_DEPTH, UploadStore, UploadTooLargeError, sanitizeUploadName, sanitizeUploadPath } from './upload-store.ts';

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

test('paths inside a dropped folder keep their folders, never a component that climbs', () => {
  assert.deepEqual(sanitizeUploadPath('plugins/sub/a.dll'), ['plugins', 'sub', 'a.dll']);
  assert.deepEqual(sanitizeUploadPath('plugins\\..\\..\\a.dll'), ['plugins', 'a.dll']);
  assert.deepEqual(sanitizeUploadPath('/./plugins//a<b>.dll'), ['plugins', 'a_b_.dll']);
  assert.throws(() => sanitizeUploadPath('../..'), BadUploadPathError);
  assert.throws(() => sanitizeUploadPath(`${'d/'.repeat(MAX_FOLDER_DEPTH)}a.dll`), /levels deep/);
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
