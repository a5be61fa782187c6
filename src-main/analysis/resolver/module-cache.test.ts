import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeTempDir, removeDir } from './test-support/build-fixture.ts';
import { simpleDll } from './test-support/scenarios.ts';
import { ModuleCache } from './module-cache.ts';
import { parsePeFile } from '../pe/parse-pe.ts';

let dir: string;
let dll: string;

before(() => {
  dir = makeTempDir('mcache');
  dll = simpleDll('x64', join(dir, 'cached.dll'), ['CachedFn']);
});
after(() => removeDir(dir));

describe('ModuleCache', () => {
  test('parses a module on the fast path: exports and imports, no resources or entropy', () => {
    const parsed = new ModuleCache().get(dll);
    assert.ok(parsed.image);
    assert.ok(parsed.image.exports!.entries.some((e) => e.name === 'CachedFn'));
    assert.ok(parsed.image.imports.length > 0);
    assert.equal(parsed.image.resources, null);
    assert.ok(parsed.image.sections.every((s) => s.entropy === null));
  });

  test('each path is parsed once: the same result even after the file is gone', () => {
    const copy = join(dir, 'gone.dll');
    copyFileSync(dll, copy);
    const cache = new ModuleCache();
    const first = cache.get(copy);
    rmSync(copy);
    assert.equal(cache.get(copy), first);
    assert.ok(new ModuleCache().get(copy).error);
  });

  test('relative and absolute spellings of one path share the entry', () => {
    const cache = new ModuleCache();
    assert.equal(cache.get(relative(process.cwd(), dll)), cache.get(dll));
    assert.equal(cache.get(join(dir, '.', 'x', '..', 'cached.dll')), cache.get(dll));
  });

  test('put seeds the cache with an image parsed elsewhere (the root, with details)', () => {
    const cache = new ModuleCache();
    const detailed = parsePeFile(dll);
    cache.put(join(dir, 'x', '..', 'cached.dll'), detailed);
    assert.equal(cache.get(dll).image, detailed);
  });

  test('a file that is not a PE: an error marked notPe, not a throw', () => {
    const text = join(dir, 'text.dll');
    writeFileSync(text, 'this is a text file, not a DLL\n');
    const parsed = new ModuleCache().get(text);
    assert.equal(parsed.image, null);
    assert.ok(parsed.image === null && parsed.notPe);
    assert.match(parsed.error!, /not a Windows DLL/);
  });

  test('a missing or unreadable file: an error that is not notPe', () => {
    const parsed = new ModuleCache().get(join(dir, 'absent.dll'));
    assert.ok(parsed.image === null && !parsed.notPe);
    assert.match(parsed.error!, /no such file/);
    const folder = new ModuleCache().get(dir);
    assert.ok(folder.image === null && !folder.notPe);
  });
});
