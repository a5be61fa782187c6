/**
 * Decorations of C (not C++) names: on 32-bit x86 a leading `_` (cdecl, stdcall) or `@` (fastcall)
 * and a trailing `@N`, N being the bytes of arguments the callee pops; `f@@N` (vectorcall) on x86
 * and x64. Other machines have one calling convention and no decoration.
 */

export type CCallingConvention = 'cdecl' | 'stdcall' | 'fastcall' | 'vectorcall';

export interface CDecoration {
  callingConvention: CCallingConvention;
  baseName: string;
  argumentBytes: number | null;
}

/** Far above any real argument list; a larger "byte count" is more likely part of the name. */
const MAX_ARGUMENT_BYTES = 4096;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const BYTE_COUNT = /^(?:0|[1-9][0-9]{0,3})$/;

/** Argument bytes are whole 4-byte stack slots on x86; anything else is not a decoration. */
function parseByteCount(text: string): number | null {
  if (!BYTE_COUNT.test(text)) return null;
  const n = Number(text);
  return n <= MAX_ARGUMENT_BYTES && n % 4 === 0 ? n : null;
}

function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

function splitSuffix(raw: string, separator: string): { name: string; bytes: number } | null {
  const at = raw.lastIndexOf(separator);
  if (at <= 0) return null;
  const bytes = parseByteCount(raw.slice(at + separator.length));
  return bytes === null ? null : { name: raw.slice(0, at), bytes };
}

function vectorcall(raw: string): CDecoration | null {
  const split = splitSuffix(raw, '@@');
  if (!split || !isIdentifier(split.name)) return null;
  return { callingConvention: 'vectorcall', baseName: split.name, argumentBytes: split.bytes };
}

function fastcall(raw: string): CDecoration | null {
  if (!raw.startsWith('@')) return null;
  const split = splitSuffix(raw.slice(1), '@');
  if (!split || !isIdentifier(split.name)) return null;
  return { callingConvention: 'fastcall', baseName: split.name, argumentBytes: split.bytes };
}

/** `_f@8` (MSVC) or, failing that, `f@8` (MinGW, which adds no underscore to exports). */
function stdcall(raw: string): CDecoration | null {
  const split = splitSuffix(raw, '@');
  if (!split || split.name.includes('@')) return null;
  const msvcName = split.name.startsWith('_') ? split.name.slice(1) : null;
  if (msvcName !== null && isIdentifier(msvcName)) {
    return { callingConvention: 'stdcall', baseName: msvcName, argumentBytes: split.bytes };
  }
  if (!isIdentifier(split.name)) return null;
  return { callingConvention: 'stdcall', baseName: split.name, argumentBytes: split.bytes };
}

function cdecl(raw: string): CDecoration | null {
  if (!raw.startsWith('_')) return null;
  const name = raw.slice(1);
  return isIdentifier(name) ? { callingConvention: 'cdecl', baseName: name, argumentBytes: null } : null;
}

/** Reads a C name's decoration for the given machine, or null when it has none. */
export function parseCDecoration(raw: string, machine: string): CDecoration | null {
  if (machine === 'x86') return fastcall(raw) ?? vectorcall(raw) ?? stdcall(raw) ?? cdecl(raw);
  if (machine === 'x64') return vectorcall(raw);
  return null;
}
