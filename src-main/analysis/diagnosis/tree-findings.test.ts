import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTempDir, removeDir, wineWindowsDir, WINE_DLLS } from '../resolver/test-support/build-fixture.ts';
import { buildScenarios, libFor, simpleDll, type Scenarios } from '../resolver/test-support/scenarios.ts';
import { resolveDependencies } from '../resolver/dependency-tree.ts';
import { defaultLoadContext } from '../resolver/default-load-context.ts';
import type { LoadContext } from '../resolver/load-context.ts';
import { treeFindings } from './tree-findings.ts';

let dir: string;
let s: Scenarios;
let windowsDir: string;
let bothRoot: string;
let exportFirstRoot: string;

before(() => {
  dir = makeTempDir('treefind');
  s = buildScenarios(join(dir, 'fixtures'));
  windowsDir = wineWindowsDir(dir);
  const libs = join(dir, 'libs');
  // "both": late.dll (absent) delay-loaded by root and statically imported by mid.dll.
  const both = join(dir, 'both');
  simpleDll('x64', join(both, 'mid.dll'), ['MidFn'], [{ lib: libFor('x64', libs, 'late.dll', ['LateFn']), names: ['LateFn'] }]);
  bothRoot = simpleDll('x64', join(both, 'root.dll'), [], [
    { lib: libFor('x64', libs, 'late.dll', ['LateFn'], true), names: ['LateFn'] }, { lib: libFor('x64', libs, 'mid.dll', ['MidFn']), names: ['MidFn'] },
  ], ['late.dll']);
  // "order": the first import lacks a function, the second module is missing.
  const order = join(dir, 'order');
  simpleDll('x64', join(order, 'has.dll'), ['HasFn']);
  exportFirstRoot = simpleDll('x64', join(order, 'root.dll'), [], [
    { lib: libFor('x64', libs, 'has.dll', ['HasFn', 'HasNot']), names: ['HasFn', 'HasNot'] }, { lib: libFor('x64', libs, 'absentx.dll', ['AbsFn']), names: ['AbsFn'] },
  ]);
});
after(() => removeDir(dir));

const judge = (root: string, over: Partial<LoadContext> = {}, host: 'x86' | 'x64' = 'x64', options = {}) =>
  treeFindings(resolveDependencies(root, defaultLoadContext(root, host, { windowsDir, ...over }), options), host);

describe('treeFindings: the verdict\'s failure', () => {
  test('a healthy tree: no failure, no error findings', () => {
    const r = judge(s.okRoot);
    assert.equal(r.failure, null);
    assert.deepEqual(r.findings.filter((f) => f.severity === 'error'), []);
  });

  test('a missing module deep down: 126, the chain in the root cause, a root-cause finding with what was searched', () => {
    const r = judge(s.chainRoot);
    assert.equal(r.failure!.error.code, 126);
    assert.equal(r.failure!.rootCause, 'thunkz1.dll not found (root.dll → libfoo.dll → thunkz1.dll)');
    const f = r.findings.find((x) => x.code === 'THK-MISSING-DEPENDENCY')!;
    assert.equal(f.rootCause, true);
    assert.equal(f.hostArch, 'x64');
    assert.match(f.title, /needed by root\.dll → libfoo\.dll/);
    assert.ok(f.evidence.some((e) => e.startsWith('searched: ') && e.includes('(application-dir)') && e.includes('(system-dir)')));
    assert.match(f.fix, /64-bit thunkz1\.dll/);
  });

  test('a missing function: 127 naming function, module and importer', () => {
    const r = judge(s.lackingRoot);
    assert.equal(r.failure!.error.code, 127);
    assert.match(r.failure!.rootCause, /^DepGone not found in dep\.dll \(imported by root\.dll; root\.dll → dep\.dll\)$/);
  });

  test('a missing module wins over a missing function met earlier in load order', () => {
    const r = judge(exportFirstRoot);
    assert.equal(r.failure!.error.code, 126);
    assert.match(r.failure!.rootCause, /^absentx\.dll not found/);
    assert.equal(r.findings.filter((f) => f.rootCause).length, 1);
    assert.ok(r.findings.some((f) => f.code === 'THK-MISSING-EXPORT' && !f.rootCause));
  });

  test('only wrong-bitness copies: 193, with each skipped copy as evidence', () => {
    const r = judge(s.wrongBitnessRoot);
    assert.equal(r.failure!.error.code, 193);
    const f = r.findings.find((x) => x.code === 'THK-DEPENDENCY-WRONG-BITNESS')!;
    assert.ok(f.evidence.some((e) => /wb\/app\/wbdep\.dll: x86 image cannot load/.test(e)));
  });

  test('a wrong copy first, a good one later: loads, with a warning naming both', () => {
    const r = judge(s.wrongBitnessRoot, { extraDirs: [s.wrongBitnessExtra] });
    assert.equal(r.failure, null);
    const f = r.findings.find((x) => x.code === 'THK-WRONG-BITNESS-FIRST')!;
    assert.equal(f.severity, 'warning');
    assert.ok(f.evidence.some((e) => e.startsWith('found first:') && e.includes('wb/app/wbdep.dll') && e.includes('(x86)')));
    assert.ok(f.evidence.some((e) => e.startsWith('loaded:') && e.includes('wb/extra/wbdep.dll')));
  });
});

describe('treeFindings: delay loads', () => {
  test('a missing delay-loaded DLL: loads, a warning naming 0xC06D007E', () => {
    const r = judge(s.delayRoot);
    assert.equal(r.failure, null);
    const f = r.findings.find((x) => x.code === 'THK-DELAY-LOAD-MISSING')!;
    assert.equal(f.severity, 'warning');
    assert.match(f.explanation, /0xC06D007E/);
  });

  test('missing both as a delay load and as a start-up import: counted once, as start-up (126)', () => {
    const r = judge(bothRoot);
    assert.equal(r.failure!.error.code, 126);
    assert.equal(r.failure!.rootCause, 'late.dll not found (root.dll → mid.dll → late.dll)');
    assert.deepEqual(r.findings.filter((f) => f.code.startsWith('THK-DELAY')), []);
    assert.equal(r.findings.filter((f) => f.code === 'THK-MISSING-DEPENDENCY').length, 1);
  });
});

describe('treeFindings: context findings', () => {
  test('no Windows folder: a warning listing the unchecked system DLLs; API sets unresolved (info) with the reason', () => {
    const r = judge(s.apiSetRoot, { windowsDir: null });
    assert.equal(r.failure, null);
    const noWin = r.findings.find((f) => f.code === 'THK-NO-WINDOWS-DIR')!;
    assert.ok(noWin.evidence.includes('kernel32.dll'));
    const api = r.findings.find((f) => f.code === 'THK-API-SET-UNRESOLVED')!;
    assert.equal(api.severity, 'info');
    assert.deepEqual(api.evidence, ['api-ms-win-core-synch-l1-2-0.dll']);
    assert.match(api.explanation, /no system folder known/);
  });

  test('with a Windows folder neither appears', () => {
    const found = judge(s.apiSetRoot).findings.map((f) => f.code);
    assert.ok(!found.includes('THK-NO-WINDOWS-DIR') && !found.includes('THK-API-SET-UNRESOLVED'));
  });

  test('a tree cut by the node bound says so', () => {
    const root = join(WINE_DLLS.x64, 'shell32.dll');
    const r = judge(root, { applicationDir: join(dir, 'empty') }, 'x64', { maxNodes: 4 });
    assert.ok(r.findings.some((f) => f.code === 'THK-TREE-TRUNCATED' && /\(4 nodes\)/.test(f.explanation)));
  });
});
