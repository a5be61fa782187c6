// electron-builder.yml must put the agent runtimes where runtime-locator.ts looks in a packaged app
// (process.resourcesPath/agents/<platform-arch>/). Where Electron's binary is present,
// `electron-builder --dir` could produce the real tree; it cannot be downloaded here, so this test
// applies the config's extraResources (from, to, filter) to a staged tree itself and asks the real
// locateRuntime to find each runtime in the result. The staged files are empty stand-ins: their
// presence, not their content, is the subject.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { RuntimeMissingError, locateRuntime, type AgentArch } from '../src-main/node-services/agent/runtime-locator.ts';
import { unpacked } from '../src-main/node-services/session/worker-start.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface ExtraResource { from: string; to: string; filter?: string[] }
interface PlatformConfig { extraResources?: ExtraResource[] }
interface BuilderConfig extends PlatformConfig {
  files: string[];
  asarUnpack: string[];
  extraMetadata?: { main?: string };
  electronFuses?: Record<string, boolean>;
  win: PlatformConfig;
  linux: PlatformConfig;
  mac: PlatformConfig;
}

const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** The filters the config uses: "**\/*" keeps everything, "!name" drops files of that name. */
function kept(file: string, filter: string[] = ['**/*']): boolean {
  const excluded = filter.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
  return filter.includes('**/*') && !excluded.some((pattern) => basename(file) === pattern || file === pattern);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile());
}

/** What electron-builder copies into resources/ for one platform: top-level extraResources plus the platform's. */
function applyExtraResources(project: string, resources: string, platform: PlatformConfig): void {
  for (const entry of [...(config.extraResources ?? []), ...(platform.extraResources ?? [])]) {
    const from = join(project, entry.from);
    for (const file of filesUnder(from).filter((f) => kept(f, entry.filter))) {
      mkdirSync(dirname(join(resources, entry.to, file)), { recursive: true });
      cpSync(join(from, file), join(resources, entry.to, file));
    }
  }
}

/** A build/agents tree as `npm run stage:agents` leaves it (empty files of the right names). */
function stageAgents(project: string): void {
  for (const arch of ['win32-ia32', 'win32-x64'] as const) {
    const dir = join(project, 'build', 'agents', arch);
    const native = join('node_modules', '@koromix', `koffi-${arch}`, arch.replace('-', '_'), 'koffi.node');
    // On Linux, staging adds the fault fix 32-bit Wine needs under qemu.
    const qemuFix = arch === 'win32-ia32' ? ['i386-linux-gnu', 'x86_64-linux-gnu'].map((lib) => join('wine-qemu', 'lib', lib, 'libthunk-trapno.so')) : [];
    for (const file of ['node.exe', 'agent.js', 'package.json', join('node_modules', 'koffi', 'package.json'), native, ...qemuFix]) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
  }
}

function packaged(platform: 'win' | 'linux'): { resources: string; scratch: string } {
  const scratch = mkdtempSync(join(tmpdir(), `thunk-layout-${platform}-`));
  stageAgents(scratch);
  const resources = join(scratch, 'release', 'resources');
  applyExtraResources(scratch, resources, config[platform]);
  return { resources, scratch };
}

test('Windows package: the 32-bit agent brings its node.exe; the 64-bit one runs on the app binary as Node', () => {
  const { resources, scratch } = packaged('win');
  const electron = join(scratch, 'release', 'Thunk.exe');
  const ia32 = locateRuntime('win32-ia32', { resourcesPath: resources, platform: 'win32', hostArch: 'x64', electronExecPath: electron });
  assert.equal(ia32.command, join(resources, 'agents', 'win32-ia32', 'node.exe'));
  assert.equal(existsSync(join(resources, 'agents', 'win32-x64', 'node.exe')), false, 'the 64-bit node.exe stays out of the Windows package');
  const x64 = locateRuntime('win32-x64', { resourcesPath: resources, platform: 'win32', hostArch: 'x64', electronExecPath: electron });
  assert.equal(x64.command, electron);
  assert.equal(x64.env.ELECTRON_RUN_AS_NODE, '1');
  assert.deepEqual(x64.args, [join(resources, 'agents', 'win32-x64', 'agent.js')]);
  assert.equal(config.electronFuses?.runAsNode, true, 'the 64-bit agent needs the runAsNode fuse');
  rmSync(scratch, { recursive: true, force: true });
});

test('Linux package: both Windows runtimes with their node.exe, run under Wine', () => {
  const { resources, scratch } = packaged('linux');
  // A stand-in `wine` that only answers --version: Wine itself is not what this test is about.
  const wine = join(scratch, 'wine');
  writeFileSync(wine, '#!/bin/sh\necho wine-9.0\n');
  chmodSync(wine, 0o755);
  for (const arch of ['win32-ia32', 'win32-x64'] as AgentArch[]) {
    assert.ok(existsSync(join(resources, 'agents', arch, 'node.exe')), `${arch}/node.exe shipped`);
    if (arch === 'win32-ia32') assert.ok(existsSync(join(resources, 'agents', arch, 'wine-qemu', 'lib', 'i386-linux-gnu', 'libthunk-trapno.so')), 'the fault fix for 32-bit Wine under qemu shipped');
    try {
      const runtime = locateRuntime(arch, { resourcesPath: resources, platform: 'linux', hostArch: 'x64', wineCommand: wine });
      assert.equal(runtime.args[0], join(resources, 'agents', arch, 'node.exe'));
      assert.equal(runtime.args[1], join(resources, 'agents', arch, 'agent.js'));
    } catch (error) {
      // 32-bit Wine missing on this machine is about the host, not the package layout.
      assert.ok(error instanceof RuntimeMissingError && /32-bit Wine is not installed|cannot run 32-bit x86 programs|too old for Wine/.test(error.message), String(error));
    }
  }
  rmSync(scratch, { recursive: true, force: true });
});

test('the app files: the bundles npm run build makes are packed, the worker and koffi unpacked', () => {
  assert.ok(config.files.includes('dist/**'));
  assert.equal(config.extraMetadata?.main, 'dist/electron-main.js');
  assert.ok(config.asarUnpack.includes('dist/triage-worker.js'));
  assert.ok(config.asarUnpack.includes('node_modules/koffi/**'));
  const build = readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8');
  for (const entry of ["'electron-main'", 'preload', "'triage-worker'"]) assert.ok(build.includes(entry), `build.mjs bundles ${entry}`);
  assert.equal(unpacked(new URL('file:///opt/Thunk/resources/app.asar/dist/triage-worker.js')).pathname, '/opt/Thunk/resources/app.asar.unpacked/dist/triage-worker.js');
  assert.equal(relative(root, fileURLToPath(unpacked(new URL('./dist/x.js', `file://${root}/`)))), join('dist', 'x.js'));
});
