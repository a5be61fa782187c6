// Finds what running the staged Windows agents under Wine needs, or says why it cannot.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AgentHarness } from './agent-harness.ts';
import { type WindowsArch, mingwCompiler } from './dll-fixtures.ts';

const root = resolve(import.meta.dirname, '../..');
// The same prefix the supervisor uses (src-main/agent/runtime-locator.ts); scripts/setup.sh creates it.
export const WINE_PREFIX = join(root, 'build/wine-prefix');

export function agentDir(arch: WindowsArch): string {
  return join(root, 'build/agents', `win32-${arch}`);
}

function hasWine(): boolean {
  try {
    execFileSync('wine', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Null when the agent of this architecture can run under Wine here, else the reason it cannot. */
export function wineSkipReason(arch: WindowsArch): string | null {
  if (process.platform !== 'linux') return 'the Wine suite runs on Linux only';
  if (!hasWine()) return 'wine is not installed (scripts/install-debian-packages.sh)';
  if (!existsSync(join(WINE_PREFIX, 'system.reg'))) return `no Wine prefix at ${WINE_PREFIX} (run node --import tsx scripts/prepare-wine-prefix.ts)`;
  if (!existsSync(join(agentDir(arch), 'node.exe')) || !existsSync(join(agentDir(arch), 'agent.js'))) {
    return `no staged runtime in ${agentDir(arch)}: run npm run stage:agents`;
  }
  if (statSync(join(agentDir(arch), 'agent.js')).mtimeMs < newestSource(join(root, 'src-agent32'))) {
    return `the staged agent in ${agentDir(arch)} is older than src-agent32: run npm run stage:agents`;
  }
  if (!mingwCompiler(arch)) return `no MinGW compiler for ${arch} (gcc-mingw-w64)`;
  return null;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

export function spawnWineAgent(arch: WindowsArch): AgentHarness {
  const env = { ...process.env, WINEPREFIX: WINE_PREFIX, WINEDEBUG: '-all', NODE_SKIP_PLATFORM_CHECK: '1' };
  return new AgentHarness('wine', [join(agentDir(arch), 'node.exe'), join(agentDir(arch), 'agent.js')], env);
}
