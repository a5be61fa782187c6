// The runtime locator against agent folders laid out in temp directories the way staging and
// packaging leave them, with the real Wine where a test needs one.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NotPeError } from '../../analysis/pe/parse-pe.ts';
import { fixturePath } from '../../test-support/fixtures.ts';
import { type AgentArch, type LocateOptions, RuntimeMissingError, agentWineDebug, archForFile, locateRuntime, projectRoot, wineVersion } from './runtime-locator.ts';
import { ia32Support } from './ia32-support.ts';
import { wineLauncher } from './wine-launcher.ts';

const base = mkdtempSync(join(tmpdir(), 'thunk-locator-'));
after(() => rmSync(base, { recursive: true, force: true }));

let serial = 0;
function tempDir(name: string): string {
  const dir = join(base, `${++serial}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function touch(path: string, content = ''): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

interface Staging {
  nodeExe?: boolean;
  koffiNative?: boolean;
  agentJs?: boolean;
}

/** Fills `dir` the way scripts/stage-agent-runtimes.ts does for `arch`. */
function stage(dir: string, arch: AgentArch, { nodeExe = arch !== 'linux-x64', koffiNative = true, agentJs = true }: Staging = {}): string {
  mkdirSync(dir, { recursive: true });
  if (agentJs) touch(join(dir, 'agent.js'), '// agent\n');
  touch(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  touch(join(dir, 'node_modules', 'koffi', 'package.json'), '{ "name": "koffi" }\n');
  if (koffiNative) touch(nativeModule(dir, arch), 'native');
  if (nodeExe) touch(join(dir, 'node.exe'), 'MZ');
  return dir;
}

function nativeModule(dir: string, arch: AgentArch): string {
  return join(dir, 'node_modules', '@koromix', `koffi-${arch}`, arch.replace('-', '_'), 'koffi.node');
}

/** A project root with build/agents/<arch> staged. */
function devRoot(arch: AgentArch, staging: Staging = {}): string {
  const root = tempDir(`dev-${arch}`);
  stage(join(root, 'build', 'agents', arch), arch, staging);
  return root;
}

/** An Electron resources folder with agents/<arch> staged, beside an empty project root. */
function packaged(arch: AgentArch, staging: Staging = {}): { root: string; resourcesPath: string; dir: string } {
  const resourcesPath = tempDir(`resources-${arch}`);
  const dir = stage(join(resourcesPath, 'agents', arch), arch, staging);
  return { root: tempDir('empty-root'), resourcesPath, dir };
}

function missing(arch: AgentArch, options: LocateOptions): RuntimeMissingError {
  try {
    locateRuntime(arch, options);
  } catch (error) {
    if (error instanceof RuntimeMissingError) {
      assert.equal(error.arch, arch);
      return error;
    }
    throw error;
  }
  assert.fail(`locateRuntime(${arch}) found a runtime where none should be`);
}

const linuxHost = { platform: 'linux', hostArch: 'x64' } as const;
const windowsHost = { platform: 'win32', hostArch: 'x64' } as const;
const fakeElectron = '/opt/Thunk/thunk.exe';

const wine64 = wineLauncher('win32-x64');
const wine32 = wineLauncher('win32-ia32');
const noWine = wine64 && wineVersion(wine64) ? false : 'Wine is not installed (apt-get install wine wine64 wine32:i386)';
const noWine32 = wine32 && ia32Support().runs && wineVersion(wine32) ? false : `32-bit Wine does not run here: ${ia32Support().reason ?? 'apt-get install wine32:i386'}`;

describe('development layout (<root>/build/agents/<arch>)', () => {
  it('linux-x64 runs agent.js with the node that node-path.txt names', () => {
    const root = devRoot('linux-x64');
    const dir = join(root, 'build', 'agents', 'linux-x64');
    const node = touch(join(root, 'other-node'), '#!/bin/sh\n');
    writeFileSync(join(dir, 'node-path.txt'), `${node}\n`);
    const runtime = locateRuntime('linux-x64', { root, ...linuxHost });
    assert.equal(runtime.command, node);
    assert.deepEqual(runtime.args, [join(dir, 'agent.js')]);
    assert.equal(runtime.dir, dir);
    assert.equal(runtime.wine, null);
    assert.equal(runtime.env.ELECTRON_RUN_AS_NODE, undefined);
    assert.equal(runtime.description, 'build/agents/linux-x64 (node staged)');
  });

  it('linux-x64 prefers a staged node binary over node-path.txt', () => {
    const root = devRoot('linux-x64');
    const dir = join(root, 'build', 'agents', 'linux-x64');
    writeFileSync(join(dir, 'node-path.txt'), `${touch(join(root, 'other-node'))}\n`);
    touch(join(dir, 'node'));
    assert.equal(locateRuntime('linux-x64', { root, ...linuxHost }).command, join(dir, 'node'));
  });

  it('linux-x64 falls back to the host node when node-path.txt names a node that is gone', () => {
    const root = devRoot('linux-x64');
    writeFileSync(join(root, 'build', 'agents', 'linux-x64', 'node-path.txt'), '/nonexistent/node\n');
    const runtime = locateRuntime('linux-x64', { root, ...linuxHost });
    assert.equal(runtime.command, process.execPath);
    assert.equal(runtime.description, `build/agents/linux-x64 (node ${process.version}, host)`);
  });

  it('linux-x64 runs src-agent32/agent.ts through tsx when nothing is staged', () => {
    const root = tempDir('dev-source');
    const source = touch(join(root, 'src-agent32', 'agent.ts'));
    const runtime = locateRuntime('linux-x64', { root, ...linuxHost });
    assert.equal(runtime.command, process.execPath);
    assert.deepEqual(runtime.args, ['--import', 'tsx', source]);
    assert.equal(runtime.dir, dirname(source));
    assert.match(runtime.description, /^src-agent32\/agent\.ts via tsx \(node v\d+/);
  });

  it('linux-x64 without the source fallback names the missing folder, then the missing agent.js', () => {
    const root = tempDir('dev-nothing');
    touch(join(root, 'src-agent32', 'agent.ts'));
    const options = { root, ...linuxHost, allowSource: false };
    assert.equal(missing('linux-x64', options).message, 'build/agents/linux-x64 not found: run `npm run stage:agents`');
    mkdirSync(join(root, 'build', 'agents', 'linux-x64'), { recursive: true });
    assert.equal(missing('linux-x64', options).message, 'build/agents/linux-x64/agent.js not found: run `npm run stage:agents`');
  });

  it("linux-x64 with agent.js but no koffi native module names koffi.node", () => {
    const root = devRoot('linux-x64', { koffiNative: false });
    const error = missing('linux-x64', { root, ...linuxHost });
    assert.equal(error.message, 'build/agents/linux-x64/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node not found: run `npm run stage:agents`');
  });

  it('linux-x64 refuses hosts other than Linux x64', () => {
    const root = devRoot('linux-x64');
    assert.equal(missing('linux-x64', { root, platform: 'darwin', hostArch: 'x64' }).message, 'the linux-x64 agent runs only on Linux x64, not darwin-x64');
    assert.equal(missing('linux-x64', { root, platform: 'linux', hostArch: 'arm64' }).message, 'the linux-x64 agent runs only on Linux x64, not linux-arm64');
  });

  it('win32-x64 runs node.exe under Wine\'s 64-bit loader on Linux, never through the 32-bit one', { skip: noWine }, () => {
    const root = devRoot('win32-x64');
    const dir = join(root, 'build', 'agents', 'win32-x64');
    const runtime = locateRuntime('win32-x64', { root, platform: 'linux' });
    assert.equal(runtime.command, wine64);
    assert.doesNotMatch(runtime.command, /\/wine$/, 'not the launcher that picks the 32-bit loader');
    assert.deepEqual(runtime.args, [join(dir, 'node.exe'), join(dir, 'agent.js')]);
    assert.equal(runtime.env.WINEPREFIX, join(root, 'build', 'wine-prefix'));
    assert.equal(runtime.env.WINEDEBUG, agentWineDebug());
    assert.deepEqual([runtime.wine?.command, runtime.wine?.version, runtime.wine?.prefix], [wine64, wineVersion(wine64!), join(root, 'build', 'wine-prefix')]);
    assert.deepEqual(runtime.execution, { kind: 'wine', wineVersion: wineVersion(wine64!) });
    assert.equal(runtime.startTimeoutMs, 30_000);
    assert.match(runtime.description, /^build\/agents\/win32-x64 under wine-\d/);
  });

  it('agents are quiet under Wine but for the stack-overflow errors; THUNK_AGENT_WINEDEBUG adds channels to them', () => {
    assert.equal(agentWineDebug({}), '-all,err+virtual');
    assert.equal(agentWineDebug({ THUNK_AGENT_WINEDEBUG: ' ' }), '-all,err+virtual');
    assert.equal(agentWineDebug({ THUNK_AGENT_WINEDEBUG: '+seh,+loaddll' }), '-all,err+virtual,+seh,+loaddll');
  });

  it('win32-ia32 runs node.exe under 32-bit Wine, saying how 32-bit code runs here', { skip: noWine32 }, () => {
    const root = devRoot('win32-ia32');
    const dir = join(root, 'build', 'agents', 'win32-ia32');
    const emulated = ia32Support().via === 'emulator';
    if (emulated) touch(join(dir, 'wine-qemu', 'lib', 'i386-linux-gnu', 'libthunk-trapno.so'));
    const runtime = locateRuntime('win32-ia32', { root, platform: 'linux' });
    assert.equal(runtime.command, wine32);
    assert.deepEqual(runtime.args, [join(dir, 'node.exe'), join(dir, 'agent.js')]);
    assert.equal(runtime.execution.kind, emulated ? 'wine-emulated' : 'wine');
    assert.equal(runtime.startTimeoutMs, emulated ? 90_000 : 30_000);
    if (emulated) {
      // ld.so picks the library per process from the literal $LIB.
      assert.equal(runtime.env.LD_PRELOAD, join(dir, 'wine-qemu', '$LIB', 'libthunk-trapno.so'));
      assert.match(runtime.description, /^build\/agents\/win32-ia32 under wine-\S+.* with qemu-i386 \d+\.\d+(\.\d+)? emulating 32-bit x86$/);
    } else {
      assert.equal(runtime.env.LD_PRELOAD, undefined);
      assert.match(runtime.description, /^build\/agents\/win32-ia32 under wine-\d/);
    }
  });

  it('under emulation, a runtime without the fault fix is refused with the commands that build it', { skip: ia32Support().via === 'emulator' ? false : 'this machine runs 32-bit code without an emulator' }, () => {
    const root = devRoot('win32-ia32');
    const error = missing('win32-ia32', { root, platform: 'linux' });
    assert.match(error.message, /fault fix is not built/);
    assert.deepEqual(error.fix, ['sudo apt-get install gcc-multilib', 'npm run stage:agents']);
  });

  it('the start deadline can be configured', { skip: noWine }, () => {
    const root = devRoot('win32-x64');
    assert.equal(locateRuntime('win32-x64', { root, platform: 'linux', startTimeoutMs: 1234 }).startTimeoutMs, 1234);
    assert.equal(locateRuntime('linux-x64', { ...linuxHost, root: devRoot('linux-x64') }).startTimeoutMs, 10_000);
  });

  it('a Wine prefix can be chosen', { skip: noWine }, () => {
    const root = devRoot('win32-x64');
    const prefix = join(root, 'my-prefix');
    const runtime = locateRuntime('win32-x64', { root, platform: 'linux', winePrefix: prefix });
    assert.equal(runtime.env.WINEPREFIX, prefix);
    assert.equal(runtime.wine?.prefix, prefix);
  });

  it('without Wine, the message names the command that failed and what to install', () => {
    const root = devRoot('win32-ia32');
    stage(join(root, 'build', 'agents', 'win32-x64'), 'win32-x64');
    const options = { root, platform: 'linux', wineCommand: '/nonexistent/wine' } as const;
    assert.equal(missing('win32-ia32', options).message, 'Wine is not installed (no /nonexistent/wine); to fix: sudo apt-get install wine wine64 wine32:i386');
    assert.equal(missing('win32-x64', options).message, 'Wine is not installed (no /nonexistent/wine); to fix: sudo apt-get install wine wine64');
  });

  it('under Wine, even the 64-bit runtime needs its node.exe, and the message names it', () => {
    const root = devRoot('win32-x64', { nodeExe: false });
    const error = missing('win32-x64', { root, platform: 'linux', electronExecPath: fakeElectron });
    assert.equal(error.message, 'build/agents/win32-x64/node.exe not found: run `npm run stage:agents`');
  });

  it('every missing file is named, not only the first', () => {
    const root = devRoot('win32-ia32', { nodeExe: false, agentJs: false });
    const error = missing('win32-ia32', { root, platform: 'linux' });
    assert.equal(error.message, 'build/agents/win32-ia32/node.exe, build/agents/win32-ia32/agent.js not found: run `npm run stage:agents`');
  });

  it('on Windows, win32-ia32 runs its node.exe directly', () => {
    const root = devRoot('win32-ia32');
    const dir = join(root, 'build', 'agents', 'win32-ia32');
    const runtime = locateRuntime('win32-ia32', { root, ...windowsHost });
    assert.equal(runtime.command, join(dir, 'node.exe'));
    assert.deepEqual(runtime.args, [join(dir, 'agent.js')]);
    assert.equal(runtime.wine, null);
    assert.equal(runtime.env.WINEPREFIX, undefined);
    assert.equal(runtime.description, 'build/agents/win32-ia32');
  });

  it('on Windows, win32-x64 runs its staged node.exe directly', () => {
    const root = devRoot('win32-x64');
    const runtime = locateRuntime('win32-x64', { root, ...windowsHost });
    assert.equal(runtime.command, join(root, 'build', 'agents', 'win32-x64', 'node.exe'));
    assert.equal(runtime.description, 'build/agents/win32-x64');
  });

  it('on 32-bit Windows, the 64-bit agent is refused', () => {
    const root = devRoot('win32-x64');
    assert.equal(missing('win32-x64', { root, platform: 'win32', hostArch: 'ia32' }).message, 'a 64-bit agent needs 64-bit Windows');
  });

  it('on Windows, win32-ia32 without node.exe names it (no stand-in node runs 32-bit)', () => {
    const root = devRoot('win32-ia32', { nodeExe: false });
    const error = missing('win32-ia32', { root, ...windowsHost, electronExecPath: fakeElectron });
    assert.equal(error.message, 'build/agents/win32-ia32/node.exe not found: run `npm run stage:agents`');
  });
});

describe('packaged layout (<resourcesPath>/agents/<arch>)', () => {
  it('the packaged folder is used, not the development one', () => {
    const { resourcesPath, dir } = packaged('win32-ia32');
    const root = devRoot('win32-ia32');
    const runtime = locateRuntime('win32-ia32', { root, resourcesPath, ...windowsHost });
    assert.equal(runtime.command, join(dir, 'node.exe'));
    assert.deepEqual(runtime.args, [join(dir, 'agent.js')]);
    assert.equal(runtime.description, 'resources/agents/win32-ia32');
  });

  it('a packaged folder that lacks the runtime is reported, even when a development one exists', () => {
    const resourcesPath = tempDir('resources-empty');
    const root = devRoot('win32-ia32');
    const error = missing('win32-ia32', { root, resourcesPath, ...windowsHost });
    const dir = join(resourcesPath, 'agents', 'win32-ia32');
    assert.equal(error.message, `${dir} not found: the app was packaged without it (run \`npm run stage:agents\` before electron-builder)`);
  });

  it('a packaged folder names each missing file by its full path', () => {
    const { root, resourcesPath, dir } = packaged('win32-ia32', { koffiNative: false });
    const error = missing('win32-ia32', { root, resourcesPath, ...windowsHost });
    assert.equal(error.message, `${nativeModule(dir, 'win32-ia32')} not found: the app was packaged without it (run \`npm run stage:agents\` before electron-builder)`);
  });

  it('a packaged app is not offered the tsx source fallback', () => {
    const root = tempDir('dev-source');
    touch(join(root, 'src-agent32', 'agent.ts'));
    const resourcesPath = tempDir('resources-empty');
    const error = missing('linux-x64', { root, resourcesPath, ...linuxHost, allowSource: true });
    assert.equal(error.message, `${join(resourcesPath, 'agents', 'linux-x64')} not found: the app was packaged without it (run \`npm run stage:agents\` before electron-builder)`);
  });

  it('linux-x64 in a packaged app runs Electron as Node when the staged node-path.txt names a node that is gone', () => {
    const { root, resourcesPath, dir } = packaged('linux-x64');
    writeFileSync(join(dir, 'node-path.txt'), '/build-machine/bin/node\n');
    const runtime = locateRuntime('linux-x64', { root, resourcesPath, ...linuxHost, electronExecPath: '/opt/Thunk/thunk' });
    assert.equal(runtime.command, '/opt/Thunk/thunk');
    assert.equal(runtime.env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(runtime.description, 'resources/agents/linux-x64 (Electron as Node)');
  });

  it('the packaged Windows runtimes run under Wine on Linux', { skip: noWine }, () => {
    const { root, resourcesPath, dir } = packaged('win32-x64');
    const runtime = locateRuntime('win32-x64', { root, resourcesPath, platform: 'linux' });
    assert.deepEqual(runtime.args, [join(dir, 'node.exe'), join(dir, 'agent.js')]);
    assert.match(runtime.description, /^resources\/agents\/win32-x64 under wine-\d/);
  });
});

describe('Electron as Node for win32-x64 on 64-bit Windows', () => {
  it('a packaged win32-x64 folder without node.exe runs Electron as Node', () => {
    const { root, resourcesPath, dir } = packaged('win32-x64', { nodeExe: false });
    const runtime = locateRuntime('win32-x64', { root, resourcesPath, ...windowsHost, electronExecPath: fakeElectron });
    assert.equal(runtime.command, fakeElectron);
    assert.deepEqual(runtime.args, [join(dir, 'agent.js')]);
    assert.equal(runtime.env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(runtime.dir, dir);
    assert.equal(runtime.wine, null);
    assert.equal(runtime.description, 'resources/agents/win32-x64 (Electron as Node)');
  });

  it('a staged node.exe wins over Electron', () => {
    const { root, resourcesPath, dir } = packaged('win32-x64');
    const runtime = locateRuntime('win32-x64', { root, resourcesPath, ...windowsHost, electronExecPath: fakeElectron });
    assert.equal(runtime.command, join(dir, 'node.exe'));
    assert.equal(runtime.env.ELECTRON_RUN_AS_NODE, undefined);
    assert.equal(runtime.description, 'resources/agents/win32-x64');
  });

  it("outside Electron, the host's Node stands in for a missing node.exe", { skip: process.versions.electron ? 'this test runs under Electron' : false }, () => {
    const root = devRoot('win32-x64', { nodeExe: false });
    const runtime = locateRuntime('win32-x64', { root, ...windowsHost });
    assert.equal(runtime.command, process.execPath);
    assert.equal(runtime.env.ELECTRON_RUN_AS_NODE, undefined);
    assert.equal(runtime.description, `build/agents/win32-x64 (node ${process.version}, host)`);
  });

  it("Electron as Node still needs agent.js and koffi's native module, and names them", () => {
    const { root, resourcesPath, dir } = packaged('win32-x64', { nodeExe: false, agentJs: false, koffiNative: false });
    const error = missing('win32-x64', { root, resourcesPath, ...windowsHost, electronExecPath: fakeElectron });
    assert.equal(error.message, `${join(dir, 'agent.js')}, ${nativeModule(dir, 'win32-x64')} not found: the app was packaged without it (run \`npm run stage:agents\` before electron-builder)`);
    assert.doesNotMatch(error.message, /node\.exe/);
  });

  it('on arm64 Windows Electron cannot load the x64 koffi, so node.exe is required', () => {
    const { root, resourcesPath, dir } = packaged('win32-x64', { nodeExe: false });
    const error = missing('win32-x64', { root, resourcesPath, platform: 'win32', hostArch: 'arm64', electronExecPath: fakeElectron });
    assert.equal(error.message, `${join(dir, 'node.exe')} not found: the app was packaged without it (run \`npm run stage:agents\` before electron-builder)`);
  });
});

describe('process.resourcesPath', () => {
  const host = process as { resourcesPath?: string; defaultApp?: boolean };

  function withElectronGlobals(values: { resourcesPath: string; defaultApp?: boolean }, body: () => void): void {
    assert.equal(host.resourcesPath, undefined, 'the test runner is not Electron');
    Object.assign(host, values);
    try {
      body();
    } finally {
      delete host.resourcesPath;
      delete host.defaultApp;
    }
  }

  it('in a packaged app, process.resourcesPath locates the agents', () => {
    const { root, resourcesPath, dir } = packaged('win32-ia32');
    withElectronGlobals({ resourcesPath }, () => {
      assert.equal(locateRuntime('win32-ia32', { root, ...windowsHost }).command, join(dir, 'node.exe'));
    });
  });

  it('an unpackaged Electron run (process.defaultApp) ignores resourcesPath and uses build/agents', () => {
    const { resourcesPath } = packaged('win32-ia32');
    const root = devRoot('win32-ia32');
    withElectronGlobals({ resourcesPath, defaultApp: true }, () => {
      assert.equal(locateRuntime('win32-ia32', { root, ...windowsHost }).command, join(root, 'build', 'agents', 'win32-ia32', 'node.exe'));
    });
  });
});

describe('archForFile', () => {
  it('an x86 DLL needs the 32-bit agent unless x64 is forced', () => {
    const dll = fixturePath('calling-conventions', 'x86');
    assert.equal(archForFile(dll), 'win32-ia32');
    assert.equal(archForFile(dll, 'x64'), 'win32-x64');
  });

  it('an x64 DLL needs the 64-bit agent unless x86 is forced', () => {
    const dll = fixturePath('calling-conventions', 'x64');
    assert.equal(archForFile(dll), 'win32-x64');
    assert.equal(archForFile(dll, 'x86'), 'win32-ia32');
  });

  it('a file that is not a PE image is refused with NotPeError', () => {
    const text = touch(join(tempDir('not-pe'), 'readme.dll'), 'just text, not a DLL\n');
    assert.throws(() => archForFile(text), (error: unknown) => error instanceof NotPeError && error.path === text && /not a Windows DLL$/.test(error.message));
  });

  const elf = join(projectRoot(), 'node_modules', '@koromix', 'koffi-linux-x64', 'linux_x64', 'koffi.node');
  it('an x86-64 ELF shared object needs the Linux agent, on Linux only', { skip: existsSync(elf) ? false : `${elf} is absent (koffi's linux-x64 package installs only on linux-x64)` }, () => {
    assert.equal(archForFile(elf, 'auto', 'linux'), 'linux-x64');
    assert.throws(() => archForFile(elf, 'auto', 'win32'), /only a Linux host can load/);
    assert.throws(() => archForFile(elf, 'x86', 'linux'), /cannot run in a 32-bit agent/);
  });
});
