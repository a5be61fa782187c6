// Can this Linux machine run 32-bit x86 programs (which 32-bit Wine is), and how: by the kernel
// itself, or through an emulator (qemu-user) registered with binfmt_misc? Some kernels are built or
// booted without IA32 emulation (ia32_emulation=0, hardened distributions, WSL1, micro-VMs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Emulator {
  /** The binfmt_misc entry's name, e.g. qemu-i386. */
  entry: string;
  interpreter: string;
  /** The first line of `<interpreter> --version`, e.g. "qemu-i386 version 10.0.2 (Debian ...)". */
  version: string | null;
}

export interface Ia32Support {
  runs: boolean;
  via: 'kernel' | 'emulator' | null;
  emulator: Emulator | null;
  /** Why 32-bit programs do not run here; null when they do. */
  reason: string | null;
}

const BINFMT = '/proc/sys/fs/binfmt_misc';
const PROBE_EXIT = 42;
// The first 20 bytes of a 32-bit little-endian x86 ELF executable (e_ident, e_type=2, e_machine=3),
// as binfmt_misc entries for i386 match them.
const I386_MAGIC_PREFIX = '7f454c46010101';
const I386_MACHINE = '0300';

/**
 * A complete 32-bit x86 ELF program of 96 bytes that exits with 42 (mov ebx,42; mov eax,1; int 0x80).
 * Written out and run, it answers "does a 32-bit program run here?" without any 32-bit toolchain.
 */
export function ia32ProbeProgram(): Buffer {
  const code = Buffer.from([0xbb, PROBE_EXIT, 0, 0, 0, 0xb8, 1, 0, 0, 0, 0xcd, 0x80]);
  const base = 0x08048000;
  const headerSize = 52;
  const programHeaderSize = 32;
  const total = headerSize + programHeaderSize + code.length;
  const elf = Buffer.alloc(total);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  elf.writeUInt16LE(2, 16); // ET_EXEC
  elf.writeUInt16LE(3, 18); // EM_386
  elf.writeUInt32LE(1, 20);
  elf.writeUInt32LE(base + headerSize + programHeaderSize, 24); // entry
  elf.writeUInt32LE(headerSize, 28); // program headers follow the ELF header
  elf.writeUInt16LE(headerSize, 40);
  elf.writeUInt16LE(programHeaderSize, 42);
  elf.writeUInt16LE(1, 44);
  const ph = headerSize;
  elf.writeUInt32LE(1, ph); // PT_LOAD of the whole file
  elf.writeUInt32LE(base, ph + 8);
  elf.writeUInt32LE(base, ph + 12);
  elf.writeUInt32LE(total, ph + 16);
  elf.writeUInt32LE(total, ph + 20);
  elf.writeUInt32LE(5, ph + 24); // R+X
  elf.writeUInt32LE(0x1000, ph + 28);
  code.copy(elf, headerSize + programHeaderSize);
  return elf;
}

interface ProbeRun {
  runs: boolean;
  error: string | null;
}

/** Runs the probe program; `runs` only when it exited with its own code. */
export function runIa32Probe(): ProbeRun {
  const dir = mkdtempSync(join(tmpdir(), 'thunk-ia32-probe-'));
  try {
    const program = join(dir, 'probe32');
    writeFileSync(program, ia32ProbeProgram(), { mode: 0o755 });
    const run = spawnSync(program, [], { timeout: 30_000 });
    if (run.status === PROBE_EXIT) return { runs: true, error: null };
    // On ENOEXEC, execvp hands the file to /bin/sh, which fails with 126 or 127.
    const code = (run.error as NodeJS.ErrnoException | undefined)?.code;
    const execFormat = code === 'ENOEXEC' || (!code && (run.status === 126 || run.status === 127));
    const error = execFormat ? 'Exec format error' : code ?? (run.signal ? `signal ${run.signal}` : `exit status ${run.status}`);
    return { runs: false, error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The enabled binfmt_misc entry that runs i386 ELF programs through an emulator, if any. */
export function i386BinfmtEntry(root = BINFMT): Emulator | null {
  if (!existsSync(join(root, 'status'))) return null;
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name !== 'status' && name !== 'register');
  } catch {
    return null;
  }
  for (const entry of names) {
    const fields = readBinfmtEntry(join(root, entry));
    if (!fields || fields.get('enabled') !== 'true') continue;
    const magic = fields.get('magic') ?? '';
    if (!magic.startsWith(I386_MAGIC_PREFIX) || magic.slice(36, 40) !== I386_MACHINE) continue;
    const interpreter = fields.get('interpreter') ?? '';
    return { entry, interpreter, version: emulatorVersion(interpreter) };
  }
  return null;
}

function readBinfmtEntry(path: string): Map<string, string> | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === 'enabled' || line === 'disabled') fields.set('enabled', String(line === 'enabled'));
    const space = line.indexOf(' ');
    if (space > 0) fields.set(line.slice(0, space), line.slice(space + 1).trim());
  }
  return fields;
}

/** The first line of `<interpreter> --version`, or null when it does not run. */
export function emulatorVersion(interpreter: string): string | null {
  const run = spawnSync(interpreter, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return run.status === 0 ? (run.stdout.split('\n')[0] ?? '').trim() || null : null;
}

/** qemu before 8.1 cannot run Wine usefully (see shared guide): ~1 minute per start, node.exe fails. */
export function emulatorTooOld(emulator: Emulator): boolean {
  const match = /version (\d+)\.(\d+)/.exec(emulator.version ?? '');
  if (!match || !/qemu/i.test(emulator.version ?? '')) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major < 8 || (major === 8 && minor < 1);
}

let cached: Ia32Support | null = null;

/** Whether and how 32-bit x86 programs run on this machine (Linux); probed once per process. */
export function ia32Support(): Ia32Support {
  if (cached) return cached;
  if (process.platform !== 'linux') return (cached = { runs: true, via: 'kernel', emulator: null, reason: null });
  const emulator = i386BinfmtEntry();
  const probe = runIa32Probe();
  if (probe.runs) return (cached = { runs: true, via: emulator ? 'emulator' : 'kernel', emulator, reason: null });
  const reason = emulator
    ? `32-bit programs fail through ${emulator.interpreter} (${probe.error})`
    : `this kernel cannot run 32-bit x86 programs (${probe.error}) and no emulator is registered for them with binfmt_misc`;
  return (cached = { runs: false, via: null, emulator, reason });
}
