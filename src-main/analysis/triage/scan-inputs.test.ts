import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanInputs } from './scan-inputs.ts';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'thunk-scan-'));
  mkdirSync(join(root, 'plugins', 'deep'), { recursive: true });
  writeFileSync(join(root, 'app.EXE'), 'MZ');
  writeFileSync(join(root, 'readme.txt'), 'text');
  writeFileSync(join(root, 'plugins', 'b.dll'), 'MZ');
  writeFileSync(join(root, 'plugins', 'a.dll'), 'MZ');
  writeFileSync(join(root, 'plugins', 'deep', 'c.ocx'), 'MZ');
  symlinkSync(join(root, 'missing-target.dll'), join(root, 'plugins', 'dangling.dll'));
  return root;
}

test('folders are scanned recursively for PE extensions, case-insensitively, in a stable order', () => {
  const root = tree();
  const found = scanInputs([root]).map((e) => e.path.slice(root.length + 1));
  assert.deepEqual(found, ['app.EXE', 'plugins/a.dll', 'plugins/b.dll', 'plugins/deep/c.ocx']);
});

test('a file named explicitly is taken whatever its extension', () => {
  const root = tree();
  const found = scanInputs([join(root, 'readme.txt')]);
  assert.deepEqual(found, [{ path: join(root, 'readme.txt'), error: null }]);
});

test('a missing input is reported with its errno, not dropped', () => {
  const [entry] = scanInputs(['/nonexistent/thunk/x.dll']);
  assert.equal(entry!.path, '/nonexistent/thunk/x.dll');
  assert.equal(entry!.error?.code, 'ENOENT');
});

test('a file named twice, inside a folder also given, or through a symbolic link, is listed once where it first appears', () => {
  const root = tree();
  symlinkSync(join(root, 'plugins', 'a.dll'), join(root, 'link-to-a.dll'));
  const found = scanInputs([join(root, 'plugins', 'a.dll'), join(root, 'plugins'), join(root, 'link-to-a.dll'), `${root}/plugins/../plugins/a.dll`]);
  assert.deepEqual(found.map((e) => e.path.slice(root.length + 1)), ['plugins/a.dll', 'plugins/b.dll', 'plugins/deep/c.ocx']);
});
