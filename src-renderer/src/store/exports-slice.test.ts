import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileKey, keepRecentFiles } from './exports-slice.ts';

test('per-file data keeps the six most recent files, the newest last', () => {
  let map: Record<string, number> = {};
  for (let i = 1; i <= 8; i++) map = keepRecentFiles(map, fileKey('doc', `f${i}.dll`), i);
  assert.deepEqual(Object.values(map), [3, 4, 5, 6, 7, 8]);
  assert.equal(map[fileKey('doc', 'f8.dll')], 8);
  assert.equal(map[fileKey('doc', 'f1.dll')], undefined);
});
