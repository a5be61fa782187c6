import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgentMessage, validateHostMessage, validateResult, PROTOCOL_VERSION } from './messages.ts';
import { decodeExitCode, ntstatusName } from './ntstatus.ts';

test('accepts well-formed requests and drops unknown fields', () => {
  const r = validateHostMessage({ type: 'request', id: 3, op: 'call', params: { handle: 'h1', prototype: 'int f(int)', args: [1], extra: 1 } });
  assert.ok(r.ok);
  assert.deepEqual(r.value.params, { handle: 'h1', prototype: 'int f(int)', args: [1] });
  assert.ok(validateHostMessage({ type: 'request', id: 4, op: 'ping' }).ok);
});

test('refuses malformed requests with a path to the bad field', () => {
  const cases: [unknown, RegExp][] = [
    [{ type: 'request', id: 1, op: 'nope', params: {} }, /op/],
    [{ type: 'request', id: -1, op: 'ping', params: {} }, /id/],
    [{ type: 'request', id: 1, op: 'load', params: { path: 3 } }, /params\.path/],
    [{ type: 'request', id: 1, op: 'call', params: { handle: 'h', prototype: 'x', args: [undefined] } }, /params\.args\[0\]/],
    [{ type: 'request', id: 1, op: 'call', params: { handle: 'h', prototype: 'x', args: [], options: { repeat: 0 } } }, /repeat/],
    ['nope', /object/],
  ];
  for (const [value, pattern] of cases) {
    const r = validateHostMessage(value);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, pattern);
  }
});

test('validates agent messages of every kind', () => {
  const ok = [
    { type: 'handshake', protocolVersion: PROTOCOL_VERSION, arch: 'ia32', pid: 9, runtime: { node: 'v22', platform: 'win32' }, koffiVersion: '3.3.4' },
    { type: 'response', id: 1, ok: true, result: { pong: true, time: 1 } },
    { type: 'response', id: 1, ok: false, error: { code: 'load-failed', name: 'ERROR_BAD_EXE_FORMAT', message: 'x', osCode: 193 } },
    { type: 'event', event: 'log', callId: null, stream: 'stdout', text: 'hi' },
    { type: 'event', event: 'progress', callId: 2, done: 1, total: 5 },
    {
      type: 'event', event: 'crash', callId: 2, code: 0xc0000005, name: 'STATUS_ACCESS_VIOLATION', address: '0x401000',
      module: 'calls.dll', offset: 0x1000, symbol: 'crash+0x3', accessAddress: '0x0', accessKind: 'write',
      registers: { eip: '0x401000' }, frames: [{ address: '0x401000', module: 'calls.dll', offset: 4096, symbol: null }], jsStack: 'at x',
    },
  ];
  for (const m of ok) assert.ok(validateAgentMessage(m).ok, JSON.stringify(m));
  assert.equal(validateAgentMessage({ type: 'event', event: 'log', callId: null, stream: 'fd3', text: '' }).ok, false);
  assert.equal(validateAgentMessage({ type: 'response', id: 1, ok: false, error: { code: 'weird', name: '', message: '' } }).ok, false);
  assert.equal(validateAgentMessage({ type: 'event', event: 'crash', callId: 1, code: 5, name: 'x', address: 'zz' }).ok, false);
});

test('checks results per op', () => {
  assert.ok(validateResult('ping', { pong: true, time: 3 }).ok);
  assert.equal(validateResult('ping', { pong: 'yes', time: 3 }).ok, false);
  assert.ok(validateResult('load', { handle: 'h1', base: '0x10000000', path: 'C:\\a.dll', alreadyLoaded: false, newModules: [] }).ok);
});

test('decodes NTSTATUS exit codes, including Wine low bytes', () => {
  assert.equal(ntstatusName(0xc0000005), 'STATUS_ACCESS_VIOLATION');
  assert.equal(decodeExitCode(-1073741819).status, 'STATUS_ACCESS_VIOLATION');
  assert.equal(decodeExitCode(0x94, true).status, 'STATUS_INTEGER_DIVIDE_BY_ZERO');
  assert.equal(decodeExitCode(7).status, null);
});

test('JSON arguments are checked in place: depth limit and non-JSON values, with their path', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 70; i++) deep = [deep];
  const tooDeep = validateHostMessage({ type: 'request', id: 1, op: 'call', params: { handle: 'h', prototype: 'x', args: [deep] } });
  assert.ok(!tooDeep.ok && /params\.args\[0\](\[0\])+: expected JSON nested at most 64 deep/.test(tooDeep.error), JSON.stringify(tooDeep));
  const nan = validateHostMessage({ type: 'request', id: 1, op: 'call', params: { handle: 'h', prototype: 'x', args: [{ a: { b: [1, Number.NaN] } }] } });
  assert.ok(!nan.ok && nan.error === 'params.args[0].a.b[1]: expected a finite number', JSON.stringify(nan));
  const args = [{ a: [1, 'two', null, true] }];
  const fine = validateHostMessage({ type: 'request', id: 1, op: 'call', params: { handle: 'h', prototype: 'x', args } });
  assert.ok(fine.ok && fine.value.op === 'call' && fine.value.params.args[0] === args[0], 'JSON values pass through uncopied');
});
