import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IssueLog } from './parse-issues.ts';

test('keeps issues in order with structure, offset and message', () => {
  const log = new IssueLog();
  log.add('export directory', 0x400, 'first');
  log.add('import descriptor #2', null, 'second');
  assert.deepEqual(log.list(), [
    { structure: 'export directory', offset: 0x400, message: 'first' },
    { structure: 'import descriptor #2', offset: null, message: 'second' },
  ]);
});

test('caps the list and says how many were dropped', () => {
  const log = new IssueLog();
  for (let i = 0; i < 1000; i++) log.add('section table', i, `issue ${i}`);
  const list = log.list();
  assert.equal(list.length, 201);
  assert.equal(list[199]!.message, 'issue 199');
  assert.deepEqual(list[200], { structure: 'parser', offset: null, message: '800 further problems not listed' });
});

test('list() returns a copy that callers may change', () => {
  const log = new IssueLog();
  log.add('a', 1, 'm');
  log.list().push({ structure: 'x', offset: null, message: 'y' });
  assert.equal(log.list().length, 1);
});

test('an empty log lists nothing', () => {
  assert.deepEqual(new IssueLog().list(), []);
});
