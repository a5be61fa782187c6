// POSIX side: dlopen through koffi, /proc/self/maps for modules, pipes and dup2 for stdio.
import fs from 'node:fs';
import { koffi } from './koffi.ts';
import type { LibraryHandle } from 'koffi';
import type { ModuleInfo } from '../protocol/messages.ts';
import { AgentFailure, type CapturePipe, type LoadedLibrary, type Platform, type ResolvedSymbol, hexAddress } from './platform.ts';

const LIBC = process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6';
const libc = koffi.load(LIBC);
const pipe = libc.func('int pipe(void *fds)');
const dup = libc.func('int dup(int fd)');
const dup2 = libc.func('int dup2(int from, int to)');
const fflush = libc.func('int fflush(void *stream)');
const POLLIN = 1;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
const exitNow = libc.func('void _exit(int code)');
const poll = libc.func('int poll(void *fds, unsigned long count, int timeout)');

export class PosixPlatform implements Platform {
  readonly arch = process.arch;
  private outFd = 1;
  private readonly pollFd = Buffer.alloc(8);
  /** struct pollfd[2] for the capture pipes' read ends. */
  private readonly capturePollFds = Buffer.alloc(16);

  waitReadable(fd: number, timeoutMs: number): boolean {
    setPollIn(this.pollFd, 0, fd);
    return poll(this.pollFd, 1, timeoutMs) > 0;
  }

  writeOut(bytes: Buffer): number {
    for (;;) {
      try {
        return fs.writeSync(this.outFd, bytes);
      } catch (error) {
        // The inherited pipe may be non-blocking; wait for the supervisor to read.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        Atomics.wait(PAUSE, 0, 0, 2);
      }
    }
  }

  load(path: string): LoadedLibrary {
    checkNativeFile(path);
    const before = new Set(this.modules().map((m) => m.path));
    let lib: LibraryHandle;
    try {
      lib = koffi.load(path);
    } catch (error) {
      throw new AgentFailure('load-failed', 'DLERROR', `${path}: ${(error as Error).message}`);
    }
    const modules = this.modules();
    const real = realPath(path);
    const self = modules.find((m) => m.path === real);
    return {
      native: lib,
      result: { base: self?.base ?? null, path: real, alreadyLoaded: before.has(real), newModules: modules.filter((m) => !before.has(m.path)) },
    };
  }

  unload(native: unknown): void {
    (native as LibraryHandle).unload();
  }

  modules(): ModuleInfo[] {
    const found = new Map<string, { start: bigint; end: bigint }>();
    for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+)\s+\S+\s+\S+\s+\S+\s+\d+\s+(\/.+)$/.exec(line);
      if (!m || m[3].startsWith('/dev/') || m[3].startsWith('/memfd:')) continue;
      const start = BigInt(`0x${m[1]}`);
      const end = BigInt(`0x${m[2]}`);
      const seen = found.get(m[3]);
      found.set(m[3], seen ? { start: seen.start < start ? seen.start : start, end: seen.end > end ? seen.end : end } : { start, end });
    }
    return [...found].map(([path, r]) => ({ path, base: hexAddress(r.start), size: Number(r.end - r.start) }));
  }

  resolve(native: unknown, candidates: (string | number)[]): ResolvedSymbol | null {
    for (const name of candidates) {
      if (typeof name !== 'string') continue;
      try {
        const address = (native as LibraryHandle).symbol(name) as bigint;
        return { name, address };
      } catch {
        // try the next spelling
      }
    }
    return null;
  }

  koffiLibrary(native: unknown): LibraryHandle {
    return native as LibraryHandle;
  }

  clearLastError(): void {
    koffi.errno(0);
  }

  lastError(): null {
    return null;
  }

  redirectStdio(): { stdout: CapturePipe; stderr: CapturePipe } {
    this.outFd = dup(1);
    if (this.outFd < 0) throw new Error('dup(1) failed');
    const pipes = { stdout: redirect(1), stderr: redirect(2) };
    [pipes.stdout, pipes.stderr].forEach((pipeEnd, i) => setPollIn(this.capturePollFds, i, (pipeEnd.reader as { fd: number }).fd));
    return pipes;
  }

  captureHasUnread(): boolean {
    // The pipes' write ends stay open in this process, so POLLIN can only mean unread bytes.
    return poll(this.capturePollFds, 2, 0) !== 0;
  }

  flushCrt(): void {
    fflush(null);
  }

  exit(code: number): never {
    exitNow(code);
    throw new Error('_exit returned');
  }
}

/** Entry `index` of a struct pollfd array: wait for input on `fd`. */
function setPollIn(pollFds: Buffer, index: number, fd: number): void {
  pollFds.writeInt32LE(fd, index * 8);
  pollFds.writeInt16LE(POLLIN, index * 8 + 4);
}

function redirect(target: number): CapturePipe {
  const fds = Buffer.alloc(8);
  if (pipe(fds) !== 0) throw new Error('pipe() failed');
  const [readFd, writeFd] = [fds.readInt32LE(0), fds.readInt32LE(4)];
  if (dup2(writeFd, target) < 0) throw new Error(`dup2 onto ${target} failed`);
  return { reader: { kind: 'fd', fd: readFd, libc: LIBC }, writeSentinel: (bytes) => void fs.writeSync(writeFd, bytes) };
}

function realPath(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return path;
  }
}

function checkNativeFile(path: string): void {
  if (!path.includes('/')) return;
  if (!fs.existsSync(path)) throw new AgentFailure('path-missing', 'ENOENT', `no such file: ${path}`);
  const head = Buffer.alloc(20);
  const fd = fs.openSync(path, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head[0] === 0x4d && head[1] === 0x5a) {
    throw new AgentFailure('wrong-bitness', 'NOT_NATIVE', `${path} is a Windows PE file, not a ${process.platform} library`, undefined, 'use a win32 agent (wine) for Windows DLLs');
  }
  if (head.subarray(0, 4).toString('latin1') === '\x7fELF') {
    const is64 = head[4] === 2;
    if (is64 !== (process.arch === 'x64' || process.arch === 'arm64')) {
      throw new AgentFailure('wrong-bitness', 'ELFCLASS', `${path} is a ${is64 ? '64' : '32'}-bit library`, undefined, `use the ${is64 ? '64' : '32'}-bit agent`);
    }
  }
}
