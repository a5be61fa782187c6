// `thunk call` through the built CLI (dist/cli.js), spawned like a user would run it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseCallValue } from './call-command.ts';
import { nativeFixture, exercised, runtimeSkip, stagedRuntimeSkip, windowsFixtures } from '../../node-services/agent/test-support.ts';
import { builtCliSkip, thunk } from '../../test-support/run-cli.ts';
import { WINE_X64_NO_MINIDUMP } from '../../node-services/agent/agent-slot.ts';





describe('parseCallValue', () => {
  it('reads JSON where it parses, strings otherwise, big integers as strings', () => {
    assert.equal(parseCallValue('2'), 2);
    assert.equal(parseCallValue('-1.5'), -1.5);
    assert.equal(parseCallValue('hello'), 'hello');
    assert.equal(parseCallValue('"2"'), '2');
    assert.deepEqual(parseCallValue('{"size":64}'), { size: 64 });
    assert.equal(parseCallValue('18446744073709551615'), '18446744073709551615');
    assert.equal(parseCallValue('null'), null);
  });
});

describe('thunk call (CLI)', { skip: builtCliSkip }, () => {
  it('exits 2 on usage errors', () => {
    assert.equal(thunk('call').status, 2);
    assert.equal(thunk('call', 'x.dll', 'not a prototype').status, 2);
    assert.equal(thunk('call', 'x.dll', 'int f(int)', '1', '--arch', 'arm').status, 2);
    assert.equal(thunk('call', 'x.dll', 'int f(int)', '1', '--repeat', 'zero').status, 2);
    assert.equal(thunk('call', 'x.dll', 'int f(int)', '--bogus').status, 2);
  });

  it('exits 3 for a file that is not there', () => {
    assert.equal(thunk('call', join(tmpdir(), 'no-such.dll'), 'int f(void)').status, 3);
  });

  const nativeSkip = stagedRuntimeSkip('linux-x64') || runtimeSkip('linux-x64', nativeFixture().path ? false : nativeFixture().reason);
  it('calls a native library: value, output, agent; negative arguments', { skip: nativeSkip }, (t) => {
    exercised(t, 'linux-x64');
    const lib = nativeFixture().path!;
    const run = thunk('call', lib, 'int add(int a, int b)', '5', '-7', '--json');
    assert.equal(run.status, 0, run.stderr);
    const doc = JSON.parse(run.stdout);
    assert.equal(doc.result.value, -2);
    assert.equal(doc.agent.arch, 'linux-x64');
    assert.ok(doc.agent.pid > 0);
    const text = thunk('call', lib, 'int shout(const char *s)', 'hey');
    assert.equal(text.status, 0);
    assert.match(text.stdout, /shout\("hey"\) = 10/);
    assert.match(text.stdout, /\| shout:hey/);
  });

  it('reports a hung call as timed out (exit 1) and runs it once', { skip: nativeSkip }, (t) => {
    exercised(t, 'linux-x64');
    const counter = join(mkdtempSync(join(tmpdir(), 'thunk-cli-')), 'count');
    const run = thunk('call', nativeFixture().path!, 'int count_hang(const char *p)', counter, '--timeout', '300', '--json');
    assert.equal(run.status, 1);
    assert.equal(JSON.parse(run.stdout).error.code, 'TIMEOUT');
    assert.equal(readFileSync(counter, 'utf8'), 'x');
  });

  for (const [arch, bits] of [['win32-ia32', 'x86'], ['win32-x64', 'x64']] as const) {
    const skip = stagedRuntimeSkip(arch) || runtimeSkip(arch, windowsFixtures(bits).dlls ? false : windowsFixtures(bits).reason);
    it(`calls and crashes a ${bits} DLL under ${process.platform === 'win32' ? 'Windows' : 'Wine'}`, { skip, timeout: 120_000 }, (t) => {
      exercised(t, arch);
      const dll = windowsFixtures(bits).dlls!.supervised;
      const ok = thunk('call', dll, 'int __stdcall Add(int a, int b)', '2', '3', '--json');
      assert.equal(ok.status, 0, ok.stderr);
      const doc = JSON.parse(ok.stdout);
      assert.equal(doc.result.value, 5);
      assert.equal(doc.result.lastError.code, 0);
      assert.equal(doc.agent.arch, arch);
      const crash = thunk('call', dll, 'int crash_write(int v)', '1', '--json');
      assert.equal(crash.status, 1);
      const crashed = JSON.parse(crash.stdout).crash;
      assert.ok(crashed, `no crash in the report: ${crash.stdout.slice(0, 2000)}`);
      assert.equal(crashed.name, 'STATUS_ACCESS_VIOLATION');
      assert.equal(crashed.module.toLowerCase(), 'supervised.dll');
      assert.ok(crashed.offset > 0);
      const text = thunk('call', dll, 'int crash_write(int v)', '1');
      assert.match(text.stdout, /CRASH: STATUS_ACCESS_VIOLATION \(0xC0000005\) at supervised\.dll\+0x/);
      assert.doesNotMatch(text.stdout, /minidump/);
    });

    const wineX64 = bits === 'x64' && process.platform !== 'win32';
    it(wineX64 ? 'says why a 64-bit crash under Wine has no minidump with --minidump, and still reports the crash' : `writes a minidump of a ${bits} crash with --minidump`, { skip, timeout: 120_000 }, (t) => {
      exercised(t, arch);
      const dll = windowsFixtures(bits).dlls!.supervised;
      const dumps = join(mkdtempSync(join(tmpdir(), 'thunk-dumps-')), 'nested');
      const run = thunk('call', dll, 'int crash_write(int v)', '1', '--minidump', dumps, '--json');
      assert.equal(run.status, 1, run.stderr);
      const crashed = JSON.parse(run.stdout).crash;
      assert.equal(crashed.name, 'STATUS_ACCESS_VIOLATION');
      if (wineX64) {
        assert.equal(crashed.minidump, undefined);
        assert.equal(crashed.minidumpError, WINE_X64_NO_MINIDUMP);
        assert.equal(existsSync(dumps), false);
        const text = thunk('call', dll, 'int crash_write(int v)', '1', '--minidump', dumps);
        assert.ok(text.stdout.includes(`no minidump: ${WINE_X64_NO_MINIDUMP}`), text.stdout);
        return rmSync(dirname(dumps), { recursive: true, force: true });
      }
      assert.equal(crashed.minidumpError, undefined);
      assert.equal(dirname(crashed.minidump), dumps);
      assert.deepEqual(readdirSync(dumps), [basename(crashed.minidump)]);
      assert.equal(readFileSync(crashed.minidump).subarray(0, 4).toString('latin1'), 'MDMP');
      const text = thunk('call', dll, 'int crash_write(int v)', '1', '--minidump', dumps);
      assert.ok(text.stdout.includes(`minidump: ${dumps}/thunk-`), text.stdout);
      rmSync(dirname(dumps), { recursive: true, force: true });
    });
  }
});
