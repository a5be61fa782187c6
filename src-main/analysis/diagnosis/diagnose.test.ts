import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTempDir, removeDir, wineWindowsDir } from '../resolver/test-support/build-fixture.ts';
import { buildScenarios, type Scenarios } from '../resolver/test-support/scenarios.ts';
import { diagnose } from './diagnose.ts';

let dir: string;
let s: Scenarios;
let windowsDir: string;

before(() => {
  dir = makeTempDir('diag');
  s = buildScenarios(join(dir, 'fixtures'));
  // Wine's DLL folders arranged as a Windows folder (system32 / syswow64 symlinks).
  windowsDir = wineWindowsDir(dir);
});
after(() => removeDir(dir));

const both = { hosts: ['x86', 'x64'] as ('x86' | 'x64')[] };

describe('diagnose', () => {
  test('root of the other bitness: 193 with the bitness fix, root cause first', () => {
    const d = diagnose(s.okRoot, { ...both, windowsDir });
    assert.equal(d.verdicts.x64!.loads, true);
    assert.equal(d.verdicts.x86!.error!.code, 193);
    assert.equal(d.findings[0]!.code, 'THK-WRONG-BITNESS');
    assert.equal(d.findings[0]!.rootCause, true);
    assert.match(d.findings[0]!.fix, /32-bit build/);
    assert.equal(diagnose(s.okRoot32, { ...both, windowsDir }).verdicts.x86!.loads, true);
  });

  test('missing module deep in the tree: 126 naming it and the chain', () => {
    const v = diagnose(s.chainRoot, { hosts: ['x64'], windowsDir }).verdicts.x64!;
    assert.equal(v.error!.code, 126);
    assert.equal(v.rootCause, 'thunkz1.dll not found (root.dll → libfoo.dll → thunkz1.dll)');
  });

  test('missing function: 127 naming the function and the module', () => {
    const d = diagnose(s.lackingRoot, { hosts: ['x64'], windowsDir });
    assert.equal(d.verdicts.x64!.error!.code, 127);
    assert.match(d.verdicts.x64!.rootCause!, /^DepGone not found in dep\.dll/);
    assert.equal(d.findings[0]!.code, 'THK-MISSING-EXPORT');
  });

  test('missing function through a forwarder names the target module', () => {
    const v = diagnose(s.forwarderRoot, { hosts: ['x64'], windowsDir }).verdicts.x64!;
    assert.equal(v.error!.code, 127);
    assert.match(v.rootCause!, /FwdFunc \(forwarded to other\.Missing\) not found in other\.dll/);
  });

  test('wrong-bitness copy first: loads, with a finding naming both paths', () => {
    const d = diagnose(s.wrongBitnessRoot, { hosts: ['x64'], windowsDir, searchDirs: [s.wrongBitnessExtra] });
    assert.equal(d.verdicts.x64!.loads, true);
    const f = d.findings.find((x) => x.code === 'THK-WRONG-BITNESS-FIRST')!;
    assert.ok(f.evidence.some((e) => e.includes('wb/app/wbdep.dll')) && f.evidence.some((e) => e.includes('wb/extra/wbdep.dll')));
  });

  test('only a wrong-bitness copy: 193', () => {
    const d = diagnose(s.wrongBitnessRoot, { hosts: ['x64'], windowsDir });
    assert.equal(d.verdicts.x64!.error!.code, 193);
    assert.equal(d.findings[0]!.code, 'THK-DEPENDENCY-WRONG-BITNESS');
  });

  test('delay-load of a missing DLL: loads, with a warning', () => {
    const d = diagnose(s.delayRoot, { hosts: ['x64'], windowsDir });
    assert.equal(d.verdicts.x64!.loads, true);
    assert.equal(d.findings.find((f) => f.code === 'THK-DELAY-LOAD-MISSING')!.severity, 'warning');
  });

  test('no Windows folder: a warning with the --windows-dir fix, MinGW system imports not called missing', () => {
    const d = diagnose(s.okRoot, { hosts: ['x64'], windowsDir: null });
    assert.equal(d.verdicts.x64!.loads, true);
    const f = d.findings.find((x) => x.code === 'THK-NO-WINDOWS-DIR')!;
    assert.match(f.fix, /--windows-dir/);
    assert.ok(f.evidence.includes('kernel32.dll'));
  });

  test('hardening findings are information; findings shared by both hosts are merged', () => {
    const d = diagnose(s.okRoot, { ...both, windowsDir });
    const cfg = d.findings.filter((f) => f.code === 'THK-NO-CFG');
    assert.equal(cfg.length, 1);
    assert.equal(cfg[0]!.severity, 'info');
    assert.equal(cfg[0]!.hostArch, null);
  });
});
