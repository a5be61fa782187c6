import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { dllBaseName, dllKey } from './dll-key.ts';

describe('dllKey', () => {
  it('is the absolute path, so a relative and an absolute name of one file are one DLL', () => {
    assert.equal(dllKey('fixtures/calls.dll'), dllKey(resolve('fixtures/calls.dll')));
    assert.equal(dllKey('/a/b/../c.dll'), process.platform === 'win32' ? resolve('/a/c.dll').toLowerCase() : '/a/c.dll');
  });

  it('dllBaseName is the lower-cased file name from either separator', () => {
    assert.equal(dllBaseName('C:\\Program Files\\Vendor\\Plugin.DLL'), 'plugin.dll');
    assert.equal(dllBaseName('/opt/vendor/Plugin.dll'), 'plugin.dll');
  });
});
