import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactText, redactValue } from './redact-user-paths.ts';

const target = { home: '/home/alice', user: 'alice' };

test('home folders and user names become <home> and <user>, Windows and Unix alike', () => {
  assert.equal(redactText('/home/alice/app/vendor.dll', target), '<home>/app/vendor.dll');
  assert.equal(redactText('C:\\Users\\bob\\AppData\\x.dll', target), 'C:\\Users\\<user>\\AppData\\x.dll');
  assert.equal(redactText('see /home/carol/x and /Users/dave/y', target), 'see /home/<user>/x and /Users/<user>/y');
  assert.equal(redactText('built by alice on PC-ALICE', target), 'built by <user> on PC-<user>');
  assert.equal(redactText('/opt/app/vendor.dll', target), '/opt/app/vendor.dll');
});

test('a report is copied with every string and key redacted; the original is untouched', () => {
  const report = { file: '/home/alice/a.dll', tree: { '/home/alice/a.dll': ['C:/Users/alice/b.dll'] }, size: 3 };
  const redacted = redactValue(report, target);
  assert.deepEqual(redacted, { file: '<home>/a.dll', tree: { '<home>/a.dll': ['C:/Users/<user>/b.dll'] }, size: 3 });
  assert.equal(report.file, '/home/alice/a.dll');
});
