import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir } from './test-support/build-fixture.ts';
import { DirectoryIndex } from './directory-index.ts';

let dir: string;

before(() => {
  dir = makeTempDir('dirindex');
  for (const name of ['KERNEL32.dll', 'MyLib.DLL', 'readme.txt', 'msvcp140.dll', 'msvcr120.dll']) writeFileSync(join(dir, name), '');
  mkdirSync(join(dir, 'System32'));
  mkdirSync(join(dir, 'twins'));
  writeFileSync(join(dir, 'twins', 'foo.dll'), 'lower');
  writeFileSync(join(dir, 'twins', 'Foo.dll'), 'upper');
});
after(() => removeDir(dir));

describe('DirectoryIndex', () => {
  test('finds a file whatever the case of the asked name, returning its real name', () => {
    const index = new DirectoryIndex();
    assert.equal(index.find(dir, 'kernel32.DLL'), join(dir, 'KERNEL32.dll'));
    assert.equal(index.find(dir, 'mylib.dll'), join(dir, 'MyLib.DLL'));
    assert.equal(index.find(dir, 'system32'), join(dir, 'System32'));
  });

  test('an absent name or an unlistable folder gives null, not an error', () => {
    const index = new DirectoryIndex();
    assert.equal(index.find(dir, 'absent.dll'), null);
    assert.equal(index.find(join(dir, 'no-such-folder'), 'kernel32.dll'), null);
    assert.equal(index.entries(join(dir, 'readme.txt')), null);
  });

  test('names differing only in case: the first in byte order (uppercase sorts first) is kept', () => {
    assert.equal(new DirectoryIndex().find(join(dir, 'twins'), 'FOO.DLL'), join(dir, 'twins', 'Foo.dll'));
  });

  test('withPrefix matches case-insensitively and returns real names', () => {
    const found = new DirectoryIndex().withPrefix(dir, 'MSVC').sort();
    assert.deepEqual(found, ['msvcp140.dll', 'msvcr120.dll']);
    assert.deepEqual(new DirectoryIndex().withPrefix(join(dir, 'missing'), 'a'), []);
  });

  test('each folder is listed once: a file added later is not seen by the same index', () => {
    const index = new DirectoryIndex();
    assert.equal(index.find(dir, 'late.dll'), null);
    writeFileSync(join(dir, 'late.dll'), '');
    assert.equal(index.find(dir, 'late.dll'), null);
    assert.equal(new DirectoryIndex().find(dir, 'late.dll'), join(dir, 'late.dll'));
  });
});
