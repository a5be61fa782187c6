// Builds the Windows test DLLs of fixtures/agent with MinGW, per architecture, when missing or stale.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export type WindowsArch = 'ia32' | 'x64';

export interface WindowsFixtures {
  calls: string;
  dllmainFalse: string;
  dllmainCrash: string;
  needsAbsent: string;
}

const root = resolve(import.meta.dirname, '../..');
const sources = join(root, 'fixtures/agent');
const COMPILERS: Record<WindowsArch, string> = { ia32: 'i686-w64-mingw32-gcc', x64: 'x86_64-w64-mingw32-gcc' };

export function mingwCompiler(arch: WindowsArch): string | null {
  try {
    execFileSync(COMPILERS[arch], ['--version'], { stdio: 'ignore' });
    return COMPILERS[arch];
  } catch {
    return null;
  }
}

function stale(output: string, inputs: string[]): boolean {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((input) => statSync(input).mtimeMs > built);
}

// Built beside and renamed into place: the two architectures' suites run in parallel and each also
// builds the other's calls.dll, so a reader must never see a half-written file.
function compile(gcc: string, output: string, inputs: string[], extra: string[] = []): string {
  if (!stale(output, inputs)) return output;
  // Same file name in a folder of its own: the linker records the name as the DLL's export name.
  const scratch = mkdtempSync(join(dirname(output), '.build-'));
  try {
    const partial = join(scratch, basename(output));
    execFileSync(gcc, ['-shared', '-O1', '-fno-omit-frame-pointer', '-o', partial, ...inputs, ...extra]);
    renameSync(partial, output);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return output;
}

export function buildWindowsFixtures(arch: WindowsArch): WindowsFixtures {
  const gcc = mingwCompiler(arch);
  if (!gcc) throw new Error(`${COMPILERS[arch]} is not installed`);
  const out = join(root, 'build/fixtures/agent', `win32-${arch}`);
  // The dependency lives apart from needs-absent.dll so that the loader cannot find it.
  const linkOnly = join(out, 'link-only');
  mkdirSync(linkOnly, { recursive: true });
  const callsInputs = [join(sources, 'calls.c'), ...(arch === 'ia32' ? [join(sources, 'calls32.def')] : [])];
  const absent = compile(gcc, join(linkOnly, 'thunk_absent_dep.dll'), [join(sources, 'absent-dep.c')]);
  return {
    calls: compile(gcc, join(out, 'calls.dll'), callsInputs),
    dllmainFalse: compile(gcc, join(out, 'dllmain-false.dll'), [join(sources, 'dllmain-false.c')]),
    dllmainCrash: compile(gcc, join(out, 'dllmain-crash.dll'), [join(sources, 'dllmain-crash.c')]),
    needsAbsent: compile(gcc, join(out, 'needs-absent.dll'), [join(sources, 'needs-absent.c')], [absent]),
  };
}
