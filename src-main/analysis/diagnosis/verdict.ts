import type { HostArch, LoadContext } from '../resolver/load-context.ts';

/** A Windows loader error as the user meets it. */
export interface LoaderError {
  code: number;
  name: string;
  message: string;
}

/** Will the DLL load in a process of this bitness, and if not, what error and why. */
export interface Verdict {
  hostArch: HostArch;
  loads: boolean;
  /** False when the DLL itself is not built for this host (a 32-bit DLL judged for a 64-bit process). */
  builtForHost: boolean;
  error: LoaderError | null;
  /** One line: the root cause, e.g. "vcruntime140.dll not found (needed by foo.dll -> bar.dll)". */
  rootCause: string | null;
  context: LoadContext;
}
