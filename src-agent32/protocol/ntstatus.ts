// NTSTATUS names for exception codes and process exit statuses, shared by agent and supervisor.

export const NTSTATUS_NAMES: Readonly<Record<number, string>> = {
  0x80000001: 'STATUS_GUARD_PAGE_VIOLATION',
  0x80000002: 'STATUS_DATATYPE_MISALIGNMENT',
  0x80000003: 'STATUS_BREAKPOINT',
  0x80000004: 'STATUS_SINGLE_STEP',
  0x40000015: 'STATUS_FATAL_APP_EXIT',
  0xc0000005: 'STATUS_ACCESS_VIOLATION',
  0xc0000006: 'STATUS_IN_PAGE_ERROR',
  0xc0000008: 'STATUS_INVALID_HANDLE',
  0xc000000d: 'STATUS_INVALID_PARAMETER',
  0xc0000017: 'STATUS_NO_MEMORY',
  0xc000001d: 'STATUS_ILLEGAL_INSTRUCTION',
  0xc0000025: 'STATUS_NONCONTINUABLE_EXCEPTION',
  0xc0000026: 'STATUS_INVALID_DISPOSITION',
  0xc000007b: 'STATUS_INVALID_IMAGE_FORMAT',
  0xc000008c: 'STATUS_ARRAY_BOUNDS_EXCEEDED',
  0xc000008d: 'STATUS_FLOAT_DENORMAL_OPERAND',
  0xc000008e: 'STATUS_FLOAT_DIVIDE_BY_ZERO',
  0xc000008f: 'STATUS_FLOAT_INEXACT_RESULT',
  0xc0000090: 'STATUS_FLOAT_INVALID_OPERATION',
  0xc0000091: 'STATUS_FLOAT_OVERFLOW',
  0xc0000092: 'STATUS_FLOAT_STACK_CHECK',
  0xc0000093: 'STATUS_FLOAT_UNDERFLOW',
  0xc0000094: 'STATUS_INTEGER_DIVIDE_BY_ZERO',
  0xc0000095: 'STATUS_INTEGER_OVERFLOW',
  0xc0000096: 'STATUS_PRIVILEGED_INSTRUCTION',
  0xc00000fd: 'STATUS_STACK_OVERFLOW',
  0xc0000135: 'STATUS_DLL_NOT_FOUND',
  0xc0000139: 'STATUS_ENTRYPOINT_NOT_FOUND',
  0xc000013a: 'STATUS_CONTROL_C_EXIT',
  0xc0000142: 'STATUS_DLL_INIT_FAILED',
  0xc0000374: 'STATUS_HEAP_CORRUPTION',
  0xc0000409: 'STATUS_STACK_BUFFER_OVERRUN',
  0xc0000417: 'STATUS_INVALID_CRUNTIME_PARAMETER',
  0xc0000420: 'STATUS_ASSERTION_FAILURE',
  0xc0000602: 'STATUS_FAIL_FAST_EXCEPTION',
  0xe06d7363: 'MSVC_CPP_EXCEPTION',
  0x40010005: 'DBG_CONTROL_C',
};

export function ntstatusName(code: number): string | null {
  return NTSTATUS_NAMES[code >>> 0] ?? null;
}

export interface DecodedExit {
  code: number;
  /** Exception/NTSTATUS name when the status is one, else null (a plain exit code). */
  status: string | null;
  /** True when only the status' low byte was visible (Wine hands Linux parents `code & 0xff`). */
  lowByteOnly: boolean;
}

/**
 * Decodes an agent's exit status. `lowByteOnly` is for statuses seen through a Unix wait status
 * (Wine): 5 might then be 0xC0000005 or ExitProcess(5), so the candidate is named, not asserted.
 */
export function decodeExitCode(code: number, lowByteOnly = false): DecodedExit {
  const full = code >>> 0;
  if (!lowByteOnly) return { code: full, status: ntstatusName(full), lowByteOnly };
  const match = Object.keys(NTSTATUS_NAMES)
    .map(Number)
    .find((k) => (k & 0xff) === (full & 0xff) && (k >>> 28) === 0xc);
  return { code: full, status: match === undefined ? null : NTSTATUS_NAMES[match], lowByteOnly };
}

export function hex32(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}
