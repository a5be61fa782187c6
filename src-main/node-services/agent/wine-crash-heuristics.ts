// Where Wine says a crash happened when the agent could not report it itself.
import type { CrashEvent } from '../../../src-agent32/protocol/messages.ts';
import { type AgentExit, WINE_STACK_OVERFLOW } from './agent-process.ts';
import { crashReport } from './outcome.ts';

/** A loaded module's address range, from the agent's load replies. */
export interface ModuleRange {
  path: string;
  base: bigint;
  size: number;
}

/**
 * Wine's "Unhandled page fault on write access to 00000010 at address 6B50156A", or its stack
 * overflow line ("virtual_setup_exception stack overflow 5712 bytes addr 0x6b501560 ..."), placed in a module.
 */
export function crashFromWineStderr(exit: AgentExit, ranges: ModuleRange[]): CrashEvent | null {
  const overflow = WINE_STACK_OVERFLOW.exec(exit.stderrTail);
  const fault = overflow ? null : /Unhandled (.+?) at address ([0-9A-Fa-f]+)/.exec(exit.stderrTail);
  const hexAddress = overflow?.[1] ?? fault?.[2];
  if (!hexAddress) return null;
  const address = BigInt(`0x${hexAddress}`);
  const access = fault ? /(read|write|execute) access to ([0-9A-Fa-f]+)/.exec(fault[1]!) : null;
  const range = ranges.find((r) => address >= r.base && address < r.base + BigInt(r.size));
  const module = range ? range.path.split(/[\\/]/).pop()! : null;
  const offset = range ? Number(address - range.base) : null;
  const frame = { address: `0x${address.toString(16)}`, module, offset, symbol: null };
  const report = crashReport(exit);
  return {
    type: 'event', event: 'crash', callId: null, code: report.code ?? exit.code ?? 0, name: report.name, address: frame.address, module, offset, symbol: null,
    ...(access ? { accessKind: access[1] as 'read' | 'write' | 'execute', accessAddress: `0x${BigInt(`0x${access[2]}`).toString(16)}` } : {}),
    registers: {}, frames: [frame], jsStack: '',
  };
}
