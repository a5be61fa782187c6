import type { LoaderError } from './verdict.ts';

/** The Windows loader errors a user meets, by code: LoadLibrary's Win32 errors and start-up NTSTATUSes. */
export const LOADER_ERRORS = {
  badExeFormat: { code: 193, name: 'ERROR_BAD_EXE_FORMAT', message: '%1 is not a valid Win32 application.' },
  modNotFound: { code: 126, name: 'ERROR_MOD_NOT_FOUND', message: 'The specified module could not be found.' },
  procNotFound: { code: 127, name: 'ERROR_PROC_NOT_FOUND', message: 'The specified procedure could not be found.' },
  invalidOrdinal: { code: 182, name: 'ERROR_INVALID_ORDINAL', message: 'The operating system cannot run %1.' },
  exeMachineMismatch: { code: 216, name: 'ERROR_EXE_MACHINE_TYPE_MISMATCH', message: "This version of %1 is not compatible with the version of Windows you're running (\"This app can't run on your PC\")." },
  sxsCantGenActctx: { code: 14001, name: 'ERROR_SXS_CANT_GEN_ACTCTX', message: 'The application has failed to start because its side-by-side configuration is incorrect. Please see the application event log or use the command-line sxstrace.exe tool for more detail.' },
  dllInitFailed: { code: 1114, name: 'ERROR_DLL_INIT_FAILED', message: 'A dynamic link library (DLL) initialization routine failed.' },
  invalidImageFormat: { code: 0xc000007b, name: 'STATUS_INVALID_IMAGE_FORMAT', message: 'The application was unable to start correctly (0xc000007b).' },
  dllNotFound: { code: 0xc0000135, name: 'STATUS_DLL_NOT_FOUND', message: 'The code execution cannot proceed because %hs was not found.' },
  entryPointNotFound: { code: 0xc0000139, name: 'STATUS_ENTRYPOINT_NOT_FOUND', message: 'The procedure entry point %hs could not be located in the dynamic link library %hs.' },
  ordinalNotFound: { code: 0xc0000138, name: 'STATUS_ORDINAL_NOT_FOUND', message: 'The ordinal %ld could not be located in the dynamic link library %hs.' },
  dllInitFailedStatus: { code: 0xc0000142, name: 'STATUS_DLL_INIT_FAILED', message: 'The application was unable to start correctly (0xc0000142).' },
} as const satisfies Record<string, LoaderError>;

const BY_CODE = new Map<number, LoaderError>(Object.values(LOADER_ERRORS).map((error) => [error.code, error]));

/** The named error for a code (Win32 error or NTSTATUS), or null when it is not one Thunk explains. */
export function loaderError(code: number): LoaderError | null {
  const found = BY_CODE.get(code >>> 0);
  return found ? { ...found } : null;
}

/** "193 ERROR_BAD_EXE_FORMAT" / "0xC000007B STATUS_INVALID_IMAGE_FORMAT". */
export function formatLoaderError(error: LoaderError): string {
  const code = error.code > 0xffff ? `0x${error.code.toString(16).toUpperCase()}` : String(error.code);
  return `${code} ${error.name}`;
}

/** What a start-up failure names in its message box: the module and, for 127/182, the function. */
export interface FailureSubject {
  module: string;
  function?: string;
}

/**
 * The error a program (EXE) meets at start-up for a LoadLibrary error of its imports: the
 * NTSTATUS of the message box, with the module and function filled in as Windows shows them.
 */
export function processStartError(error: LoaderError, subject: FailureSubject | null): LoaderError {
  const module = subject?.module ?? '%hs';
  const fn = subject?.function ?? '%hs';
  switch (error.code) {
    case 126: return { ...LOADER_ERRORS.dllNotFound, message: `The code execution cannot proceed because ${module} was not found. Reinstalling the program may fix this problem.` };
    case 127: return { ...LOADER_ERRORS.entryPointNotFound, message: `The procedure entry point ${fn} could not be located in the dynamic link library ${module}.` };
    case 182: return { ...LOADER_ERRORS.ordinalNotFound, message: `The ordinal ${fn.replace(/^#/, '')} could not be located in the dynamic link library ${module}.` };
    case 193: return { ...LOADER_ERRORS.invalidImageFormat };
    case 1114: return { ...LOADER_ERRORS.dllInitFailedStatus };
    default: return { ...error };
  }
}
