import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir } from '../resolver/test-support/build-fixture.ts';
import { simpleDll } from '../resolver/test-support/scenarios.ts';
import { addChpePointer, addClrHeader, parseBuffer, setMachine } from '../resolver/test-support/patch-pe.ts';
import { dotnetNotes, rootMachineFailure } from './root-machine.ts';
import type { PeImage } from '../pe/pe-image.ts';

let dir: string;
let x86: Buffer;
let x64: Buffer;

before(() => {
  dir = makeTempDir('rootmachine');
  x86 = readFileSync(simpleDll('x86', join(dir, 'r32.dll'), ['Api']));
  x64 = readFileSync(simpleDll('x64', join(dir, 'r64.dll'), ['Api']));
});
after(() => removeDir(dir));

function patched(base: Buffer, edit: (file: Buffer) => void): PeImage {
  const file = Buffer.from(base);
  edit(file);
  return parseBuffer(file, join(dir, 'patched.dll'));
}

describe('native roots', () => {
  test('x86 root in an x64 host: 193 with the bitness fix', () => {
    const image = parseBuffer(x86, join(dir, 'r32.dll'));
    const failure = rootMachineFailure(image, 'x64')!;
    assert.equal(failure.error.code, 193);
    assert.equal(failure.error.name, 'ERROR_BAD_EXE_FORMAT');
    assert.equal(failure.finding.code, 'THK-WRONG-BITNESS');
    assert.equal(failure.finding.rootCause, true);
    assert.equal(failure.finding.hostArch, 'x64');
    assert.match(failure.finding.fix, /64-bit build.*or a host of the other bitness \(32-bit\)/);
    assert.match(failure.rootCause, /32-bit DLL cannot load into a 64-bit process/);
    assert.ok(failure.finding.evidence.includes('machine x86 (0x14c)'));
  });

  test('x64 root in an x86 host: 193; each root in its own host: no failure', () => {
    assert.equal(rootMachineFailure(parseBuffer(x64, 'r64.dll'), 'x86')!.finding.code, 'THK-WRONG-BITNESS');
    assert.equal(rootMachineFailure(parseBuffer(x64, 'r64.dll'), 'x64'), null);
    assert.equal(rootMachineFailure(parseBuffer(x86, 'r32.dll'), 'x86'), null);
  });
});

describe('ARM roots (header patched)', () => {
  test('ARM64 (machine patched to 0xAA64): loads in neither host, with the Windows on ARM note', () => {
    const image = patched(x64, (f) => setMachine(f, 0xaa64));
    assert.equal(image.machine, 'arm64');
    for (const host of ['x86', 'x64'] as const) {
      const failure = rootMachineFailure(image, host)!;
      assert.equal(failure.error.code, 193);
      assert.equal(failure.finding.code, 'THK-UNSUPPORTED-MACHINE');
      assert.match(failure.finding.explanation, /only into native ARM64 processes/);
    }
  });

  test('ARM64EC (machine patched to 0xA641): x64 processes on ARM64 Windows only', () => {
    const failure = rootMachineFailure(patched(x64, (f) => setMachine(f, 0xa641)), 'x64')!;
    assert.equal(failure.finding.code, 'THK-UNSUPPORTED-MACHINE');
    assert.match(failure.finding.explanation, /ARM64EC.*x64 \(emulated\) processes on ARM64 Windows/);
  });

  test('x64 header with a CHPE pointer patched into the load config is ARM64EC', () => {
    const image = patched(x64, addChpePointer);
    assert.equal(image.fileHeader.machine, 'x64');
    assert.equal(image.machine, 'arm64ec');
    assert.match(rootMachineFailure(image, 'x64')!.finding.explanation, /does not load on x64 Windows/);
  });

  test('ARM64 header with a CHPE pointer patched in is ARM64X: ARM64 and emulated x64, not x64 Windows', () => {
    const image = patched(x64, (f) => {
      setMachine(f, 0xaa64);
      addChpePointer(f);
    });
    assert.equal(image.machine, 'arm64x');
    const failure = rootMachineFailure(image, 'x64')!;
    assert.match(failure.finding.explanation, /ARM64X.*ARM64 processes and x64 processes on ARM64 Windows/);
    assert.match(failure.finding.title, /arm64x DLL/);
  });

  test('Itanium and unknown machines (patched) fail with 193 and a note', () => {
    assert.match(rootMachineFailure(patched(x64, (f) => setMachine(f, 0x200)), 'x64')!.finding.explanation, /Itanium/);
    const unknown = rootMachineFailure(patched(x64, (f) => setMachine(f, 0x1234)), 'x86')!;
    assert.equal(unknown.error.code, 193);
    assert.match(unknown.finding.explanation, /machine type Windows does not run/);
  });
});

const ILONLY = 0x1;
const REQUIRED32 = 0x2;
const PREFERRED32 = 0x20000;

describe('.NET roots (CLR directory patched in)', () => {
  test('AnyCPU (PE32, ILONLY): loads in both hosts through the CLR, with the "use it from .NET" advice', () => {
    const image = patched(x86, (f) => addClrHeader(f, ILONLY));
    assert.equal(rootMachineFailure(image, 'x86'), null);
    assert.equal(rootMachineFailure(image, 'x64'), null);
    const [note] = dotnetNotes(image);
    assert.equal(note!.code, 'THK-DOTNET-ASSEMBLY');
    assert.match(note!.title, /anycpu.*32-bit and 64-bit processes/);
    assert.match(note!.fix, /Assembly\.LoadFrom/);
  });

  test('AnyCPU 32-bit preferred (ILONLY|32BITREQUIRED|32BITPREFERRED): both hosts', () => {
    const image = patched(x86, (f) => addClrHeader(f, ILONLY | REQUIRED32 | PREFERRED32));
    assert.equal(rootMachineFailure(image, 'x64'), null);
    assert.equal(image.clr!.flavor, 'anycpu-prefer32');
  });

  test('x86-only (ILONLY|32BITREQUIRED): 193 in a 64-bit host, advising a 32-bit host or AnyCPU', () => {
    const image = patched(x86, (f) => addClrHeader(f, ILONLY | REQUIRED32));
    assert.equal(rootMachineFailure(image, 'x86'), null);
    const failure = rootMachineFailure(image, 'x64')!;
    assert.equal(failure.error.code, 193);
    assert.equal(failure.finding.code, 'THK-DOTNET-BITNESS');
    assert.match(failure.finding.explanation, /BadImageFormatException/);
    assert.match(failure.finding.fix, /32-bit host, or rebuild the assembly as AnyCPU/);
    assert.match(dotnetNotes(image)[0]!.title, /loads in 32-bit processes/);
  });

  test('PE32+ IL-only: x64 only', () => {
    const image = patched(x64, (f) => addClrHeader(f, ILONLY));
    assert.equal(rootMachineFailure(image, 'x64'), null);
    assert.match(rootMachineFailure(image, 'x86')!.finding.fix, /64-bit host/);
  });

  test('mixed-mode (no ILONLY): pinned to its machine like a native DLL, with a mixed-mode note', () => {
    const image = patched(x86, (f) => addClrHeader(f, 0));
    assert.equal(rootMachineFailure(image, 'x64')!.finding.code, 'THK-WRONG-BITNESS');
    assert.equal(rootMachineFailure(image, 'x86'), null);
    const [note] = dotnetNotes(image);
    assert.equal(note!.code, 'THK-DOTNET-MIXED-MODE');
    assert.match(note!.fix, /x86 \.NET process/);
  });

  test('a native DLL gets no .NET notes', () => {
    assert.deepEqual(dotnetNotes(parseBuffer(x64, 'r64.dll')), []);
  });
});
