import type { PeImage } from '../pe/pe-image.ts';
import type { HostArch } from '../resolver/load-context.ts';
import { hostMachine } from '../resolver/machine-compat.ts';
import type { Finding } from './finding.ts';
import type { LoaderError } from './verdict.ts';
import { LOADER_ERRORS } from './error-codes.ts';
import { BITS, FINDING_CODES, finding } from './findings.ts';

/** Why the root image itself cannot be mapped into a host, as the verdict's root cause. */
export interface RootFailure {
  error: LoaderError;
  rootCause: string;
  finding: Finding;
}

const OTHER: Record<HostArch, HostArch> = { x86: 'x64', x64: 'x86' };

const MACHINE_NOTES: Partial<Record<PeImage['machine'], string>> = {
  arm64: 'An ARM64 DLL loads only into native ARM64 processes on Windows on ARM. x86 and x64 processes, emulated or not, cannot load it.',
  arm64ec: 'An ARM64EC DLL loads only into x64 (emulated) processes on ARM64 Windows, where it runs natively beside x64 code. It does not load on x64 Windows, nor into x86 processes.',
  arm64x: 'An ARM64X DLL holds ARM64 and ARM64EC code: it loads into ARM64 processes and x64 processes on ARM64 Windows only. It does not load on x64 Windows, nor into x86 processes.',
  arm: 'A 32-bit ARM (ARMNT) DLL loads only into ARM32 processes on Windows RT / older Windows on ARM.',
  ia64: 'An Itanium DLL loads only on Itanium editions of Windows, which are discontinued.',
  unknown: 'The header names a machine type Windows does not run.',
};

function bad(host: HostArch, rootCause: string, f: Omit<Parameters<typeof finding>[0], 'severity' | 'hostArch' | 'rootCause'>): RootFailure {
  return { error: { ...LOADER_ERRORS.badExeFormat }, rootCause, finding: finding({ ...f, severity: 'error', hostArch: host, rootCause: true }) };
}

/** .NET assemblies: the CLR, not the PE machine alone, decides where an IL-only assembly runs. */
function dotnetFailure(image: PeImage, host: HostArch): RootFailure | null {
  const clr = image.clr!;
  if (clr.loadsIn[host]) return null;
  return bad(host, `.NET assembly (${clr.flavor}) cannot run in a ${BITS[host]} process`, {
    code: FINDING_CODES.dotnetBitness,
    title: `.NET assembly built ${clr.flavor}: not usable from a ${BITS[host]} process`,
    explanation: `The assembly's CLR header restricts it (flags 0x${clr.flags.toString(16)}). A ${BITS[host]} .NET process gets BadImageFormatException (HRESULT 0x8007000B, i.e. error 193).`,
    evidence: [image.path, `CLR flags 0x${clr.flags.toString(16)}, machine ${image.machine}`],
    fix: `Use a ${BITS[OTHER[host]]} host, or rebuild the assembly as AnyCPU.`,
  });
}

/** The root DLL's machine against the host's: null when it maps (or the CLR loads it). */
export function rootMachineFailure(image: PeImage, host: HostArch): RootFailure | null {
  if (image.clr?.ilOnly) return dotnetFailure(image, host);
  if (image.machine === hostMachine(host)) return null;
  if (image.machine === 'x86' || image.machine === 'x64') {
    const built = image.machine === 'x86' ? '32-bit' : '64-bit';
    return bad(host, `${built} DLL cannot load into a ${BITS[host]} process`, {
      code: FINDING_CODES.wrongBitness,
      title: `${built} DLL in a ${BITS[host]} process: "%1 is not a valid Win32 application" (193)`,
      explanation: `A process can only load DLLs of its own bitness. This DLL is ${image.machine} (${built}); LoadLibrary in a ${BITS[host]} process fails with 193, and an EXE that links it fails to start with 0xC000007B.`,
      evidence: [image.path, `machine ${image.machine} (0x${image.fileHeader.machineCode.toString(16)})`],
      fix: `Use the ${BITS[host]} build of this DLL, or a host of the other bitness (${BITS[OTHER[host]]}).`,
    });
  }
  return bad(host, `${image.machine} DLL cannot load into an ${host} process`, {
    code: FINDING_CODES.unsupportedMachine,
    title: `${image.machine} DLL: not loadable in an ${host} process`,
    explanation: `${MACHINE_NOTES[image.machine] ?? ''} LoadLibrary in an ${host} process fails with 193.`.trim(),
    evidence: [image.path, `machine ${image.machine} (0x${image.fileHeader.machineCode.toString(16)})`],
    fix: `Use the ${host} build of this DLL.`,
  });
}

/** As RootFailure; error null when nothing fails as such (a 32-bit program on 64-bit Windows). */
export type ProgramMachineFailure = Omit<RootFailure, 'error'> & { error: LoaderError | null };

/**
 * A program (EXE) is not loaded into a host: it starts its own process of its own machine. Judged
 * for the other bitness, a 64-bit program does not run on 32-bit Windows ("This app can't run on
 * your PC"), and a 32-bit one runs as a 32-bit process (WOW64), which its own verdict covers.
 */
export function exeMachineFailure(image: PeImage, host: HostArch): ProgramMachineFailure | null {
  if (image.clr?.ilOnly || image.machine === hostMachine(host)) return null;
  const evidence = [image.path, `machine ${image.machine} (0x${image.fileHeader.machineCode.toString(16)})`];
  if (image.machine === 'x86' && host === 'x64') {
    return {
      error: null, rootCause: 'a 32-bit program starts as a 32-bit process (WOW64 on 64-bit Windows): see its 32-bit verdict',
      finding: finding({
        code: FINDING_CODES.wrongBitness, severity: 'info', hostArch: host, title: '32-bit program: it runs as a 32-bit process, also on 64-bit Windows',
        explanation: 'A program is not loaded into a host process: Windows starts it in a process of its own machine. On 64-bit Windows a 32-bit program runs under WOW64, with SysWOW64 as its system folder.',
        evidence, fix: 'Nothing to do for the program itself; 64-bit DLLs cannot be loaded into it.',
      }),
    };
  }
  const built = image.machine === 'x64' ? '64-bit' : image.machine;
  return {
    error: { ...LOADER_ERRORS.exeMachineMismatch }, rootCause: `a ${built} program does not run on ${host === 'x86' ? '32-bit' : host} Windows`,
    finding: finding({
      code: FINDING_CODES.wrongBitness, severity: 'error', hostArch: host, rootCause: true,
      title: `${built} program: "This app can't run on your PC" on ${host === 'x86' ? '32-bit' : host} Windows`,
      explanation: `The program is built for ${image.machine}; ${host === 'x86' ? '32-bit Windows cannot run 64-bit programs' : `${host} Windows cannot run it`}: CreateProcess fails with 216 (ERROR_EXE_MACHINE_TYPE_MISMATCH) and Explorer says "This app can't run on your PC".`,
      evidence, fix: `Use the ${BITS[host]} build of the program, or run it on ${image.machine === 'x64' ? '64-bit' : image.machine} Windows.`,
    }),
  };
}

/** Information about .NET assemblies that load (AnyCPU through the CLR, mixed-mode by machine). */
export function dotnetNotes(image: PeImage): Finding[] {
  const clr = image.clr;
  if (!clr) return [];
  if (!clr.ilOnly) {
    return [finding({
      code: FINDING_CODES.dotnetMixedMode, severity: 'info', title: `Mixed-mode .NET assembly (${image.machine} only)`,
      explanation: 'The assembly holds native code as well as IL (C++/CLI): it loads only into processes of its own machine, like a native DLL, and needs the .NET runtime it targets.',
      evidence: [`runtime ${clr.runtimeVersion}`, `machine ${image.machine}`], fix: `Load it from a ${image.machine} .NET process.`,
    })];
  }
  const where = clr.loadsIn.x86 && clr.loadsIn.x64 ? '32-bit and 64-bit processes' : clr.loadsIn.x64 ? '64-bit processes' : '32-bit processes';
  return [finding({
    code: FINDING_CODES.dotnetAssembly, severity: 'info', title: `.NET assembly (${clr.flavor}): loads in ${where} through the CLR`,
    explanation: 'An IL-only assembly is loaded by the .NET runtime, not by LoadLibrary: it has no native exports to call with GetProcAddress, and its PE machine field does not decide where it runs.',
    evidence: [`CLR flags 0x${clr.flags.toString(16)}`, `runtime ${clr.runtimeVersion}`],
    fix: 'Use it from .NET (a project reference, or Assembly.LoadFrom) rather than LoadLibrary.',
  })];
}
