import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContextExtras } from './load-context-words.ts';

const base = { hosts: ['x86', 'x64'] as ('x86' | 'x64')[], windowsDir: null, applicationDir: null, searchDirs: [], realLoader: false };

test('nothing beyond the defaults says nothing', () => {
  assert.equal(loadContextExtras(base), '');
  assert.equal(loadContextExtras({ ...base, loadMethod: 'load-library', searchFlags: [] }), '');
});

test('each field set is named, the host program before the bitness it decides', () => {
  assert.equal(loadContextExtras({ ...base, hosts: ['x86'] }), '; 32-bit host only');
  assert.equal(loadContextExtras({ ...base, hosts: ['x86'], hostExecutable: 'C:/app/app.exe', searchDirs: ['/a', '/b'] }), '; host program C:/app/app.exe; 2 extra folders');
  assert.equal(loadContextExtras({ ...base, loadMethod: 'search-flags', searchFlags: ['system32', 'dll-load-dir'] }), '; LOAD_LIBRARY_SEARCH flags: system32, dll-load-dir');
});
