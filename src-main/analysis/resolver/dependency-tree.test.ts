import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir, removeDir, wineWindowsDir, WINE_DLLS } from './test-support/build-fixture.ts';
import { buildScenarios, type Scenarios } from './test-support/scenarios.ts';
import { buildDependencyTree } from './dependency-tree.ts';
import { defaultLoadContext } from './default-load-context.ts';
import type { DependencyNode } from './dependency-node.ts';

let dir: string;
let s: Scenarios;
let windowsDir: string;

before(() => {
  dir = makeTempDir('tree');
  s = buildScenarios(join(dir, 'fixtures'));
  // Wine's DLL folders arranged as a 64-bit Windows folder: system32 -> x86_64-windows, syswow64 -> i386-windows.
  windowsDir = wineWindowsDir(dir);
});
after(() => removeDir(dir));

function all(node: DependencyNode): DependencyNode[] {
  return [node, ...node.children.flatMap(all)];
}
function find(tree: DependencyNode, name: string): DependencyNode | undefined {
  return all(tree).find((n) => n.name.toLowerCase() === name.toLowerCase() && !n.repeated);
}
const tree = (root: string, overrides = {}) => buildDependencyTree(root, defaultLoadContext(root, 'x64', { windowsDir, ...overrides }));

describe('buildDependencyTree', () => {
  test('a missing module deep in the tree is a not-found node under its importer', () => {
    const t = tree(s.chainRoot);
    const foo = find(t, 'libfoo.dll')!;
    assert.equal(foo.strategy, 'application-dir');
    const z = foo.children.find((c) => c.name === 'thunkz1.dll')!;
    assert.equal(z.strategy, 'not-found');
    assert.equal(z.path, null);
  });

  test('a function the found dependency lacks is a missing import on that dependency', () => {
    const dep = find(tree(s.lackingRoot), 'dep.dll')!;
    assert.deepEqual(dep.missingImports.map((m) => [m.importer, m.function, m.reason]), [['root.dll', 'DepGone', 'no-export']]);
  });

  test('forwarders are followed to their module, which is shown, and checked there', () => {
    const fwd = find(tree(s.forwarderRoot), 'fwd.dll')!;
    assert.equal(fwd.missingImports.length, 1);
    assert.deepEqual(fwd.missingImports[0], { importer: 'root.dll', function: 'FwdFunc', via: ['other.Missing'], lackingModule: 'other.dll', reason: 'no-export' });
    const other = fwd.children.find((c) => c.name === 'other.dll');
    assert.ok(other?.viaForwarder && other.path?.endsWith('other.dll'));
    assert.deepEqual(other.forwarders, ['fwd.dll: FwdFunc → other.Missing', 'fwd.dll: FwdOk → other.Present']);
  });

  test('a wrong-bitness copy first on the path is skipped and recorded; the good copy is found later', () => {
    const dep = find(tree(s.wrongBitnessRoot, { extraDirs: [s.wrongBitnessExtra] }), 'wbdep.dll')!;
    assert.equal(dep.strategy, 'extra-dir');
    assert.equal(dep.machine, 'x64');
    assert.equal(dep.skipped.length, 1);
    assert.equal(dep.skipped[0]!.machine, 'x86');
    assert.match(dep.skipped[0]!.path, /wb\/app\/wbdep\.dll$/);
  });

  test('without a good copy the dependency is not found, with the skipped copy kept', () => {
    const dep = find(tree(s.wrongBitnessRoot), 'wbdep.dll')!;
    assert.equal(dep.path, null);
    assert.equal(dep.skipped.length, 1);
  });

  test('delay-loaded modules are flagged', () => {
    const late = find(tree(s.delayRoot), 'late.dll')!;
    assert.equal(late.delayLoad, true);
    assert.equal(late.strategy, 'not-found');
  });

  test('cycles end in a repeated node', () => {
    const t = tree(s.cycleRoot);
    const b = t.children.find((c) => c.name === 'cycb.dll')!;
    const back = b.children.find((c) => c.name === 'cyca.dll')!;
    assert.equal(back.repeated, true);
    assert.deepEqual(back.children, []);
  });

  test('API set imports resolve through Wine\'s apisetschema.dll and are checked in the host', () => {
    const node = find(tree(s.apiSetRoot), 'api-ms-win-core-synch-l1-2-0.dll')!;
    assert.equal(node.strategy, 'api-set');
    assert.equal(node.apiSetTarget, 'kernelbase.dll');
    assert.deepEqual(node.missingImports, []);
    const missing = find(tree(s.apiSetMissingRoot), 'api-ms-win-core-synch-l1-2-0.dll')!;
    assert.equal(missing.missingImports[0]!.lackingModule, 'kernelbase.dll');
  });

  test('without a schema API sets are unresolved, not missing; system DLLs are unchecked', () => {
    const t = buildDependencyTree(s.apiSetRoot, defaultLoadContext(s.apiSetRoot, 'x64', { windowsDir: null }));
    assert.equal(find(t, 'api-ms-win-core-synch-l1-2-0.dll')!.strategy, 'api-set-unresolved');
    const k = find(t, 'KERNEL32.dll')!;
    assert.equal(k.unchecked, true);
  });

  test('KnownDLLs win over a copy in the application folder', () => {
    const app = join(dir, 'known');
    cpSync(dirname(s.okRoot), app, { recursive: true });
    copyFileSync(join(app, 'dep.dll'), join(app, 'MSVCRT.DLL'));
    const t = tree(join(app, 'root.dll'));
    const msvcrt = find(t, 'msvcrt.dll')!;
    assert.equal(msvcrt.strategy, 'known-dll');
    assert.match(msvcrt.path!, /system32/);
  });

  test('a Wine prefix system.reg KnownDLLs list replaces the default', () => {
    const prefix = join(dir, 'prefix');
    const win = wineWindowsDir(join(prefix, 'drive_c'));
    writeFileSync(join(prefix, 'system.reg'), 'WINE REGISTRY Version 2\n\n[System\\\\CurrentControlSet\\\\Control\\\\Session Manager\\\\KnownDLLs] 1\n"kernel32"="kernel32.dll"\n');
    const t = buildDependencyTree(s.okRoot, defaultLoadContext(s.okRoot, 'x64', { windowsDir: win }));
    assert.equal(find(t, 'KERNEL32.dll')!.strategy, 'known-dll');
    assert.equal(find(t, 'msvcrt.dll')!.strategy, 'system-dir');
  });

  test('the node bound cuts the tree and says so', () => {
    const t = buildDependencyTree(join(WINE_DLLS.x64, 'shell32.dll'), defaultLoadContext(join(WINE_DLLS.x64, 'shell32.dll'), 'x64', { windowsDir }), { maxNodes: 5 });
    assert.ok(all(t).length <= 5);
    assert.ok(all(t).some((n) => n.truncated));
  });

  for (const arch of ['x64', 'x86'] as const) {
    for (const dll of ['shell32.dll', 'comctl32.dll', 'ole32.dll']) {
      test(`Wine's ${arch} ${dll} resolves fully in the Wine Windows folder`, () => {
        const root = join(WINE_DLLS[arch], dll);
        const t = buildDependencyTree(root, defaultLoadContext(root, arch, { windowsDir, applicationDir: join(dir, 'empty') }));
        const nodes = all(t);
        assert.ok(nodes.length > 10);
        assert.deepEqual(nodes.filter((n) => !n.path).map((n) => n.name), []);
        assert.deepEqual(nodes.flatMap((n) => n.missingImports), []);
        assert.ok(nodes.every((n) => n.machine === arch));
      });
    }
  }
});
