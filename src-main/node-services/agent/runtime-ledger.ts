// Where the test runner learns which agent runtimes really ran and how: with THUNK_RUNTIME_LEDGER
// set to a folder, each agent start (and each test that declares the runtime it exercises) is
// appended there as one JSON line. Unset, as for users, it does nothing.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LedgerEntry {
  kind: 'agent-start' | 'test';
  arch: string;
  /** How it ran, e.g. "build/agents/win32-ia32 under wine-8.0 with qemu-i386 10.0.2 emulating 32-bit x86". */
  how?: string;
  test?: string;
}

/** Appends one entry when THUNK_RUNTIME_LEDGER names a folder; never throws. */
export function recordRuntimeUse(entry: LedgerEntry): void {
  const folder = process.env.THUNK_RUNTIME_LEDGER;
  if (!folder) return;
  try {
    appendFileSync(join(folder, `${process.pid}.jsonl`), `${JSON.stringify({ ...entry, file: process.argv[1] ?? null })}\n`);
  } catch {
    // A missing ledger folder must not break an agent start.
  }
}
