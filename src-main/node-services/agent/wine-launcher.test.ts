// How Windows agents are launched under Wine: the real launchers of this machine, and every reason
// a 32-bit agent cannot start, with this machine's 32-bit support replaced by each case in turn.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ia32Support } from './ia32-support.ts';
import { type WineLaunch, type WineProblem, EMULATION_SCRIPT, describeExecution, isWineProblem, planWineLaunch, wineLauncher, wineVersion } from './wine-launcher.ts';

const dir = mkdtempSync(join(tmpdir(), 'thunk-wine-launcher-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const wine32 = wineLauncher('win32-ia32');
const wine64 = wineLauncher('win32-x64');
// The plans below call the real `--version` of the 32-bit launcher, which needs 32-bit code to run here.
const no32 = !wine32 || !existsSync(wine32) ? '32-bit Wine is not installed' : wineVersion(wine32) ? false : `32-bit Wine does not run here (${wine32} --version failed)`;
const QEMU10 = { entry: 'qemu-i386', interpreter: '/usr/bin/qemu-i386', version: 'qemu-i386 version 10.0.2 (Debian 1:10.0.2+ds-2)' };

const kernel: Ia32Support = { runs: true, via: 'kernel', emulator: null, reason: null };
const emulated: Ia32Support = { runs: true, via: 'emulator', emulator: QEMU10, reason: null };
const refused: Ia32Support = { runs: false, via: null, emulator: null, reason: 'this kernel cannot run 32-bit x86 programs (Exec format error) and no emulator is registered for them with binfmt_misc' };
const tooOld: Ia32Support = { runs: true, via: 'emulator', emulator: { ...QEMU10, version: 'qemu-i386 version 7.2.0 (Debian 1:7.2+dfsg-7)' }, reason: null };

function agentDir(withFix: boolean): string {
  const folder = mkdtempSync(join(dir, 'agent-'));
  if (withFix) {
    mkdirSync(join(folder, 'wine-qemu', 'lib', 'i386-linux-gnu'), { recursive: true });
    writeFileSync(join(folder, 'wine-qemu', 'lib', 'i386-linux-gnu', 'libthunk-trapno.so'), '');
  }
  return folder;
}

function problem(plan: WineLaunch | WineProblem): WineProblem {
  assert.ok(isWineProblem(plan), `expected a problem, got a launch: ${JSON.stringify(plan)}`);
  return plan;
}

function launch(plan: WineLaunch | WineProblem): WineLaunch {
  assert.ok(!isWineProblem(plan), `expected a launch: ${JSON.stringify(plan)}`);
  return plan;
}

describe('the 64-bit agent', () => {
  it('runs under Wine\'s 64-bit loader, never the launcher that picks the 32-bit one', { skip: wine64 ? false : 'Wine is not installed' }, () => {
    const plan = launch(planWineLaunch('win32-x64', agentDir(false), {}, () => refused));
    assert.equal(plan.command, wine64);
    if (existsSync('/usr/lib/wine/wine64')) assert.equal(plan.command, '/usr/lib/wine/wine64');
    assert.deepEqual(plan.execution, { kind: 'wine', wineVersion: wineVersion(wine64!) });
    assert.equal(plan.env.LD_PRELOAD, undefined);
    // Debian's wineserver wrapper would end the server with each agent (-p0).
    if (existsSync('/usr/lib/wine/wineserver64') && !process.env.WINESERVER) assert.equal(plan.env.WINESERVER, '/usr/lib/wine/wineserver64');
  });

  it('without Wine, says so with the package to install', () => {
    const plan = problem(planWineLaunch('win32-x64', agentDir(false), { wine64Command: join(dir, 'no-wine64') }));
    assert.equal(plan.message, `Wine is not installed (no ${join(dir, 'no-wine64')})`);
    assert.deepEqual(plan.fix, ['sudo apt-get install wine wine64']);
  });
});

describe('the 32-bit agent', { skip: no32 }, () => {
  it('runs 32-bit Wine directly where the kernel runs 32-bit code', () => {
    const plan = launch(planWineLaunch('win32-ia32', agentDir(false), {}, () => kernel));
    assert.equal(plan.command, wine32);
    assert.equal(plan.execution.kind, 'wine');
    assert.equal(plan.env.LD_PRELOAD, undefined);
  });

  it('under emulation, preloads the fault fix per process ($LIB) and says how it runs', () => {
    const folder = agentDir(true);
    const plan = launch(planWineLaunch('win32-ia32', folder, {}, () => emulated));
    assert.deepEqual(plan.execution, { kind: 'wine-emulated', wineVersion: wineVersion(wine32!), emulator: 'qemu-i386 10.0.2' });
    assert.equal(plan.env.LD_PRELOAD, join(folder, 'wine-qemu', '$LIB', 'libthunk-trapno.so'));
    assert.match(describeExecution(plan.execution), /^under wine-\S+.* with qemu-i386 10\.0\.2 emulating 32-bit x86$/);
  });

  it('under emulation without the fault fix, refuses with the commands that build it', () => {
    const plan = problem(planWineLaunch('win32-ia32', agentDir(false), {}, () => emulated));
    assert.match(plan.message, /fault fix is not built/);
    assert.deepEqual(plan.fix, ['sudo apt-get install gcc-multilib', 'npm run stage:agents']);
  });

  it('on a kernel without 32-bit support and no emulator: Wine is there, the kernel is the problem, qemu the fix', () => {
    const plan = problem(planWineLaunch('win32-ia32', agentDir(true), {}, () => refused));
    assert.match(plan.message, /^Wine is installed, but this kernel cannot run 32-bit x86 programs \(Exec format error\)/);
    assert.ok(plan.fix.some((f) => /bookworm-backports qemu-user-static/.test(f)), plan.fix.join('\n'));
    assert.ok(plan.fix.some((f) => f.includes(EMULATION_SCRIPT)), plan.fix.join('\n'));
  });

  it('with a qemu too old for Wine, names its version and the newer one', () => {
    const plan = problem(planWineLaunch('win32-ia32', agentDir(true), {}, () => tooOld));
    assert.match(plan.message, /qemu-i386 version 7\.2\.0 .*too old for Wine/);
    assert.match(plan.fix[0]!, /bookworm-backports qemu-user-static/);
  });

  it('without any Wine, says so first', () => {
    const plan = problem(planWineLaunch('win32-ia32', agentDir(true), { wineCommand: join(dir, 'no-wine') }, () => refused));
    assert.equal(plan.message, `Wine is not installed (no ${join(dir, 'no-wine')})`);
    assert.deepEqual(plan.fix, ['sudo apt-get install wine wine64 wine32:i386']);
  });
});

describe('descriptions', () => {
  it('say native, under Wine, or under Wine with the emulator', () => {
    assert.equal(describeExecution({ kind: 'native' }), 'native');
    assert.equal(describeExecution({ kind: 'wine', wineVersion: 'wine-8.0' }), 'under wine-8.0');
    assert.equal(describeExecution({ kind: 'wine-emulated', wineVersion: 'wine-8.0', emulator: 'qemu-i386 10.0.2' }), 'under wine-8.0 with qemu-i386 10.0.2 emulating 32-bit x86');
  });
});
