// Runs the staged Windows agents under Wine, located as the supervisor locates them, or says why it cannot.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { locateRuntime } from '../../src-main/node-services/agent/runtime-locator.ts';
import { START_RETRY_PAUSES_MS } from '../../src-main/node-services/agent/supervisor-options.ts';
import { agentSources, runtimeSkip, stagedRuntimeSkip } from '../../src-main/node-services/agent/test-support.ts';
import { recordRuntimeUse } from '../../src-main/node-services/agent/runtime-ledger.ts';
import { AgentHarness } from './agent-harness.ts';
import { type WindowsArch, mingwCompiler } from './dll-fixtures.ts';

/** Null when the agent of this architecture can run under Wine here, else the reason it cannot (failing where required). */
export function wineSkipReason(arch: WindowsArch): string | null {
  return runtimeSkip(`win32-${arch}`, wineUnavailable(arch)) || null;
}

function wineUnavailable(arch: WindowsArch): string | null {
  if (process.platform !== 'linux') return 'the Wine suite runs on Linux only';
  const missing = stagedRuntimeSkip(`win32-${arch}`);
  if (missing) return missing;
  const { dir, wine } = locateRuntime(`win32-${arch}`);
  if (!existsSync(join(wine!.prefix, 'system.reg'))) return `no Wine prefix at ${wine!.prefix} (run node --import tsx scripts/prepare-wine-prefix.ts)`;
  if (statSync(join(dir, 'agent.js')).mtimeMs < newestSource()) {
    return `the staged agent in ${dir} is older than src-agent32: run npm run stage:agents`;
  }
  if (!mingwCompiler(arch)) return `no MinGW compiler for ${arch} (gcc-mingw-w64)`;
  return null;
}

function newestSource(): number {
  return Math.max(0, ...agentSources().filter((file) => !file.endsWith('.test.ts')).map((file) => statSync(file).mtimeMs));
}

/** `env` is added to the agent's environment (Wine passes it on to the Windows process). */
export function spawnWineAgent(arch: WindowsArch, env: Record<string, string> = {}): AgentHarness {
  const runtime = locateRuntime(`win32-${arch}`);
  const harness = new AgentHarness(runtime.command, runtime.args, { ...process.env, ...runtime.env, ...env });
  harness.startTimeoutMs = runtime.startTimeoutMs;
  harness.handshake().then(() => recordRuntimeUse({ kind: 'agent-start', arch: runtime.arch, how: runtime.description }), () => undefined);
  return harness;
}

/**
 * A Windows agent that has sent its handshake. One that dies before it is started again after the
 * supervisor's pauses (seen: Wine x64's node.exe now and then stops on a breakpoint while starting);
 * the last start is returned as it is.
 */
export async function startedWineAgent(arch: WindowsArch, env: Record<string, string> = {}): Promise<AgentHarness> {
  const pause = (ms: number): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, ms));
  for (const ms of [0, ...START_RETRY_PAUSES_MS.slice(0, -1)]) {
    await pause(ms);
    const agent = spawnWineAgent(arch, env);
    if (await Promise.race([agent.handshake().then(() => true), agent.exited.then(() => false)])) return agent;
  }
  await pause(START_RETRY_PAUSES_MS.at(-1) ?? 0);
  return spawnWineAgent(arch, env);
}
