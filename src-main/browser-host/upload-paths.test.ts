import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_UPLOAD_PATH_PARTS } from '../contract/folder-upload-contract.ts';
import { BadUploadPathError, sanitizeUploadName, sanitizeUploadPath } from './upload-paths.ts';

test('upload names keep only a safe last component', () => {
  assert.equal(sanitizeUploadName('vendor.dll'), 'vendor.dll');
  assert.equal(sanitizeUploadName('../../etc/passwd'), 'passwd');
  assert.equal(sanitizeUploadName('C:\\Windows\\System32\\kernel32.dll'), 'kernel32.dll');
  assert.equal(sanitizeUploadName('..'), 'upload.bin');
  assert.equal(sanitizeUploadName('.bashrc'), 'bashrc');
  assert.equal(sanitizeUploadName('a<b>:c|d?.dll'), 'a_b__c_d_.dll');
  assert.equal(sanitizeUploadName('x\u0000y.dll'), 'x_y.dll');
  assert.equal(sanitizeUploadName(`${'a'.repeat(300)}.dll`).length, 120);
  assert.deepEqual(['nul.dll', 'CON', 'com1.dll', 'lpt9.txt', 'console.dll'].map(sanitizeUploadName), ['_nul.dll', '_CON', '_com1.dll', '_lpt9.txt', 'console.dll']);
});

test('paths inside a dropped folder keep their folders, never a component that climbs', () => {
  assert.deepEqual(sanitizeUploadPath('plugins/sub/a.dll'), ['plugins', 'sub', 'a.dll']);
  assert.deepEqual(sanitizeUploadPath('plugins\\..\\..\\a.dll'), ['plugins', 'a.dll']);
  assert.deepEqual(sanitizeUploadPath('/./plugins//a<b>.dll'), ['plugins', 'a_b_.dll']);
  assert.throws(() => sanitizeUploadPath('../..'), BadUploadPathError);
  assert.equal(sanitizeUploadPath(`${'d/'.repeat(MAX_UPLOAD_PATH_PARTS - 1)}a.dll`).length, MAX_UPLOAD_PATH_PARTS, 'as deep as the page walks: taken');
  assert.throws(() => sanitizeUploadPath(`${'d/'.repeat(MAX_UPLOAD_PATH_PARTS)}a.dll`), /more than 16 levels deep/);
});

