// Windows side: the real loader verdict from LoadLibraryExW + GetLastError, module lists from
// EnumProcessModules, stdio moved onto pipes at both the handle and the C runtime level.
import fs from 'node:fs';
import type { LibraryHandle } from 'koffi';
import { koffi } from './koffi.ts';
import type { ModuleInfo, OsError, TrustResult } from '../protocol/messages.ts';
import { WINDOWS_ERROR_NAMES } from './windows-errors.ts';
import * as k from './kernel32.ts';
import { verifyTrust } from './wintrust.ts';
import { AgentFailure, type CapturePipe, type LoadedLibrary, type Platform, type ResolvedSymbol, hexAddress } from './platform.ts';

const LOAD_WITH_ALTERED_SEARCH_PATH = 0x8;
const SEARCH_DLL_LOAD_DIR_USER_DEFAULT = 0x100 | 0x400 | 0x1000;
const PTR = koffi.sizeof('void *');
const CRTS = ['msvcrt.dll', 'ucrtbase.dll'];

interface CrtFns {
  openOsfhandle: (h: unknown, flags: number) => number;
  dup2: (a: number, b: number) => number;
  getOsfhandle: (fd: number) => bigint | number;
  fflush: (f: unknown) => number;
  signal: (sig: number, handler: bigint) => unknown;
  abortHooked: boolean;
}

const SIGABRT = 22;
const O_TEXT = 0x4000;

export class WindowsPlatform implements Platform {
  readonly arch = process.arch;
  private out: unknown = null;
  private pipes: { stdout: bigint; stderr: bigint } | null = null;
  private readonly crts = new Map<string, CrtFns>();
  private lastCode = 0;
  private readonly koffiLibs = new Map<bigint, LibraryHandle>();
  private abortHandler: bigint | null = null;

  writeOut(bytes: Buffer): number {
    if (this.out === null) return fs.writeSync(1, bytes);
    const written = [0];
    if (!k.WriteFile(this.out, bytes, bytes.length, written, null)) throw new Error(`WriteFile failed: ${k.GetLastError()}`);
    return written[0];
  }

  load(path: string, flags: number | undefined, searchDirs: string[]): LoadedLibrary {
    const winPath = toWindowsPath(path);
    if (/[\\/]/.test(winPath) && !fs.existsSync(winPath)) throw new AgentFailure('path-missing', 'ERROR_FILE_NOT_FOUND', `no such file: ${winPath}`, 2);
    for (const dir of searchDirs) k.AddDllDirectory(toWindowsPath(dir));
    const effective = flags ?? (searchDirs.length > 0 ? SEARCH_DLL_LOAD_DIR_USER_DEFAULT : LOAD_WITH_ALTERED_SEARCH_PATH);
    const before = new Map(this.modules().map((m) => [m.base, m]));
    k.SetLastError(0);
    const module = k.LoadLibraryExW(winPath, null, effective) as bigint | null;
    const code = k.GetLastError() as number;
    if (!module) throw loadFailure(winPath, code);
    this.patchCrts();
    const base = hexAddress(module);
    const newModules = this.modules().filter((m) => !before.has(m.base));
    return { native: module, result: { base, path: k.moduleFileName(module), alreadyLoaded: before.has(base), newModules } };
  }

  verifyTrust(path: string): TrustResult {
    const winPath = toWindowsPath(path);
    if (!fs.existsSync(winPath)) throw new AgentFailure('path-missing', 'ERROR_FILE_NOT_FOUND', `no such file: ${winPath}`, 2);
    return verifyTrust(winPath);
  }

  unload(native: unknown): void {
    this.koffiLibs.get(native as bigint)?.unload();
    this.koffiLibs.delete(native as bigint);
    if (!k.FreeLibrary(native)) throw new AgentFailure('internal', 'FreeLibrary', k.formatMessage(k.GetLastError() as number));
  }

  modules(): ModuleInfo[] {
    const process = k.GetCurrentProcess();
    const buf = Buffer.alloc(PTR * 4096);
    const needed = [0];
    if (!k.EnumProcessModules(process, buf, buf.length, needed)) return [];
    const count = Math.min(needed[0], buf.length) / PTR;
    const info = Buffer.alloc(PTR * 3);
    const out: ModuleInfo[] = [];
    for (let i = 0; i < count; i++) {
      const h = PTR === 8 ? buf.readBigUInt64LE(i * 8) : BigInt(buf.readUInt32LE(i * 4));
      const size = k.GetModuleInformation(process, h, info, info.length) ? info.readUInt32LE(PTR) : null;
      out.push({ path: k.moduleFileName(h), base: hexAddress(h), size });
    }
    return out;
  }

  resolve(native: unknown, candidates: (string | number)[]): ResolvedSymbol | null {
    for (const c of candidates) {
      const address = (typeof c === 'number' ? k.GetProcAddressByOrdinal(native, c) : k.GetProcAddressByName(native, c)) as bigint | null;
      if (address) return { name: typeof c === 'number' ? `#${c}` : c, address };
    }
    return null;
  }

  /** The DLL is already mapped, so koffi's LoadLibrary of the same path only takes a reference. */
  koffiLibrary(native: unknown): LibraryHandle {
    const module = native as bigint;
    let lib = this.koffiLibs.get(module);
    if (!lib) {
      lib = koffi.load(k.moduleFileName(module));
      this.koffiLibs.set(module, lib);
    }
    return lib;
  }

  clearLastError(): void {
    k.SetLastError(0);
    koffi.errno(0);
  }

  /** Must be the first native call after the call under test. */
  captureLastError(): void {
    this.lastCode = k.GetLastError() as number;
  }

  lastError(): OsError {
    const code = this.lastCode;
    return { code, name: WINDOWS_ERROR_NAMES[code] ?? null, message: code === 0 ? 'The operation completed successfully.' : k.formatMessage(code) };
  }

  redirectStdio(): { stdout: CapturePipe; stderr: CapturePipe } {
    const self = k.GetCurrentProcess();
    const dup = [null];
    if (k.DuplicateHandle(self, k.GetStdHandle(k.STD_OUTPUT_HANDLE), self, dup, 0, 0, 2)) this.out = dup[0];
    const stdout = makePipe(k.STD_OUTPUT_HANDLE);
    const stderr = makePipe(k.STD_ERROR_HANDLE);
    this.pipes = { stdout: stdout.write, stderr: stderr.write };
    this.patchCrts();
    return { stdout: stdout.pipe, stderr: stderr.pipe };
  }

  exit(code: number): never {
    k.TerminateProcess(k.GetCurrentProcess(), code);
    throw new Error('TerminateProcess returned');
  }

  flushCrt(): void {
    for (const crt of this.crts.values()) crt.fflush(null);
  }

  setAbortHandler(handler: bigint): void {
    this.abortHandler = handler;
    this.patchCrts();
  }

  /**
   * Points fds 1 and 2 of every loaded C runtime at the pipes (a CRT reads its handles once) and
   * gives it the abort handler (each CRT keeps its own signal table).
   */
  private patchCrts(): void {
    for (const name of CRTS) {
      const crt = this.crtFns(name);
      if (!crt) continue;
      if (this.abortHandler !== null && !crt.abortHooked) {
        crt.signal(SIGABRT, this.abortHandler);
        crt.abortHooked = true;
      }
      if (!this.pipes) continue;
      for (const [fd, handle] of [[1, this.pipes.stdout], [2, this.pipes.stderr]] as const) {
        if (BigInt(crt.getOsfhandle(fd)) === handle) continue;
        // Text mode, as a C runtime opens a redirected stdout at start-up: wide output (wprintf,
        // assert's message) is converted to the code page instead of written as UTF-16.
        const dupFd = crt.openOsfhandle(handle, O_TEXT);
        if (dupFd >= 0) crt.dup2(dupFd, fd);
      }
    }
  }

  private crtFns(name: string): CrtFns | null {
    const cached = this.crts.get(name);
    if (cached) return cached;
    if (!k.GetModuleHandleW(name)) return null;
    const lib = koffi.load(name);
    const fns: CrtFns = {
      openOsfhandle: lib.func('int _open_osfhandle(intptr_t h, int flags)'),
      dup2: lib.func('int _dup2(int a, int b)'),
      getOsfhandle: lib.func('intptr_t _get_osfhandle(int fd)'),
      fflush: lib.func('int fflush(void *f)'),
      signal: lib.func('uintptr_t signal(int sig, uintptr_t handler)'),
      abortHooked: false,
    };
    this.crts.set(name, fns);
    return fns;
  }
}

function makePipe(which: number): { pipe: CapturePipe; write: bigint } {
  const r = [null];
  const w = [null];
  if (!k.CreatePipe(r, w, null, 1 << 16)) throw new Error(`CreatePipe failed: ${k.GetLastError()}`);
  k.SetStdHandle(which, w[0]);
  const write = BigInt(w[0] as unknown as bigint);
  const writeSentinel = (bytes: Buffer) => void k.WriteFile(w[0], bytes, bytes.length, [0], null);
  return { pipe: { reader: { kind: 'handle', handle: String(r[0]) }, writeSentinel }, write };
}

export function toWindowsPath(path: string): string {
  return path.startsWith('/') ? `Z:${path.replace(/\//g, '\\')}` : path;
}

const LOAD_ADVICE: Record<number, string> = {
  // The loader catches an exception in the DLL's start-up code and fails the load with the status
  // as an error code: STATUS_ACCESS_VIOLATION becomes ERROR_NOACCESS.
  998: "the DLL's initialisation (DllMain, a TLS callback or a C++ static constructor) faulted with an access violation and the loader refused the DLL; where it faulted is reported with this error",
  1114: "the DLL's DllMain returned FALSE on process attach: it refused to initialise (often a missing file, setting or licence it checks for)",
};

function loadFailure(path: string, code: number): AgentFailure {
  const name = WINDOWS_ERROR_NAMES[code] ?? `WIN32_ERROR_${code}`;
  const text = k.formatMessage(code);
  // Messages like 193's carry a %1 insert for the file name (FormatMessage ignores inserts here).
  const message = text.includes('%1') ? text.replace('%1', path) : `${text} (${path})`;
  if (code === 193 && isOtherBitness(path)) {
    const other = process.arch === 'ia32' ? '64-bit (win32-x64)' : '32-bit (win32-ia32)';
    return new AgentFailure('wrong-bitness', name, message, code, `the DLL is built for the other architecture: use the ${other} agent`);
  }
  return new AgentFailure('load-failed', name, message, code, LOAD_ADVICE[code]);
}

function isOtherBitness(path: string): boolean {
  try {
    const fd = fs.openSync(path, 'r');
    const head = Buffer.alloc(4096);
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const machine = head.readUInt16LE(head.readUInt32LE(0x3c) + 4);
    return process.arch === 'ia32' ? machine !== 0x14c : machine === 0x14c;
  } catch {
    return false;
  }
}
