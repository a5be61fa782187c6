// Builds the fixture DLLs under fixtures/dlls for x86 and x64 with MinGW-w64 into
// build/fixtures/<arch>/ (what a user would ship) and build/fixtures-work/<arch>/ (import libraries
// and dependencies that are deliberately not shipped). Outputs newer than their inputs are kept.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

type Arch = 'x86' | 'x64';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = join(ROOT, 'fixtures', 'dlls');
const THIS_SCRIPT = fileURLToPath(import.meta.url);

const TOOLCHAINS: Record<Arch, { prefix: string; pkg: string }> = {
  x86: { prefix: 'i686-w64-mingw32', pkg: 'gcc-mingw-w64-i686' },
  x64: { prefix: 'x86_64-w64-mingw32', pkg: 'gcc-mingw-w64-x86-64' },
};

const other = (arch: Arch): Arch => (arch === 'x86' ? 'x64' : 'x86');
const tool = (arch: Arch, name: string): string => `${TOOLCHAINS[arch].prefix}-${name}`;
const src = (name: string): string => join(SOURCES, name);

const outDir = (arch: Arch): string => join(ROOT, 'build', 'fixtures', arch);
const workDir = (arch: Arch): string => join(ROOT, 'build', 'fixtures-work', arch);

interface Step {
  output: string;
  inputs: string[];
  build: () => Promise<void>;
}

interface DllSpec {
  sources: string[];
  output: string;
  objects?: string[];
  libs?: string[];
  defines?: string[];
  implib?: string;
  map?: string;
  compiler?: Arch;
  /** Link a program (.exe) instead of a DLL. */
  exe?: boolean;
}

function dllStep(arch: Arch, spec: DllSpec): Step {
  const compiler = spec.compiler ?? arch;
  const args = [...(spec.exe ? [] : ['-shared']), '-s', '-O2', '-Wall', '-o', spec.output, ...(spec.defines ?? []).map((d) => `-D${d}`), ...spec.sources, ...(spec.objects ?? []), ...(spec.libs ?? [])];
  if (spec.implib) args.push(`-Wl,--out-implib,${spec.implib}`);
  if (spec.map) args.push(`-Wl,-Map,${spec.map}`);
  return {
    output: spec.output,
    inputs: [...spec.sources, ...(spec.objects ?? []), ...(spec.libs ?? [])],
    build: async () => {
      await run(tool(compiler, 'gcc'), args);
    },
  };
}

function delayLibStep(arch: Arch, def: string, output: string): Step {
  // -k drops the @N of 32-bit stdcall names, as the system DLLs export them undecorated.
  const args = ['--input-def', def, '--output-delaylib', output, ...(arch === 'x86' ? ['-k'] : [])];
  return { output, inputs: [def], build: async () => void (await run(tool(arch, 'dlltool'), args)) };
}

function importLibStep(arch: Arch, def: string, output: string): Step {
  return { output, inputs: [def], build: async () => void (await run(tool(arch, 'dlltool'), ['--input-def', def, '--output-lib', output])) };
}

function resourceStep(arch: Arch, rc: string, output: string, extraInputs: string[], defines: string[] = []): Step {
  const args = ['--include-dir', SOURCES, ...defines.map((d) => `-D${d}`), '-i', rc, '-o', output];
  return { output, inputs: [rc, ...extraInputs], build: async () => void (await run(tool(arch, 'windres'), args)) };
}

/** Points data directory 13 at the delay descriptors that GNU ld placed but did not register. */
function registerDelayDirectory(dll: string, map: string): void {
  const text = readFileSync(map, 'utf8');
  const address = (pattern: RegExp): bigint[] => [...text.matchAll(pattern)].map((m) => BigInt(`0x${m[1]}`));
  const descriptors = address(/^\s+0x([0-9a-f]+)\s+_+DELAY_IMPORT_DESCRIPTOR_\S+\s*$/gm);
  const [terminator] = address(/^\s+0x([0-9a-f]+)\s+_*delay_import_terminator\s*$/gm);
  if (descriptors.length === 0 || terminator === undefined) throw new Error(`${map}: delay descriptors or terminator not found`);
  const first = descriptors.reduce((a, b) => (b < a ? b : a));
  if (terminator - first !== BigInt(descriptors.length * 32)) throw new Error(`${dll}: delay descriptors are not contiguous before the terminator`);
  const image = readFileSync(dll);
  const optional = image.readUInt32LE(0x3c) + 24;
  const is64 = image.readUInt16LE(optional) === 0x20b;
  const imageBase = is64 ? image.readBigUInt64LE(optional + 24) : BigInt(image.readUInt32LE(optional + 28));
  const entry = optional + (is64 ? 0x70 : 0x60) + 13 * 8;
  image.writeUInt32LE(Number(first - imageBase), entry);
  image.writeUInt32LE((descriptors.length + 1) * 32, entry + 4);
  writeFileSync(dll, image);
}

function stepsFor(arch: Arch): Step[] {
  const out = outDir(arch);
  const work = workDir(arch);
  const shipped = (name: string): string => join(out, `${name}.dll`);
  const simple = (name: string, extra: Omit<Partial<DllSpec>, 'output'> = {}): Step =>
    dllStep(arch, { ...extra, sources: [src(`${name}.c`), ...(extra.sources ?? [])], output: shipped(name) });
  const delayLoad = dllStep(arch, {
    sources: [src('delay-load.c'), src('delay-terminator.c')],
    output: shipped('delay-load'),
    libs: [join(work, 'libdelay-target-delay.a'), join(work, 'libuser32-delay.a')],
    map: join(work, 'delay-load.map'),
  });
  const linkDelayLoad = delayLoad.build;
  delayLoad.build = async () => {
    await linkDelayLoad();
    registerDelayDirectory(shipped('delay-load'), join(work, 'delay-load.map'));
  };
  return [
    simple('calling-conventions', arch === 'x86' ? { sources: [src('calling-conventions.x86.def')] } : {}),
    simple('forward-target', { sources: [src('forward-target.def')] }),
    simple('ordinals-and-forwarders', { sources: [src('ordinals-and-forwarders.def')] }),
    dllStep(arch, { sources: [src('missing-dep.c')], output: join(work, 'missing-dep.dll'), implib: join(work, 'libmissing-dep.a') }),
    simple('needs-missing-dep', { libs: [join(work, 'libmissing-dep.a')] }),
    simple('versioned-dep'),
    dllStep(arch, { sources: [src('versioned-dep.c')], output: join(work, 'v2', 'versioned-dep.dll'), defines: ['VERSIONED_DEP_V2'], implib: join(work, 'v2', 'libversioned-dep.a') }),
    simple('needs-newer-dep', { libs: [join(work, 'v2', 'libversioned-dep.a')] }),
    simple('delay-target'),
    delayLibStep(arch, src('delay-target.def'), join(work, 'libdelay-target-delay.a')),
    delayLibStep(arch, src(`delay-user32.${arch}.def`), join(work, 'libuser32-delay.a')),
    delayLoad,
    dllStep(arch, { sources: [src('bitness-dep.c')], output: join(work, 'bitness-dep.dll'), implib: join(work, 'libbitness-dep.a') }),
    dllStep(arch, { sources: [src('bitness-dep.c')], output: shipped('bitness-dep'), compiler: other(arch) }),
    simple('needs-wrong-bitness-dep', { libs: [join(work, 'libbitness-dep.a')] }),
    resourceStep(arch, src('version-and-manifest.rc'), join(work, 'version-and-manifest.res.o'), [src('version-and-manifest.manifest')]),
    simple('version-and-manifest', { objects: [join(work, 'version-and-manifest.res.o')] }),
    simple('data-exports'),
    simple('cpp-exports', { sources: [src('cpp-exports.def')] }),
    simple('tls-callback'),
    simple('dllmain-returns-false'),
    simple('call-console'),
    importLibStep(arch, src('forward-target.v2.def'), join(work, 'libforward-target-v2.a')),
    simple('needs-missing-ordinal', { libs: [join(work, 'libforward-target-v2.a')] }),
    simple('needs-system-dll', { libs: ['-lversion'] }),
    importLibStep(arch, src('kernel32-future.def'), join(work, 'libkernel32-future.a')),
    simple('needs-newer-windows', { libs: [join(work, 'libkernel32-future.a')] }),
    dllStep(arch, { sources: [src('forwards-to-missing.c'), src('forwards-to-missing.def')], output: shipped('forwards-to-missing'), implib: join(work, 'libforwards-to-missing.a') }),
    simple('needs-forwarder-to-missing', { libs: [join(work, 'libforwards-to-missing.a')] }),
    dllStep(arch, { sources: [src('app-needs-missing-dep.c')], output: join(out, 'app-needs-missing-dep.exe'), libs: [join(work, 'libmissing-dep.a')], exe: true }),
    dllStep(arch, { sources: [src('host-app.c')], output: join(out, 'host-app.exe'), exe: true }),
    ...sxsSteps(arch, out, work),
    ...compareSteps(arch, work),
  ];
}

/** build/fixtures/compare/<arch>/v1 and v2: one source built twice, for `thunk compare` (outside <arch>/ so folder scans of it stay as they were). */
function compareFixture(arch: Arch, version: 'v1' | 'v2'): string {
  return join(ROOT, 'build', 'fixtures', 'compare', arch, version, 'compare-plugin.dll');
}

function compareSteps(arch: Arch, work: string): Step[] {
  return (['v1', 'v2'] as const).flatMap((version) => {
    const defines = version === 'v2' ? ['COMPARE_PLUGIN_V2'] : [];
    const res = join(work, `compare-plugin-${version}.res.o`);
    return [
      resourceStep(arch, src('compare-plugin.rc'), res, [], defines),
      dllStep(arch, { sources: [src('compare-plugin.c')], objects: [res], output: compareFixture(arch, version), defines, libs: version === 'v2' ? ['-lversion'] : [] }),
    ];
  });
}

// The same manifest (a missing Microsoft.VC90.CRT) as resource 2 of a DLL and resource 1 of an EXE.
function sxsSteps(arch: Arch, out: string, work: string): Step[] {
  const manifest = src(`sxs-vc90.${arch === 'x64' ? 'amd64' : 'x86'}.manifest`);
  const archDefine = arch === 'x64' ? ['THUNK_X64'] : [];
  const dllRes = join(work, 'sxs-vc90.res.o');
  const exeRes = join(work, 'app-sxs-vc90.res.o');
  return [
    resourceStep(arch, src('sxs-vc90.rc'), dllRes, [manifest], archDefine),
    dllStep(arch, { sources: [src('sxs-vc90.c')], objects: [dllRes], output: join(out, 'sxs-vc90.dll') }),
    resourceStep(arch, src('sxs-vc90.rc'), exeRes, [manifest], [...archDefine, 'THUNK_EXE']),
    dllStep(arch, { sources: [src('app-sxs-vc90.c')], objects: [exeRes], output: join(out, 'app-sxs-vc90.exe'), exe: true }),
    // A DLL carrying the program's manifest ID (1): LoadLibrary ignores it.
    dllStep(arch, { sources: [src('sxs-vc90.c')], objects: [exeRes], output: join(out, 'sxs-vc90-id1.dll') }),
  ];
}

const mtime = (path: string): number | null => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
};

function upToDate(step: Step): boolean {
  const built = mtime(step.output);
  if (built === null) return false;
  return [...step.inputs, THIS_SCRIPT].every((input) => (mtime(input) ?? Infinity) <= built);
}

function checkToolchains(): void {
  for (const arch of ['x86', 'x64'] as Arch[]) {
    for (const name of ['gcc', 'dlltool', 'windres']) {
      const probe = spawnSync(tool(arch, name), ['--version'], { stdio: 'ignore' });
      if (probe.error) {
        throw new Error(`${tool(arch, name)} not found: install the Debian package ${TOOLCHAINS[arch].pkg} (apt-get install ${TOOLCHAINS[arch].pkg}), which brings the ${arch} MinGW-w64 compiler and binutils`);
      }
    }
  }
}

async function buildArch(arch: Arch): Promise<{ built: number; fresh: number }> {
  let built = 0;
  let fresh = 0;
  for (const step of stepsFor(arch)) {
    if (upToDate(step)) {
      fresh++;
      continue;
    }
    mkdirSync(dirname(step.output), { recursive: true });
    try {
      await step.build();
    } catch (error) {
      // A half-built output (linked but not patched) must not look up to date next time.
      rmSync(step.output, { force: true });
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`building ${relative(ROOT, step.output)} failed: ${(error as Error).message}\n${stderr}`);
    }
    built++;
    console.log(`build-fixtures: built ${relative(ROOT, step.output)}`);
  }
  return { built, fresh };
}

async function main(): Promise<void> {
  checkToolchains();
  const results = await Promise.all((['x86', 'x64'] as Arch[]).map(buildArch));
  const built = results.reduce((n, r) => n + r.built, 0);
  const fresh = results.reduce((n, r) => n + r.fresh, 0);
  console.log(`build-fixtures: ${built} built, ${fresh} up to date`);
}

main().catch((error: Error) => {
  console.error(`build-fixtures: ${error.message}`);
  process.exit(1);
});
