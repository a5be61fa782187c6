import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectProblems, displayName, formatChain } from './tree-problems.ts';
import type { DependencyNode } from '../resolver/dependency-node.ts';

function node(name: string, over: Partial<DependencyNode> = {}): DependencyNode {
  return {
    name, path: `/app/${name}`, strategy: 'application-dir', machine: 'x64', apiSetTarget: null, delayLoad: false, skipped: [],
    missingImports: [], children: [], repeated: false, error: null, ...over,
  };
}
const missing = (name: string, over: Partial<DependencyNode> = {}) => node(name, { path: null, strategy: 'not-found', machine: null, ...over });
const root = (children: DependencyNode[], over: Partial<DependencyNode> = {}) => node('ROOT', { path: '/app/Plugin.dll', strategy: 'root', children, ...over });
const kinds = (tree: DependencyNode) => collectProblems(tree).map((p) => `${p.kind}:${p.node.name}${p.delay ? ':delay' : ''}`);
const skippedCopy = { path: '/app/x.dll', machine: 'x86' as const, reason: 'x86 image cannot load into an x64 process' };

describe('collectProblems', () => {
  test('a healthy tree has none; the root\'s own state is not a problem', () => {
    assert.deepEqual(collectProblems(root([node('a.dll', { children: [node('b.dll')] })], { error: 'ignored', skipped: [skippedCopy] })), []);
  });

  test('not found: missing-module; not found with wrong copies passed over: no-valid-copy; found after them: wrong-copy-first', () => {
    const tree = root([missing('gone.dll'), missing('x.dll', { skipped: [skippedCopy] }), node('y.dll', { skipped: [skippedCopy] })]);
    assert.deepEqual(kinds(tree), ['missing-module:gone.dll', 'no-valid-copy:x.dll', 'wrong-copy-first:y.dll']);
  });

  test('each missing import of a found module is its own problem, carrying the import', () => {
    const imports = [{ importer: 'Plugin.dll', function: 'A', via: [] }, { importer: 'Plugin.dll', function: 'B', via: [] }];
    const problems = collectProblems(root([node('dep.dll', { missingImports: imports })]));
    assert.deepEqual(problems.map((p) => (p.kind === 'missing-export' ? p.missing.function : p.kind)), ['A', 'B']);
  });

  test('found but unreadable; API sets without a schema; unchecked system DLLs', () => {
    const tree = root([node('bad.dll', { error: 'truncated' }), missing('api-ms-win-x-l1-1-0.dll', { strategy: 'api-set-unresolved' }), missing('kernel32.dll', { strategy: 'system-dir', unchecked: true })]);
    assert.deepEqual(kinds(tree), ['unreadable:bad.dll', 'api-set-unresolved:api-ms-win-x-l1-1-0.dll', 'unchecked:kernel32.dll']);
  });

  test('side-by-side assemblies: a problem only when not found', () => {
    const tree = root([missing('Microsoft.VC90.CRT', { sxsAssembly: true, error: 'not found' }), node('Contoso.Runtime', { sxsAssembly: true, strategy: 'sxs' })]);
    assert.deepEqual(kinds(tree), ['sxs-missing:Microsoft.VC90.CRT']);
  });

  test('depth first in load order, with the chain from the root (root shown by its file name) and the delay flag', () => {
    const tree = root([
      node('a.dll', { children: [missing('deep.dll')] }),
      missing('late.dll', { delayLoad: true }),
      node('b.dll', { children: [missing('deeper.dll')] }),
    ]);
    const problems = collectProblems(tree);
    assert.deepEqual(problems.map((p) => [formatChain(p.chain), p.delay]), [
      ['Plugin.dll → a.dll → deep.dll', false], ['Plugin.dll → late.dll', true], ['Plugin.dll → b.dll → deeper.dll', false],
    ]);
  });

  test('displayName: the root by its file name, others by the imported name', () => {
    assert.equal(displayName(root([])), 'Plugin.dll');
    assert.equal(displayName(node('KERNEL32.dll', { path: '/win/system32/kernel32.dll' })), 'KERNEL32.dll');
    assert.equal(displayName(root([], { path: null })), 'ROOT');
  });

  test('formatChain joins with arrows', () => {
    assert.equal(formatChain(['a', 'b', 'c']), 'a → b → c');
    assert.equal(formatChain([]), '');
  });
});
