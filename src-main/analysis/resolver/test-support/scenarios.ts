import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildDll, importLibrary, type FixtureArch } from './build-fixture.ts';

const EXPORT = '__declspec(dllexport)';

function defOf(dll: string, names: string[]): string {
  return `LIBRARY ${dll}\nEXPORTS\n${names.join('\n')}\n`;
}

/** A DLL exporting `exports` (int f(void)) and calling `calls` from the import libraries given. */
export function simpleDll(arch: FixtureArch, out: string, exports: string[], calls: { lib: string; names: string[] }[] = [], delayLoaded?: string[]): string {
  const decls = calls.flatMap((c) => c.names).map((n) => `int ${n}(void);`).join('\n');
  const body = calls.flatMap((c) => c.names).map((n) => `${n}()`).join(' + ') || '0';
  const funcs = exports.map((n, i) => `${EXPORT} int ${n}(void) { return ${i}; }`).join('\n');
  const source = `${decls}\n${funcs}\n${EXPORT} int FixtureEntry(void) { return ${body}; }\n`;
  return buildDll({ arch, out, source, link: calls.map((c) => c.lib), delayLoaded });
}

/** Import library for `names` from `dll`, built from a .def text in `dir`. */
export function libFor(arch: FixtureArch, dir: string, dll: string, names: string[], delay = false): string {
  mkdirSync(dir, { recursive: true });
  return importLibrary(arch, defOf(dll, names), join(dir, `lib${dll.replace(/\.dll$/i, '')}${delay ? '-delay' : ''}.a`), delay);
}

export interface Scenarios {
  /** root.dll -> libfoo.dll -> thunkz1.dll (absent; Wine ships a zlib1.dll, so not that name) */
  chainRoot: string;
  /** root imports DepAdd and DepGone; dep.dll exports only DepAdd. */
  lackingRoot: string;
  /** root imports FwdFunc from fwd.dll, forwarded to other.Missing; other.dll lacks Missing. */
  forwarderRoot: string;
  /** wb/app/root.dll + wb/app/wbdep.dll (x86) ; wb/extra/wbdep.dll (x64) */
  wrongBitnessRoot: string;
  wrongBitnessExtra: string;
  /** root delay-loads late.dll (absent). */
  delayRoot: string;
  /** cyca.dll <-> cycb.dll */
  cycleRoot: string;
  /** imports Sleep from api-ms-win-core-synch-l1-2-0 */
  apiSetRoot: string;
  /** imports NoSuchFunctionAnywhere from api-ms-win-core-synch-l1-2-0 */
  apiSetMissingRoot: string;
  /** a healthy root with dep.dll beside it */
  okRoot: string;
  /** x86 build of the healthy root */
  okRoot32: string;
}

/** Builds every fixture DLL of the resolver and diagnosis tests under `dir` (x64 unless said). */
export function buildScenarios(dir: string): Scenarios {
  const libs = join(dir, 'libs');
  const a = 'x64' as const;
  // chain
  const chain = join(dir, 'chain');
  simpleDll(a, join(chain, 'libfoo.dll'), ['FooFn'], [{ lib: libFor(a, libs, 'thunkz1.dll', ['inflate']), names: ['inflate'] }]);
  const chainRoot = simpleDll(a, join(chain, 'root.dll'), ['RootFn'], [{ lib: libFor(a, libs, 'libfoo.dll', ['FooFn']), names: ['FooFn'] }]);
  // lacking export
  const lacking = join(dir, 'lacking');
  simpleDll(a, join(lacking, 'dep.dll'), ['DepAdd']);
  const lackingRoot = simpleDll(a, join(lacking, 'root.dll'), [], [{ lib: libFor(a, libs, 'dep.dll', ['DepAdd', 'DepGone']), names: ['DepAdd', 'DepGone'] }]);
  // forwarder
  const fwd = join(dir, 'forwarder');
  simpleDll(a, join(fwd, 'other.dll'), ['Present']);
  buildDll({ arch: a, out: join(fwd, 'fwd.dll'), source: `${EXPORT} int Own(void) { return 1; }\n`, def: 'LIBRARY fwd.dll\nEXPORTS\nOwn\nFwdFunc = other.Missing\nFwdOk = other.Present\n' });
  const forwarderRoot = simpleDll(a, join(fwd, 'root.dll'), [], [{ lib: libFor(a, libs, 'fwd.dll', ['FwdFunc', 'FwdOk']), names: ['FwdFunc', 'FwdOk'] }]);
  // wrong bitness first
  const wbApp = join(dir, 'wb', 'app');
  const wrongBitnessExtra = join(dir, 'wb', 'extra');
  simpleDll('x86', join(wbApp, 'wbdep.dll'), ['WbFn']);
  simpleDll(a, join(wrongBitnessExtra, 'wbdep.dll'), ['WbFn']);
  const wrongBitnessRoot = simpleDll(a, join(wbApp, 'root.dll'), [], [{ lib: libFor(a, libs, 'wbdep.dll', ['WbFn']), names: ['WbFn'] }]);
  // delay load of a missing DLL
  const delayRoot = simpleDll(a, join(dir, 'delay', 'root.dll'), [], [{ lib: libFor(a, libs, 'late.dll', ['LateFn'], true), names: ['LateFn'] }], ['late.dll']);
  // cycle
  const cyc = join(dir, 'cycle');
  const libA = libFor(a, libs, 'cyca.dll', ['AFn']);
  const libB = libFor(a, libs, 'cycb.dll', ['BFn']);
  simpleDll(a, join(cyc, 'cycb.dll'), ['BFn'], [{ lib: libA, names: ['AFn'] }]);
  const cycleRoot = simpleDll(a, join(cyc, 'cyca.dll'), ['AFn'], [{ lib: libB, names: ['BFn'] }]);
  // API sets
  const apiLib = libFor(a, libs, 'api-ms-win-core-synch-l1-2-0.dll', ['Sleep', 'NoSuchFunctionAnywhere']);
  const apiSetRoot = simpleDll(a, join(dir, 'apiset', 'root.dll'), [], [{ lib: apiLib, names: ['Sleep'] }]);
  const apiSetMissingRoot = simpleDll(a, join(dir, 'apiset-missing', 'root.dll'), [], [{ lib: apiLib, names: ['NoSuchFunctionAnywhere'] }]);
  // healthy, both bitnesses
  const ok = join(dir, 'ok');
  simpleDll(a, join(ok, 'dep.dll'), ['DepAdd']);
  const okRoot = simpleDll(a, join(ok, 'root.dll'), ['Api'], [{ lib: libFor(a, libs, 'dep.dll', ['DepAdd']), names: ['DepAdd'] }]);
  const ok32 = join(dir, 'ok32');
  simpleDll('x86', join(ok32, 'dep.dll'), ['DepAdd']);
  const okRoot32 = simpleDll('x86', join(ok32, 'root.dll'), ['Api'], [{ lib: libFor('x86', join(libs, 'x86'), 'dep.dll', ['DepAdd']), names: ['DepAdd'] }]);
  return { chainRoot, lackingRoot, forwarderRoot, wrongBitnessRoot, wrongBitnessExtra, delayRoot, cycleRoot, apiSetRoot, apiSetMissingRoot, okRoot, okRoot32 };
}
