import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileReport } from '../../../../src-main/contract/api-contract.ts';
import { loaderComparisons } from './loader-comparison.ts';

const verdict = (loads: boolean, error: { code: number; name: string; message: string } | null = null) => ({ loads, error, builtForHost: true }) as unknown as NonNullable<FileReport['verdicts']['x64']>;

test('DllMain returning FALSE: predicted loads, the real loader fails with 1114, they disagree, the finding says why', () => {
  const report = {
    file: 'a.dll', verdicts: { x64: verdict(true) },
    realLoader: { x64: { loads: false, error: { code: 1114, name: 'ERROR_DLL_INIT_FAILED', message: 'm' }, runtime: 'wine', agreesWithPrediction: false, modules: [] } },
    findings: [{ code: 'THK-REAL-LOADER-DISAGREES', hostArch: 'x64', explanation: 'DllMain returned FALSE', fix: 'ask the vendor', evidence: ['a.dll loaded by wine', '0x1 a.dll+0x10 DllMain+0x4'] }],
  } as unknown as FileReport;
  const [row] = loaderComparisons(report);
  assert.deepEqual([row!.predicted.text, row!.real.text, row!.agreement, row!.reason], ['Loads', 'Fails: 1114 ERROR_DLL_INIT_FAILED', 'disagrees', 'DllMain returned FALSE']);
  assert.deepEqual(row!.evidence, ['0x1 a.dll+0x10 DllMain+0x4']);
});

test('hosts the loader was not asked about have no row; an agent that could not start is "not asked", with why', () => {
  const report = {
    file: 'a.dll', verdicts: { x86: verdict(false, { code: 193, name: 'ERROR_BAD_EXE_FORMAT', message: '' }), x64: verdict(true) },
    realLoader: { x64: { loads: null, error: null, runtime: null, agreesWithPrediction: null, modules: [], unavailable: 'Wine is not installed' } },
    findings: [],
  } as unknown as FileReport;
  const rows = loaderComparisons(report);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.agreement, 'unavailable');
  assert.equal(rows[0]!.real.text, 'Not asked: Wine is not installed');
});
