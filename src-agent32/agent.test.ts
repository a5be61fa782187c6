import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AgentHarness } from './testing/agent-harness.ts';
import { recordRuntimeUse } from '../src-main/node-services/agent/runtime-ledger.ts';
import { checkCases, typeFamilyCases } from './testing/type-family-cases.ts';
import { encodeFrame } from './protocol/framing.ts';
import { type CallResult, PROTOCOL_VERSION } from './protocol/messages.ts';

const root = resolve(import.meta.dirname, '..');
const lib = join(root, 'build/fixtures/agent/libcalls.so');
const source = join(root, 'fixtures/agent/calls.c');
let agent: AgentHarness;

function buildFixture(): void {
  if (existsSync(lib) && statSync(lib).mtimeMs >= statSync(source).mtimeMs) return;
  mkdirSync(join(root, 'build/fixtures/agent'), { recursive: true });
  execFileSync('gcc', ['-shared', '-fPIC', '-O1', '-fno-omit-frame-pointer', '-o', lib, source]);
}

function spawnAgent(): AgentHarness {
  return new AgentHarness(process.execPath, ['--import', 'tsx', join(root, 'src-agent32/agent.ts')]);
}

async function call(prototype: string, args: unknown[], extra: { options?: object; declarations?: string } = {}): Promise<CallResult> {
  return agent.ok<CallResult>('call', { handle: 'lib1', prototype, args, ...extra });
}

before(async () => {
  buildFixture();
  agent = spawnAgent();
  await agent.handshake();
  recordRuntimeUse({ kind: 'agent-start', arch: 'linux-x64', how: `src-agent32/agent.ts via tsx (node ${process.version}, host)` });
  await agent.ok('load', { path: lib });
});
after(() => agent.kill());
beforeEach((t) => recordRuntimeUse({ kind: 'test', arch: 'linux-x64', test: t.name }));

test('handshake describes the agent', async () => {
  const h = await agent.handshake();
  assert.equal(h.protocolVersion, PROTOCOL_VERSION);
  assert.equal(h.runtime.platform, process.platform);
  assert.equal(h.koffiVersion, '3.3.4');
});

test('load reports the path, base and new modules; modules lists it', async () => {
  const r = await agent.ok<{ path: string; base: string; newModules: { path: string }[] }>('load', { path: lib });
  assert.equal(r.path, lib);
  assert.match(r.base, /^0x/);
  const m = await agent.ok<{ modules: { path: string }[] }>('modules');
  assert.ok(m.modules.some((x) => x.path === lib));
});

test('load errors: missing path, dlerror text, wrong format', async () => {
  const missing = await agent.request('load', { path: '/nope/libx.so' });
  assert.equal(!missing.response.ok && missing.response.error.code, 'path-missing');
  const bad = await agent.request('load', { path: source });
  assert.ok(!bad.response.ok && bad.response.error.code === 'load-failed' && /calls\.c/.test(bad.response.error.message));
});

// The same table runs against both Wine agents (testing/wine-suite.ts).
for (const [family, cases] of Object.entries(typeFamilyCases({ pointerBits: 64, wcharBits: 32 }))) {
  test(family, () => checkCases(call, cases));
}

test('a float argument that is not a number is refused before the call', async () => {
  const notNumber = await agent.request('call', { handle: 'lib1', prototype: 'double scale(double v, double k)', args: ['1.5', 2] });
  assert.match(!notNumber.response.ok ? notNumber.response.error.message : '', /expected a number \(or "NaN", "Infinity", "-Infinity"\) for double/);
});

test('off 32-bit Windows, __thiscall is the platform\'s one convention', async () => {
  const point = 'typedef struct Point { int32_t x; int32_t y; } Point;';
  const moved = await call(`${point} int __thiscall point_move_x(Point *self, int dx)`, [{ x: 1, y: 2 }, 5]);
  assert.deepEqual([moved.value, moved.outs[0].value], [602, { x: 6, y: 2 }]);
});

test('errno, repeat timing and progress', async () => {
  assert.equal((await call('int set_error(int)', [13])).errno, 13);
  const r = await call('int spin(int ms)', [1], { options: { repeat: 7 } });
  assert.equal(r.timing?.runs, 7);
  assert.ok(r.timing!.minMs <= r.timing!.medianMs && r.timing!.medianMs <= r.timing!.maxMs);
});

test('bad input is refused before any call', async () => {
  const cases: [string, unknown[], string][] = [
    ['int add(int a, int b', [1, 2], 'bad-prototype'],
    ['int add(mystery a, int b)', [1, 2], 'bad-prototype'],
    ['int add(int a, int b)', [1], 'bad-args'],
    ['int add(int a, int b)', [1, 'x'], 'bad-args'],
    ['uint8_t inc_u8(uint8_t)', [256], 'bad-args'],
    ['int64_t mul64(int64_t, int64_t)', ['9223372036854775808', 1], 'bad-args'],
    ['int not_there(int)', [1], 'symbol-not-found'],
  ];
  for (const [prototype, args, code] of cases) {
    const { response } = await agent.request('call', { handle: 'lib1', prototype, args });
    assert.equal(response.ok ? 'ok' : response.error.code, code, prototype);
  }
  const unknown = await agent.request('call', { handle: 'nope', prototype: 'int add(int, int)', args: [1, 2] });
  assert.equal(!unknown.response.ok && unknown.response.error.code, 'unknown-handle');
});

test('resolve finds exports and refuses missing ones', async () => {
  const r = await agent.ok<{ name: string; address: string }>('resolve', { handle: 'lib1', symbol: 'add' });
  assert.equal(r.name, 'add');
  const missing = await agent.request('resolve', { handle: 'lib1', symbol: 'nope' });
  assert.equal(!missing.response.ok && missing.response.error.code, 'symbol-not-found');
});

test('DLL output becomes log events of its call, even a flood with fake magic', async () => {
  const shout = await agent.request('call', { handle: 'lib1', prototype: 'int shout(const char *)', args: ['hey'] });
  assert.deepEqual(shout.logs.map((l) => [l.stream, l.text]), [['stdout', 'shout:hey\n']]);
  const unflushed = await agent.request('call', { handle: 'lib1', prototype: 'int unflushed(void)', args: [] });
  assert.equal(unflushed.logs.map((l) => l.text).join(''), 'unflushed-output');
  const flood = await agent.request('call', { handle: 'lib1', prototype: 'int flood(int lines)', args: [20000] });
  assert.ok(flood.response.ok);
  const out = flood.logs.filter((l) => l.stream === 'stdout').map((l) => l.text).join('');
  assert.equal(out.split('\n').length - 1, 20000);
  assert.equal(flood.logs.filter((l) => l.stream === 'stderr').map((l) => l.text).join(''), 'flood done\n');
  assert.equal(agent.garbage.length, 0);
  assert.ok((await agent.ok('ping')).pong);
});

test('a call request sent as JSON is answered like a compact one', async () => {
  const params = { handle: 'lib1', prototype: 'int add(int a, int b)', args: [20, 22] };
  const asJson = await agent.request('call', params, true);
  const compact = await agent.request('call', params);
  assert.ok(asJson.response.ok && compact.response.ok);
  assert.equal((asJson.response.result as CallResult).value, 42);
  assert.deepEqual({ ...(asJson.response.result as CallResult), durationMs: 0 }, { ...(compact.response.result as CallResult), durationMs: 0 });
});

test('malformed frames get an error response or are skipped', async () => {
  agent.sendRaw(Buffer.from('junk before a frame'));
  agent.sendRaw(encodeFrame({ type: 'request', id: 900, op: 'fly', params: {} }));
  const { response } = await agent.request('ping');
  assert.ok(response.ok);
  const bad = agent.messages.find((m) => m.type === 'response' && m.id === 900);
  assert.ok(bad && bad.type === 'response' && !bad.ok && bad.error.code === 'bad-request');
});

test('the agent exits when stdin closes', async () => {
  const other = spawnAgent();
  await other.handshake();
  other.closeStdin();
  assert.deepEqual(await other.exited, { code: 0, signal: null });
});

test('a crash in the library kills the agent during the call', async () => {
  const other = spawnAgent();
  await other.handshake();
  await other.ok('load', { path: lib });
  other.post('call', { handle: 'lib1', prototype: 'int crash_write(int)', args: [1] });
  const exit = await other.exited;
  assert.equal(exit.signal, 'SIGSEGV');
});
