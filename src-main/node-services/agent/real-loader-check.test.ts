import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { exercised, stagedRuntimeSkip } from '../agent/test-support.ts';
import { Supervisor } from '../agent/supervisor.ts';
import { fixturePath } from '../../test-support/fixtures.ts';
import { analyseFile } from '../../analysis/triage/analyse-file.ts';
import { buildWindowsFixtures } from '../../../src-agent32/testing/dll-fixtures.ts';
import { checkWithRealLoader, loaderRequestFor } from './real-loader-check.ts';
import { defaultLoadContext } from '../../analysis/resolver/default-load-context.ts';
import { makeTempDir, wineWindowsDir } from '../../analysis/resolver/test-support/build-fixture.ts';

let fakeWindows: string | null = null;
const windowsDir = (): string => (fakeWindows ??= wineWindowsDir(makeTempDir('real-loader')));


const skip = stagedRuntimeSkip('win32-ia32') || stagedRuntimeSkip('win32-x64');
const supervisor = skip ? null : new Supervisor({ pingIntervalMs: 0 });
after(() => supervisor?.dispose());

async function triageWithLoader(name: string, arch: 'x86' | 'x64') {
  const report = analyseFile(fixturePath(name, arch), { hosts: [arch], searchDirs: [] });
  const [checked] = await checkWithRealLoader([report], supervisor!);
  assert.equal(report.realLoader, undefined, 'the analysed report is left as it was');
  return checked!;
}

test('a missing dependency: the real loader says 126 too, and they agree', { skip }, async (t) => {
  exercised(t, 'win32-ia32');
  const report = await triageWithLoader('needs-missing-dep', 'x86');
  const real = report.realLoader!.x86!;
  assert.equal(real.loads, false);
  assert.equal(real.error!.code, 126);
  assert.equal(real.agreesWithPrediction, true);
  assert.ok(!report.findings.some((f) => f.code === 'THK-REAL-LOADER-DISAGREES'));
});

test('DllMain returning FALSE: predicted to load, the real loader says 1114, flagged as a disagreement', { skip }, async (t) => {
  exercised(t, 'win32-x64');
  const report = await triageWithLoader('dllmain-returns-false', 'x64');
  assert.equal(report.verdicts.x64!.loads, true);
  assert.equal(report.realLoader!.x64!.error!.code, 1114);
  const finding = report.findings.find((f) => f.code === 'THK-REAL-LOADER-DISAGREES');
  assert.ok(finding, 'disagreement finding');
  assert.match(finding.explanation, /initialisation/);
});

test('a fault in DllMain: the real loader says 998, and the finding says where the DLL faulted', { skip }, async (t) => {
  exercised(t, 'win32-x64');
  const analysed = analyseFile(buildWindowsFixtures('x64').dllmainCrash, { hosts: ['x64'], searchDirs: [] });
  const [report] = (await checkWithRealLoader([analysed], supervisor!)) as [typeof analysed];
  assert.equal(report.verdicts.x64!.loads, true);
  assert.equal(report.realLoader!.x64!.error!.code, 998);
  const finding = report.findings.find((f) => f.code === 'THK-REAL-LOADER-DISAGREES');
  assert.ok(finding, 'disagreement finding');
  assert.match(finding.explanation, /initialisation .* faulted: STATUS_ACCESS_VIOLATION \(0xC0000005\) at dllmain-crash\.dll\+0x[0-9a-f]+ \(write access to 0x0\)\. The loader caught the exception and failed the load with 998/);
  assert.ok(finding.evidence.some((line) => / dllmain-crash\.dll\+0x[0-9a-f]+/.test(line)), finding.evidence.join('\n'));
});

test('a DLL that loads: the real loader agrees and lists the modules it brought in', { skip }, async (t) => {
  exercised(t, 'win32-ia32');
  const report = await triageWithLoader('calling-conventions', 'x86');
  const real = report.realLoader!.x86!;
  assert.equal(real.loads, true);
  assert.equal(real.agreesWithPrediction, true);
  assert.ok(real.modules.some((m) => /calling-conventions\.dll$/i.test(m)), `modules: ${real.modules}`);
});

test('a missing imported function: Windows says 127; under Wine the load succeeds and the report says why', { skip }, async (t) => {
  exercised(t, 'win32-x64');
  const report = await triageWithLoader('needs-newer-dep', 'x64');
  assert.equal(report.verdicts.x64!.error!.code, 127);
  const real = report.realLoader!.x64!;
  if (!/wine/i.test(real.runtime ?? '')) {
    assert.equal(real.error?.code, 127, 'on Windows the real loader fails with 127');
    return;
  }
  assert.equal(real.loads, true);
  const finding = report.findings.find((f) => f.code === 'THK-REAL-LOADER-DISAGREES');
  assert.match(finding!.explanation, /Wine binds a missing imported function to a stub/);
});

for (const arch of ['x86', 'x64'] as const) {
  test(`${arch}: a missing ordinal (182) and a missing SxS assembly (14001) under Wine: the load succeeds and the report says why`, { skip }, async (t) => {
    exercised(t, arch === 'x86' ? 'win32-ia32' : 'win32-x64');
    const cases: [string, number, RegExp][] = [
      ['needs-missing-ordinal', 182, /Wine binds a missing imported ordinal to a stub/],
      ['sxs-vc90', 14001, /Windows refuses to create the activation context/],
    ];
    for (const [name, code, why] of cases) {
      // The SxS verdict needs a Windows folder to be blocking: Wine's DLL folders stand in for one.
      const analysed = analyseFile(fixturePath(name, arch), { hosts: [arch], searchDirs: [], windowsDir: windowsDir() });
      const [report] = (await checkWithRealLoader([analysed], supervisor!)) as [typeof analysed];
      assert.equal(report.verdicts[arch]!.error!.code, code, name);
      const real = report.realLoader![arch]!;
      if (!/wine/i.test(real.runtime ?? '')) {
        assert.equal(real.error?.code, code, `on Windows the real loader fails with ${code}`);
        continue;
      }
      assert.equal(real.loads, true, name);
      assert.match(report.findings.find((f) => f.code === 'THK-REAL-LOADER-DISAGREES')!.explanation, why);
    }
  });
}

test('the loader request reproduces the predicted context, or says it cannot', () => {
  const dll = '/opt/app/plugins/vendor.dll';
  assert.deepEqual(loaderRequestFor(dll, defaultLoadContext(dll, 'x64')), { flags: 0x8, searchDirs: [] });
  assert.deepEqual(loaderRequestFor(dll, defaultLoadContext(dll, 'x64', { loadMethod: 'search-flags', searchFlags: ['dll-load-dir', 'system32'], extraDirs: ['/opt/libs'] })), { flags: 0x900, searchDirs: ['/opt/libs'] });
  assert.equal(loaderRequestFor(dll, defaultLoadContext(dll, 'x64', { applicationDir: '/opt/app' })), null);
  assert.deepEqual(loaderRequestFor(dll, defaultLoadContext(dll, 'x64', { applicationDir: '/opt/app', loadMethod: 'altered-search-path' })), { flags: 0x8, searchDirs: [] });
});
