// Optional minidump of a crash: with THUNK_MINIDUMP_DIR set, dbghelp!MiniDumpWriteDump writes
// <dir>/thunk-<pid>-<code>.dmp from the exception handler, before the crash event goes out, so the
// file is complete when the host reads the event. dbghelp is loaded at start-up: loading a DLL from
// inside the handler could wait forever on a loader lock the faulting code holds.
import { posix, win32 } from 'node:path';
import { koffi } from '../native/koffi.ts';
import * as k from '../native/kernel32.ts';
import { toWindowsPath } from '../native/windows.ts';
import { WINDOWS_ERROR_NAMES } from '../native/windows-errors.ts';
import { POINTER_BYTES } from './memory.ts';

const GENERIC_WRITE = 0x40000000;
const CREATE_ALWAYS = 2;
const FILE_ATTRIBUTE_NORMAL = 0x80;
const MINIDUMP_NORMAL_WITH_THREAD_INFO = 0x1000;

export type MinidumpOutcome = { minidump: string } | { minidumpError: string };

type WriteDump = (process: unknown, pid: number, file: unknown, type: number, exception: Buffer, user: null, callback: null) => number;

export class MinidumpWriter {
  private constructor(
    private readonly hostDir: string,
    private readonly writeDump: WriteDump | null,
    private readonly loadError: string | null,
  ) {}

  /** A writer for the folder THUNK_MINIDUMP_DIR names, or null when the variable is unset. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): MinidumpWriter | null {
    const dir = env.THUNK_MINIDUMP_DIR;
    if (!dir) return null;
    try {
      const writeDump = koffi.load('dbghelp.dll').func(
        'int __stdcall MiniDumpWriteDump(void *process, uint32_t pid, void *file, uint32_t type, void *exception, void *user, void *callback)',
      ) as WriteDump;
      return new MinidumpWriter(dir, writeDump, null);
    } catch (error) {
      return new MinidumpWriter(dir, null, `dbghelp.dll: ${(error as Error).message}`);
    }
  }

  /** Writes the dump of the exception `pointers` (EXCEPTION_POINTERS of the current thread); never throws. */
  write(code: number, pointers: bigint): MinidumpOutcome {
    try {
      return this.tryWrite(code, pointers);
    } catch (error) {
      return { minidumpError: String((error as Error)?.message ?? error) };
    }
  }

  private tryWrite(code: number, pointers: bigint): MinidumpOutcome {
    if (!this.writeDump) return { minidumpError: this.loadError ?? 'MiniDumpWriteDump is not available' };
    const pid = k.GetCurrentProcessId() as number;
    const name = `thunk-${pid}-${(code >>> 0).toString(16).padStart(8, '0')}.dmp`;
    const hostPath = this.hostDir.startsWith('/') ? posix.join(this.hostDir, name) : win32.join(this.hostDir, name);
    const path = toWindowsPath(hostPath);
    const file = k.CreateFileW(path, GENERIC_WRITE, 0, null, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, null);
    if (!file || BigInt(file as bigint) === k.INVALID_HANDLE_VALUE) return { minidumpError: `CreateFileW ${path}: ${lastErrorText()}` };
    let written = false;
    try {
      written = this.writeDump(k.GetCurrentProcess(), pid, file, MINIDUMP_NORMAL_WITH_THREAD_INFO, exceptionInformation(pointers), null, null) !== 0;
      if (!written) return { minidumpError: `MiniDumpWriteDump ${path}: ${lastErrorText()}` };
      return { minidump: hostPath };
    } finally {
      k.CloseHandle(file);
      if (!written) k.DeleteFileW(path);
    }
  }
}

// MINIDUMP_EXCEPTION_INFORMATION is declared under pack(4): the pointer follows the thread id directly.
function exceptionInformation(pointers: bigint): Buffer {
  const info = Buffer.alloc(4 + POINTER_BYTES + 4);
  info.writeUInt32LE(k.GetCurrentThreadId() as number, 0);
  if (POINTER_BYTES === 8) info.writeBigUInt64LE(pointers, 4);
  else info.writeUInt32LE(Number(pointers), 4);
  // ClientPointers FALSE: the pointers are in this process.
  info.writeUInt32LE(0, 4 + POINTER_BYTES);
  return info;
}

// MiniDumpWriteDump reports HRESULT_FROM_WIN32 codes; CreateFileW plain Win32 ones.
function lastErrorText(): string {
  const raw = (k.GetLastError() as number) >>> 0;
  const code = (raw & 0xffff0000) === 0x80070000 ? raw & 0xffff : raw;
  return `${WINDOWS_ERROR_NAMES[code] ?? 'error'} (0x${raw.toString(16)})`;
}
