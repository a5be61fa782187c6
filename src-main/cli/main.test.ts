import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtCliSkip, runCli } from '../test-support/run-cli.ts';

test('thunk without a command prints the commands and exits 2; help and --version exit 0', { skip: builtCliSkip }, () => {
  const bare = runCli([]);
  assert.equal(bare.status, 2);
  for (const command of ['triage', 'exports', 'load', 'call', 'help']) assert.match(bare.stdout, new RegExp(`^  ${command} `, 'm'), command);
  const help = runCli(['help']);
  assert.equal(help.status, 0);
  assert.equal(help.stdout, bare.stdout);
  const version = runCli(['--version']);
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('every command has its help, with its exit codes, from `thunk help <command>`', { skip: builtCliSkip }, () => {
  for (const command of ['triage', 'exports', 'load', 'call']) {
    const run = runCli(['help', command]);
    assert.equal(run.status, 0, command);
    assert.match(run.stdout, new RegExp(`^Usage: thunk ${command} `), command);
    assert.match(run.stdout, /\nExit codes:\n  0 /, command);
  }
});

test('a mistyped command is named with the closest one, exit 2', { skip: builtCliSkip }, () => {
  const run = runCli(['trige', 'x.dll']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^thunk: unknown command 'trige'\n\(Did you mean triage\?\)/);
});

test('a negative number is an argument of call, not an option', { skip: builtCliSkip }, () => {
  // The prototype check runs after parsing: reaching it shows "-7" was taken as an argument.
  const run = runCli(['call', 'x.dll', 'not a prototype', '5', '-7']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /"not a prototype" is not a prototype/);
});
