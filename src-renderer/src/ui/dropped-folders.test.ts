import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type DroppedItem, droppedFolderNames, droppedFolderRefusal } from './dropped-folders.ts';

// Stand-ins for DataTransferItems: the browser's own cannot be made with a folder outside a real drag.
const item = (name: string, isDirectory: boolean, kind = 'file'): DroppedItem => ({ kind, webkitGetAsEntry: () => ({ name, isDirectory }) });

test('only the dropped folders are named; files and text items are not', () => {
  const items = [item('vendor.dll', false), item('plugins', true), item('link', false, 'string'), { kind: 'file', webkitGetAsEntry: () => null }];
  assert.deepEqual(droppedFolderNames(items), ['plugins']);
  assert.deepEqual(droppedFolderNames([item('a.dll', false)]), []);
});

test('the refusal names the folders and says to type the path instead', () => {
  const one = droppedFolderRefusal(['plugins']);
  assert.match(one.message, /^"plugins" is a folder: /);
  assert.match(one.fix, /Type the folder's path/);
  assert.match(droppedFolderRefusal(['a', 'b']).message, /^"a", "b" are folders: /);
});
