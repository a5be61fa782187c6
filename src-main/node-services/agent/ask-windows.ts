// Asks Windows itself (WinVerifyTrust and the system catalogs) about files' signatures, through a
// Windows agent: the 64-bit one, as WinVerifyTrust judges a file of either bitness and the 64-bit
// agent starts 3-10 times faster than the 32-bit one under Wine with qemu; the 32-bit one only where
// no 64-bit runtime runs. Under Wine the answer is Wine's implementation of WinVerifyTrust, with
// Wine's (empty) catalog database: the answer says so.
import { resolve } from 'node:path';
import type { TrustResult } from '../../../src-agent32/protocol/messages.ts';
import { AgentProcess, describeExit } from '../../node-services/agent/agent-process.ts';
import { type AgentArch, type AgentRuntime, locateRuntime } from '../../node-services/agent/runtime-locator.ts';
import { ensureWinePrefix } from '../../node-services/agent/wine-prefix.ts';

/** Windows' answer for one file, or why there is none. */
export type WindowsTrustAnswer =
  | { kind: 'answered'; result: TrustResult; runtime: string; underWine: boolean }
  | { kind: 'failed'; message: string; runtime: string };

export const UNDER_WINE_NOTE = 'Windows\' own verdict under Wine is Wine\'s implementation, not Windows\': it checks the digest (a modified file fails) but not whether the chain ends in a trusted root, and Wine\'s catalog database is empty (its own DLLs are unsigned).';

const ASKING_ORDER: readonly AgentArch[] = ['win32-x64', 'win32-ia32'];

/** One agent kept for a batch of files; dispose() ends it. */
export class WindowsTrustAsker {
  private constructor(private readonly agent: AgentProcess, private readonly runtime: AgentRuntime) {}

  /** Starts the first Windows agent that runs here; throws an Error saying why none does. */
  static async start(): Promise<WindowsTrustAsker> {
    const reasons: string[] = [];
    for (const arch of ASKING_ORDER) {
      try {
        const runtime = locateRuntime(arch);
        if (runtime.wine) await ensureWinePrefix(runtime.wine);
        const { agent } = await startOnceMore(runtime);
        return new WindowsTrustAsker(agent, runtime);
      } catch (error) {
        reasons.push(`${arch}: ${(error as Error).message}`);
      }
    }
    throw new Error(`no Windows agent could start to ask WinVerifyTrust (${reasons.join('; ')}); \`thunk doctor\` says how to fix it`);
  }

  get underWine(): boolean {
    return this.runtime.wine !== null;
  }

  get description(): string {
    return this.runtime.description;
  }

  async ask(file: string): Promise<WindowsTrustAnswer> {
    const runtime = this.runtime.description;
    const reply = await this.agent.request('trust', { path: resolve(file) }).reply;
    if (reply.kind === 'ok') return { kind: 'answered', result: reply.result, runtime, underWine: this.underWine };
    if (reply.kind === 'error') return { kind: 'failed', message: reply.error.message, runtime };
    return { kind: 'failed', message: `the agent ended while asking: ${describeExit(reply.exit)}`, runtime };
  }

  async dispose(): Promise<void> {
    await this.agent.dispose(500);
  }
}

/** Starting is not a DLL call, so a start that died (Wine x64's rare breakpoint) is tried once more, as the supervisor does. */
async function startOnceMore(runtime: AgentRuntime): Promise<{ agent: AgentProcess }> {
  try {
    return await AgentProcess.start(runtime);
  } catch {
    return AgentProcess.start(runtime);
  }
}

/** Windows' verdict in one line: the answer that decides (the catalog's when one holds the file). */
export function windowsVerdictLine(answer: WindowsTrustAnswer): string {
  if (answer.kind === 'failed') return `not answered: ${answer.message}`;
  const { embedded, catalog, catalogSearch } = answer.result;
  // Wine 8.0 answers success for a chain Windows would reject (CERT_E_UNTRUSTEDROOT): never word that as trust.
  const words = (v: { name: string; message: string }): string => (answer.underWine && v.name === 'ERROR_SUCCESS'
    ? 'ERROR_SUCCESS: Wine accepts the signature (digest and signer match; Wine does not check the chain\'s root as Windows does)'
    : `${v.name}: ${v.message}`);
  if (catalog) return `${words(catalog.verdict)} (through catalog ${catalog.path})`;
  return embedded.name === 'TRUST_E_NOSIGNATURE' ? `${words(embedded)}; catalogs: ${catalogSearch}` : words(embedded);
}
