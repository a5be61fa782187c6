/**
 * Turns an exported symbol name into readable text and the facts a caller needs: MSVC C++
 * (`?name@@YAHH@Z`, as llvm-undname prints it), Itanium C++ (`_Z...`, as c++filt prints it) and
 * the 32-bit C decorations (`_f`, `_f@8`, `f@8`, `@f@8`, `f@@8`).
 */
import { parseCDecoration } from './c-decoration.ts';
import type { CCallingConvention } from './c-decoration.ts';
import { demangleItanium } from './itanium-demangler.ts';
import { demangleMsvc } from './msvc-demangler.ts';
import type { CallConv } from './msvc-nodes.ts';

export type NameDecoration = 'msvc-cpp' | 'itanium' | 'c-cdecl' | 'c-stdcall' | 'c-fastcall' | 'c-vectorcall' | 'plain' | 'unknown';

export type CallingConvention = 'cdecl' | 'stdcall' | 'fastcall' | 'vectorcall' | 'thiscall' | 'clrcall';

export interface DemangledName {
  raw: string;
  decoration: NameDecoration;
  /**
   * Readable full form (llvm-undname / c++filt style); the raw name when nothing to undecorate.
   * For C names it is the bare name, except for a lone leading underscore (`c-cdecl`): that may be
   * part of the real name (msvcrt's `_itoa`), so the raw name is kept there and only `baseName`
   * drops it.
   */
  demangled: string;
  /** The bare function name a C programmer would call it by: 'Add' for '_Add@8', 'name' for '?name@@YAHH@Z', 'ns::Class::method' for C++. */
  baseName: string;
  /** Bytes of arguments from a `@N` suffix (stdcall/fastcall/vectorcall), else null. */
  argumentBytes: number | null;
  callingConvention: CallingConvention | null;
}

const MSVC_CONVENTIONS: Partial<Record<NonNullable<CallConv>, CallingConvention>> = {
  cdecl: 'cdecl', stdcall: 'stdcall', fastcall: 'fastcall', vectorcall: 'vectorcall', thiscall: 'thiscall', clrcall: 'clrcall',
};

const C_DECORATIONS: Record<CCallingConvention, NameDecoration> = {
  cdecl: 'c-cdecl', stdcall: 'c-stdcall', fastcall: 'c-fastcall', vectorcall: 'c-vectorcall',
};

/** MinGW appends `@N` to stdcall C++ functions too: `_ZN3Foo3BarEi@4`. */
const STDCALL_SUFFIX = /@(0|[1-9][0-9]{0,3})$/;

function undecorated(raw: string, decoration: NameDecoration): DemangledName {
  return { raw, decoration, demangled: raw, baseName: raw, argumentBytes: null, callingConvention: null };
}

function msvc(raw: string): DemangledName {
  const result = demangleMsvc(raw);
  if (!result) return undecorated(raw, 'unknown');
  const convention = result.callingConvention ? MSVC_CONVENTIONS[result.callingConvention] ?? null : null;
  return {
    raw, decoration: 'msvc-cpp', demangled: result.text, baseName: result.qualifiedName, argumentBytes: null, callingConvention: convention,
  };
}

/** The Itanium name inside an export name: `__Z` on 32-bit MinGW objects, maybe with a stdcall `@N`. */
function itaniumCandidates(raw: string, machine: string): { mangled: string; bytes: number | null }[] {
  const bases = [raw];
  if (machine === 'x86' && raw.startsWith('__Z')) bases.push(raw.slice(1));
  const candidates = bases.map((mangled) => ({ mangled, bytes: null as number | null }));
  const suffix = machine === 'x86' ? STDCALL_SUFFIX.exec(raw) : null;
  if (suffix) {
    for (const base of bases) candidates.push({ mangled: base.slice(0, base.length - suffix[0].length), bytes: Number(suffix[1]) });
  }
  return candidates;
}

function itanium(raw: string, machine: string): DemangledName | null {
  for (const { mangled, bytes } of itaniumCandidates(raw, machine)) {
    const result = demangleItanium(mangled);
    if (!result) continue;
    return {
      raw,
      decoration: 'itanium',
      demangled: result.text,
      baseName: result.qualifiedName,
      argumentBytes: bytes,
      callingConvention: bytes === null ? null : 'stdcall',
    };
  }
  return null;
}

function cName(raw: string, machine: string): DemangledName | null {
  const c = parseCDecoration(raw, machine);
  if (!c) return null;
  const decoration = C_DECORATIONS[c.callingConvention];
  return {
    raw,
    decoration,
    demangled: decoration === 'c-cdecl' ? raw : c.baseName,
    baseName: c.baseName,
    argumentBytes: c.argumentBytes,
    callingConvention: c.callingConvention,
  };
}

function looksItanium(raw: string, machine: string): boolean {
  return raw.startsWith('_Z') || (machine === 'x86' && raw.startsWith('__Z'));
}

/**
 * Undecorates an exported name. `machine` decides the C rules: only x86 has `_`, `@N` and
 * fastcall decorations, so `_f` stays `_f` on x64. Never throws; a name that looks decorated but
 * does not parse comes back unchanged as 'unknown'.
 */
export function demangleName(raw: string, machine: 'x86' | 'x64' | 'arm64' | string): DemangledName {
  if (raw.startsWith('?')) return msvc(raw);
  const fromItanium = itanium(raw, machine);
  if (fromItanium) return fromItanium;
  const fromC = cName(raw, machine);
  if (fromC) return fromC;
  return undecorated(raw, looksItanium(raw, machine) ? 'unknown' : 'plain');
}
