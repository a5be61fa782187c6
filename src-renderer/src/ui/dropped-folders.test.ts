import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DROPPED_FOLDER_DEPTH } from '../../../src-main/contract/api-contract.ts';
import { type DroppedEntry, type DroppedFolderEntry, type DroppedItem, droppedFolders, peFilesOf } from './dropped-folders.ts';

// Stand-ins for the browser's FileSystemEntry objects: Chromium makes a folder's only from a real drag.
function fileEntry(path: string, content = 'MZ'): DroppedEntry {
  const name = path.split('/').pop()!;
  return { isDirectory: false, name, fullPath: path, file: (ok: (f: File) => void) => ok(new File([content], name)) } as DroppedEntry;
}

/** A folder whose reader gives its entries two at a time, as Chromium's gives them 100 at a time. */
function folderEntry(path: string, children: DroppedEntry[]): DroppedFolderEntry {
  return {
    isDirectory: true, name: path.split('/').pop()!, fullPath: path,
    createReader: () => {
      let at = 0;
      return { readEntries: (ok: (entries: DroppedEntry[]) => void) => { ok(children.slice(at, at + 2)); at += 2; } };
    },
  };
}

const item = (entry: DroppedEntry | null, kind = 'file'): DroppedItem => ({ kind, webkitGetAsEntry: () => entry });

test('only the dropped folders are taken; files and text items are not', () => {
  const plugins = folderEntry('/plugins', []);
  assert.deepEqual(droppedFolders([item(fileEntry('/a.dll')), item(plugins), item(folderEntry('/x', []), 'string'), item(null)]), [plugins]);
});

test('the PE files of a folder and its subfolders, with their paths from it, read through every batch', async () => {
  const plugins = folderEntry('/plugins', [
    fileEntry('/plugins/readme.txt'), fileEntry('/plugins/b.DLL'), fileEntry('/plugins/a.exe'),
    folderEntry('/plugins/sub', [fileEntry('/plugins/sub/c.ocx'), fileEntry('/plugins/sub/icon.png')]),
    fileEntry('/plugins/z.sys'),
  ]);
  const files = await peFilesOf(plugins);
  assert.deepEqual(files.map((f) => f.relativePath), ['plugins/a.exe', 'plugins/b.DLL', 'plugins/sub/c.ocx', 'plugins/z.sys']);
  assert.equal(await files[0]!.file.text(), 'MZ');
});

test('a folder as deep as the host takes is read; one level more is refused in words', async () => {
  const chain = (levels: number): DroppedFolderEntry => {
    const names = Array.from({ length: levels + 1 }, (_, i) => `d${i}`);
    let entry: DroppedFolderEntry = folderEntry(`/${names.join('/')}`, [fileEntry(`/${names.join('/')}/x.dll`)]);
    for (let i = levels - 1; i >= 0; i--) entry = folderEntry(`/${names.slice(0, i + 1).join('/')}`, [entry]);
    return entry;
  };
  const [deepest] = await peFilesOf(chain(MAX_DROPPED_FOLDER_DEPTH));
  assert.equal(deepest!.relativePath.split('/').length, MAX_DROPPED_FOLDER_DEPTH + 2, 'the upload path the host takes at most');
  await assert.rejects(peFilesOf(chain(MAX_DROPPED_FOLDER_DEPTH + 1)), /more than 16 folders deep/);
});

test('a folder nested too deep is refused in words', async () => {
  let deepest: DroppedFolderEntry = folderEntry(`/d${MAX_DROPPED_FOLDER_DEPTH + 1}`, [fileEntry('/x.dll')]);
  for (let i = MAX_DROPPED_FOLDER_DEPTH; i >= 0; i--) deepest = folderEntry(`/d${i}`, [deepest]);
  await assert.rejects(peFilesOf(deepest), /more than 16 folders deep: type its path instead/);
});
