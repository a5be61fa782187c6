// The 32-bit probe program and the binfmt_misc reading, against the real tools of this machine.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorTooOld, i386BinfmtEntry, ia32ProbeProgram, ia32Support, runIa32Probe } from './ia32-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'thunk-ia32-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const QEMU = ['/usr/bin/qemu-i386', '/usr/bin/qemu-i386-static'].find((p) => existsSync(p));

describe('the 32-bit probe program', () => {
  const program = join(dir, 'probe32');
  writeFileSync(program, ia32ProbeProgram(), { mode: 0o755 });

  it('is a 32-bit x86 ELF executable as readelf reads it', { skip: spawnSync('readelf', ['--version']).status === 0 ? false : 'readelf (binutils) is not installed' }, () => {
    const header = execFileSync('readelf', ['-h', '-l', program], { encoding: 'utf8' });
    assert.match(header, /Class:\s+ELF32/);
    assert.match(header, /Machine:\s+Intel 80386/);
    assert.match(header, /Type:\s+EXEC/);
    assert.match(header, /Entry point address:\s+0x8048054/);
    assert.match(header, /LOAD\s+0x000000 0x08048000/);
  });

  it('exits with 42 when 32-bit code runs (through qemu-i386 itself, whatever binfmt_misc holds)', { skip: QEMU ? false : 'qemu-user is not installed' }, () => {
    assert.equal(spawnSync(QEMU!, [program]).status, 42);
  });

  it('tells this machine\'s answer, the same as ia32Support()', () => {
    const probe = runIa32Probe();
    const support = ia32Support();
    assert.equal(support.runs, probe.runs);
    assert.equal(support.via === 'emulator', support.runs && i386BinfmtEntry() !== null);
    if (!probe.runs) assert.match(support.reason ?? '', /32-bit x86 programs/);
  });
});

describe('binfmt_misc entries', () => {
  // Files in the format the kernel prints them in /proc/sys/fs/binfmt_misc.
  const entry = (magic: string, state = 'enabled', interpreter = QEMU ?? '/usr/bin/qemu-i386') =>
    `${state}\ninterpreter ${interpreter}\nflags: OCF\noffset 0\nmagic ${magic}\nmask fffffffffffefe00fffffffffffffffffeffffff\n`;
  const I386 = '7f454c4601010100000000000000000002000300';
  const ARM = '7f454c4601010100000000000000000002002800';

  function folder(entries: Record<string, string>): string {
    const root = mkdtempSync(join(dir, 'binfmt-'));
    writeFileSync(join(root, 'status'), 'enabled\n');
    writeFileSync(join(root, 'register'), '');
    for (const [name, text] of Object.entries(entries)) writeFileSync(join(root, name), text);
    return root;
  }

  it('finds the enabled entry for i386 ELF and its interpreter', () => {
    const found = i386BinfmtEntry(folder({ 'qemu-arm': entry(ARM), 'qemu-i386': entry(I386) }));
    assert.equal(found?.entry, 'qemu-i386');
    assert.equal(found?.interpreter, QEMU ?? '/usr/bin/qemu-i386');
    if (QEMU) assert.match(found?.version ?? '', /^qemu-i386 version \d+\.\d+/);
  });

  it('ignores disabled entries, other machines, and a folder that is not mounted', () => {
    assert.equal(i386BinfmtEntry(folder({ 'qemu-i386': entry(I386, 'disabled'), 'qemu-arm': entry(ARM) })), null);
    const unmounted = join(dir, 'unmounted');
    mkdirSync(unmounted);
    assert.equal(i386BinfmtEntry(unmounted), null);
  });

  it('calls qemu before 8.1 too old for Wine, and nothing else', () => {
    const at = (version: string) => emulatorTooOld({ entry: 'x', interpreter: '/x', version });
    assert.deepEqual(['qemu-i386 version 7.2.0 (Debian)', 'qemu-i386 version 8.0.4', 'qemu-i386 version 8.1.0', 'qemu-i386 version 10.0.2 (Debian 1:10.0.2)', 'box86 v0.3'].map(at), [true, true, false, false, false]);
  });
});
