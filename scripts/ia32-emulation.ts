// Lets 32-bit Wine (the 32-bit agent) run on a Linux kernel that cannot run 32-bit x86 code, by
// registering qemu-user for i386 ELF programs with binfmt_misc. Machines that run 32-bit code
// natively are left untouched. Usage (as root, or it uses sudo):
//   node --import tsx scripts/ia32-emulation.ts enable    set up and register when needed
//   node --import tsx scripts/ia32-emulation.ts disable   remove the registration
//   node --import tsx scripts/ia32-emulation.ts status    say what runs 32-bit programs here
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { type Emulator, emulatorTooOld, emulatorVersion, i386BinfmtEntry, runIa32Probe } from '../src-main/node-services/agent/ia32-support.ts';

const BINFMT = '/proc/sys/fs/binfmt_misc';
const ENTRY = 'qemu-i386';
const BACKPORTS_LIST = '/etc/apt/sources.list.d/thunk-bookworm-backports.sources';
// binfmt_misc decodes the \x escapes itself; the mask lets e_ident's padding and e_type's high bits vary (ET_EXEC and ET_DYN).
const I386_MAGIC = String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00`;
const I386_MASK = String.raw`\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`;
// O: the interpreter gets the binary as an open descriptor; C: credentials from the binary; F: the
// interpreter is opened at registration, so it works inside other mount namespaces (re-register after upgrading qemu).
const FLAGS = 'OCF';

const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];

function run(command: string[], input?: string): void {
  const [program, ...args] = [...asRoot, ...command];
  const result = spawnSync(program!, args, { stdio: input === undefined ? 'inherit' : ['pipe', 'ignore', 'inherit'], input });
  if (result.status !== 0) throw new Error(`\`${command.join(' ')}\` failed (${result.error?.message ?? `status ${result.status}`})`);
}

function writeAsRoot(path: string, text: string): void {
  run(['tee', path], text);
}

function say(line: string): void {
  process.stdout.write(`ia32-emulation: ${line}\n`);
}

const QEMU_BINARIES = ['/usr/bin/qemu-i386-static', '/usr/bin/qemu-i386'];

function recentEnough(binary: string): boolean {
  return !emulatorTooOld({ entry: ENTRY, interpreter: binary, version: emulatorVersion(binary) });
}

/** The installed qemu-i386 recent enough for Wine, else any installed one, else null. */
function qemuBinary(): string | null {
  const present = QEMU_BINARIES.filter((p) => existsSync(p) && emulatorVersion(p) !== null);
  return present.find(recentEnough) ?? present[0] ?? null;
}

function debianCodename(): string | null {
  try {
    return /^VERSION_CODENAME=(\w+)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

/** qemu 8.1 or newer: from Debian 12's backports suite when the release's own qemu is older. */
function ensureRecentQemu(): string {
  const present = qemuBinary();
  const version = present ? emulatorVersion(present) : null;
  if (present && recentEnough(present)) return present;
  const codename = debianCodename();
  if (codename !== 'bookworm') {
    const needed = 'qemu-user (qemu-i386) 8.1 or newer';
    if (!present) throw new Error(`install ${needed} with your distribution's package manager, then run this again`);
    throw new Error(`${version} is too old for Wine: install ${needed}, then run this again`);
  }
  if (!existsSync(BACKPORTS_LIST)) {
    say(`adding Debian's bookworm-backports suite (${BACKPORTS_LIST}) for qemu 10`);
    writeAsRoot(BACKPORTS_LIST, 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n');
    run(['apt-get', 'update', '-qq']);
  }
  say('installing qemu-user-static from bookworm-backports');
  run(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', '-t', 'bookworm-backports', 'qemu-user-static']);
  const installed = qemuBinary();
  if (!installed || !recentEnough(installed)) throw new Error(`qemu-user-static was installed from bookworm-backports, but no qemu-i386 8.1 or newer is there (${QEMU_BINARIES.join(', ')})`);
  return installed;
}

function ensureBinfmtMounted(): void {
  if (existsSync(`${BINFMT}/register`)) return;
  say(`mounting binfmt_misc on ${BINFMT}`);
  run(['mount', '-t', 'binfmt_misc', 'binfmt_misc', BINFMT]);
}

function unregister(entry: string): void {
  writeAsRoot(`${BINFMT}/${entry}`, '-1');
}

function register(interpreter: string): void {
  if (existsSync(`${BINFMT}/${ENTRY}`)) unregister(ENTRY);
  writeAsRoot(`${BINFMT}/register`, `:${ENTRY}:M::${I386_MAGIC}:${I386_MASK}:${interpreter}:${FLAGS}`);
}

/** Whether the kernel itself runs 32-bit programs, with any i386 emulator entry switched off while asking. */
function kernelRunsIa32(entry: Emulator | null): boolean {
  if (!entry) return runIa32Probe().runs;
  writeAsRoot(`${BINFMT}/${entry.entry}`, '0');
  try {
    return runIa32Probe().runs;
  } finally {
    writeAsRoot(`${BINFMT}/${entry.entry}`, '1');
  }
}

function enable(): void {
  const entry = i386BinfmtEntry();
  if (!entry && runIa32Probe().runs) {
    say('this kernel runs 32-bit x86 programs itself: nothing to do');
    return;
  }
  if (entry && runIa32Probe().runs && !emulatorTooOld(entry)) {
    say(`32-bit x86 programs already run through ${entry.version ?? entry.interpreter} (binfmt_misc entry ${entry.entry}): nothing to do`);
    return;
  }
  if (entry && kernelRunsIa32(entry)) {
    say(`this kernel runs 32-bit x86 programs itself, but binfmt_misc entry ${entry.entry} sends them through ${entry.interpreter}; leaving it as it is (remove it with: echo -1 > ${BINFMT}/${entry.entry})`);
    return;
  }
  say('this kernel cannot run 32-bit x86 programs (Exec format error): setting up qemu-user for them, so that 32-bit Wine runs');
  const qemu = ensureRecentQemu();
  ensureBinfmtMounted();
  if (entry && entry.entry !== ENTRY) unregister(entry.entry);
  register(qemu);
  if (!runIa32Probe().runs) throw new Error(`registered ${qemu}, but a 32-bit program still does not run`);
  say(`registered ${emulatorVersion(qemu)} for 32-bit x86 programs (binfmt_misc entry ${ENTRY}, flags ${FLAGS})`);
  say(`undo: echo -1 | sudo tee ${BINFMT}/${ENTRY}   (and, to remove qemu: sudo apt-get remove qemu-user-static; sudo rm ${BACKPORTS_LIST})`);
  say('the registration does not survive a reboot: run this again after one');
}

function disable(): void {
  if (!existsSync(`${BINFMT}/${ENTRY}`)) {
    say(`no binfmt_misc entry ${ENTRY}: nothing to do`);
    return;
  }
  unregister(ENTRY);
  say(`removed binfmt_misc entry ${ENTRY}`);
}

function status(): void {
  const entry = i386BinfmtEntry();
  const probe = runIa32Probe();
  if (!probe.runs) say(`32-bit x86 programs do not run here (${probe.error})${entry ? ` although ${entry.interpreter} is registered` : ''}`);
  else if (entry) say(`32-bit x86 programs run through ${entry.version ?? entry.interpreter} (binfmt_misc entry ${entry.entry})${emulatorTooOld(entry) ? ', which is too old for Wine' : ''}`);
  else say('32-bit x86 programs run natively');
}

const actions: Record<string, () => void> = { enable, disable, status };
const action = actions[process.argv[2] ?? ''];
if (process.platform !== 'linux') {
  say('only Linux needs this; nothing to do');
} else if (!action) {
  process.stderr.write('usage: node --import tsx scripts/ia32-emulation.ts enable|disable|status\n');
  process.exitCode = 2;
} else {
  try {
    action();
  } catch (error) {
    process.stderr.write(`ia32-emulation: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
