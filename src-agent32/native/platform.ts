// What the agent needs from the OS, implemented for POSIX (dlopen) and Windows (kernel32).
import type { LibraryHandle } from 'koffi';
import type { AgentErrorCode, LoadResult, ModuleInfo, OsError, TrustResult } from '../protocol/messages.ts';

export class AgentFailure extends Error {
  constructor(
    readonly code: AgentErrorCode,
    readonly errorName: string,
    message: string,
    readonly osCode?: number,
    readonly advice?: string,
  ) {
    super(message);
  }
}

export interface LoadedLibrary {
  result: Omit<LoadResult, 'handle'>;
  native: unknown;
}

export interface ResolvedSymbol {
  name: string;
  address: bigint;
}

/** Where the redirected standard output/error end up; the worker reads `reader`. */
export interface CapturePipe {
  reader: { kind: 'fd'; fd: number; libc: string } | { kind: 'handle'; handle: string };
  writeSentinel(bytes: Buffer): void;
}

export interface Platform {
  readonly arch: string;
  /** Waits until the descriptor has input (or end of stream); absent where descriptors cannot be polled. */
  waitReadable?(fd: number, timeoutMs: number): boolean;
  /** Writes protocol bytes to the private duplicate of the original stdout. */
  writeOut(bytes: Buffer): number;
  load(path: string, flags: number | undefined, searchDirs: string[]): LoadedLibrary;
  unload(native: unknown): void;
  /** Windows' own verdict on a file's signature (WinVerifyTrust); absent off Windows. */
  verifyTrust?(path: string): TrustResult;
  modules(): ModuleInfo[];
  resolve(native: unknown, candidates: (string | number)[]): ResolvedSymbol | null;
  /** koffi's own handle on a loaded library, for functions koffi can only bind by name. */
  koffiLibrary(native: unknown): LibraryHandle;
  clearLastError(): void;
  lastError(): OsError | null;
  /** Moves the process's stdout/stderr (and C runtime descriptors) onto fresh pipes. */
  redirectStdio(): { stdout: CapturePipe; stderr: CapturePipe };
  /** Whether the capture pipes hold unread bytes (one poll for both); absent where that cannot be asked. */
  captureHasUnread?(): boolean;
  /**
   * Makes `handler` (a native `void __cdecl (int)`) the SIGABRT handler of every C runtime loaded
   * now or later. Absent where abort() already ends the process with a signal of its own (POSIX).
   */
  setAbortHandler?(handler: bigint): void;
  /** Flushes C runtime buffers so a call's output is in the pipes before its response. */
  flushCrt(): void;
  /** Ends the process at once: the drain workers sit in blocking reads that process.exit would wait for. */
  exit(code: number): never;
}

export function hexAddress(value: bigint | number): string {
  return `0x${BigInt(value).toString(16)}`;
}
