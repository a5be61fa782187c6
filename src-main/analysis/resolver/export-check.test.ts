import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDll, makeTempDir, removeDir, wineWindowsDir } from './test-support/build-fixture.ts';
import { checkImport, describeRef, importRef, moduleName, parseForwarder, type ForwarderResolver, type ImportRef } from './export-check.ts';
import { ModuleLocator, type Located } from './module-locator.ts';
import { defaultLoadContext } from './default-load-context.ts';

const EXPORT = '__declspec(dllexport)';
let dir: string;
let windowsDir: string;

// A long same-module chain: Hop0 -> Hop1 -> ... -> Hop<n> -> Real.
const hops = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i} = chain.${i + 1 < n ? `${prefix}${i + 1}` : 'Real'}`);

before(() => {
  dir = makeTempDir('exports');
  windowsDir = wineWindowsDir(dir);
  const src = (names: string[]) => names.map((n, i) => `${EXPORT} int ${n}(void) { return ${i}; }`).join('\n');
  buildDll({ arch: 'x64', out: join(dir, 'target.dll'), source: src(['Real', 'Real2', 'Hidden']), def: 'LIBRARY target.dll\nEXPORTS\nReal\nReal2\nHidden @12 NONAME\n' });
  buildDll({ arch: 'x64', out: join(dir, 'mid.dll'), source: src(['MidOwn']), def: 'LIBRARY mid.dll\nEXPORTS\nMidOwn\nStep = target.Real2\nPong = fwd.PingPong\n' });
  // GNU ld's .def syntax has no "dll.#12" forwarder: Q12 / Q99 are patched to #12 / #99 below.
  const fwdDef = ['LIBRARY fwd.dll', 'EXPORTS', 'Own', 'ByName = target.Real', 'ByOrd = target.Q12', 'ByOrdGone = target.Q99', 'Chain = mid.Step', 'Gone = target.NoSuch',
    'ToAbsent = nowhere.Fn', 'Loop = fwd.Loop', 'PingPong = mid.Pong', 'ToK32 = kernel32.Sleep', 'ToK32Bad = kernel32.NoSuchKernelFn'].join('\n');
  const fwd = buildDll({ arch: 'x64', out: join(dir, 'fwd.dll'), source: src(['Own']), def: `${fwdDef}\n` });
  const bytes = readFileSync(fwd);
  for (const [from, to] of [['target.Q12\0', 'target.#12\0'], ['target.Q99\0', 'target.#99\0']]) {
    const at = bytes.indexOf(from!, 0, 'latin1');
    assert.ok(at > 0, from);
    bytes.write(to!, at, 'latin1');
  }
  writeFileSync(fwd, bytes);
  buildDll({ arch: 'x64', out: join(dir, 'chain.dll'), source: src(['Real']), def: `LIBRARY chain.dll\nEXPORTS\nReal\n${hops(10, 'Short').join('\n')}\n${hops(20, 'Long').join('\n')}\n` });
});
after(() => removeDir(dir));

function setup(withWindows = false): { locator: ModuleLocator; resolver: ForwarderResolver; forwards: string[] } {
  const root = join(dir, 'root.dll');
  const locator = new ModuleLocator(defaultLoadContext(root, 'x64', { windowsDir: withWindows ? windowsDir : null }), root);
  const forwards: string[] = [];
  const resolver: ForwarderResolver = {
    locate: (name, importer) => locator.locate(name, importer),
    onForward: (owner: Located, target: Located) => forwards.push(`${moduleName(owner)}->${target.name}`),
  };
  return { locator, resolver, forwards };
}
function check(module: string, ref: ImportRef, withWindows = false) {
  const s = setup(withWindows);
  return { missing: checkImport('root.dll', ref, s.locator.locate(module, 'root.dll'), s.resolver), forwards: s.forwards };
}

describe('checkImport: plain exports', () => {
  test('by name, compared case-sensitively as the loader does', () => {
    assert.equal(check('target.dll', { name: 'Real' }).missing, null);
    assert.deepEqual(check('target.dll', { name: 'real' }).missing, { importer: 'root.dll', function: 'real', via: [], lackingModule: 'target.dll', reason: 'no-export' });
  });

  test('by ordinal, including an ordinal-only (NONAME) export', () => {
    assert.equal(check('target.dll', { ordinal: 12 }).missing, null);
    assert.deepEqual(check('target.dll', { ordinal: 99 }).missing, { importer: 'root.dll', function: '#99', via: [], lackingModule: 'target.dll', reason: 'no-export', ordinal: 99 });
  });

  test('the name of an ordinal-only export does not satisfy an import by name', () => {
    assert.equal(check('target.dll', { name: 'Hidden' }).missing?.reason, 'no-export');
  });

  test('a module that was not found or is unchecked cannot be checked: no finding', () => {
    assert.equal(check('absent.dll', { name: 'X' }).missing, null);
    assert.equal(check('kernel32.dll', { name: 'NoSuch' }).missing, null);
  });
});

describe('checkImport: forwarders', () => {
  test('"dll.Func" is followed to the target module, which the tree is told about', () => {
    const r = check('fwd.dll', { name: 'ByName' });
    assert.equal(r.missing, null);
    assert.deepEqual(r.forwards, ['fwd.dll->target.dll']);
  });

  test('"dll.#12" is followed by ordinal; a missing ordinal is reported through the chain', () => {
    assert.equal(check('fwd.dll', { name: 'ByOrd' }).missing, null);
    assert.deepEqual(check('fwd.dll', { name: 'ByOrdGone' }).missing, { importer: 'root.dll', function: 'ByOrdGone', via: ['target.#99'], lackingModule: 'target.dll', reason: 'no-export', ordinal: 99 });
  });

  test('a chain of two modules resolves; each hop is reported', () => {
    const r = check('fwd.dll', { name: 'Chain' });
    assert.equal(r.missing, null);
    assert.deepEqual(r.forwards, ['fwd.dll->mid.dll', 'mid.dll->target.dll']);
  });

  test('the final module lacking the function is named, with the forwarders followed', () => {
    assert.deepEqual(check('fwd.dll', { name: 'Gone' }).missing, { importer: 'root.dll', function: 'Gone', via: ['target.NoSuch'], lackingModule: 'target.dll', reason: 'no-export' });
  });

  test('a forwarder to a module that is not found names the module as the loader loads it, with .dll', () => {
    assert.deepEqual(check('fwd.dll', { name: 'ToAbsent' }).missing, { importer: 'root.dll', function: 'ToAbsent', via: ['nowhere.Fn'], lackingModule: 'nowhere.dll', reason: 'forwarder-target-missing' });
  });

  test('a forwarder to itself and a two-module cycle terminate as forwarder loops', () => {
    assert.equal(check('fwd.dll', { name: 'Loop' }).missing?.reason, 'forwarder-loop');
    const pingPong = check('fwd.dll', { name: 'PingPong' }).missing!;
    assert.equal(pingPong.reason, 'forwarder-loop');
    assert.deepEqual(pingPong.via, ['mid.Pong', 'fwd.PingPong', 'mid.Pong']);
  });

  test('a long chain within the bound resolves; a longer one ends with a finding instead of running on', () => {
    assert.equal(check('chain.dll', { name: 'Short0' }).missing, null);
    const long = check('chain.dll', { name: 'Long0' }).missing!;
    assert.equal(long.reason, 'forwarder-loop');
    assert.ok(long.via.length < 20);
  });

  test('forwarders into system DLLs: not checked without a Windows folder, checked with one', () => {
    assert.equal(check('fwd.dll', { name: 'ToK32Bad' }).missing, null);
    assert.equal(check('fwd.dll', { name: 'ToK32' }, true).missing, null);
    assert.deepEqual(check('fwd.dll', { name: 'ToK32Bad' }, true).missing, { importer: 'root.dll', function: 'ToK32Bad', via: ['kernel32.NoSuchKernelFn'], lackingModule: 'kernel32.dll', reason: 'no-export' });
  });
});

describe('parseForwarder / importRef / describeRef', () => {
  test('splits at the last dot; "#n" is an ordinal', () => {
    assert.deepEqual(parseForwarder('NTDLL.RtlAllocateHeap'), { module: 'NTDLL', ref: { name: 'RtlAllocateHeap' } });
    assert.deepEqual(parseForwarder('ws2_32.#12'), { module: 'ws2_32', ref: { ordinal: 12 } });
    assert.deepEqual(parseForwarder('api-ms-win-core-a-l1-1-0.dll.Func'), { module: 'api-ms-win-core-a-l1-1-0.dll', ref: { name: 'Func' } });
    assert.deepEqual(parseForwarder('mod.#x1'), { module: 'mod', ref: { name: '#x1' } });
  });

  test('strings that are no forwarders give null', () => {
    for (const bad of ['', 'nodot', '.Func', 'mod.']) assert.equal(parseForwarder(bad), null, bad);
  });

  test('imports by name or ordinal', () => {
    assert.deepEqual(importRef({ name: 'F', hint: 3, ordinal: null }), { name: 'F' });
    assert.deepEqual(importRef({ name: null, hint: null, ordinal: 7 }), { ordinal: 7 });
    assert.equal(importRef({ name: null, hint: null, ordinal: null }), null);
    assert.deepEqual([describeRef({ name: 'F' }), describeRef({ ordinal: 7 })], ['F', '#7']);
  });
});
