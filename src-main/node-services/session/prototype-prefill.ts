// A first prototype for an export, from what its name tells: an undecorated C++ signature, a
// decorated C name's convention and argument bytes (as 4-byte slots), or a guess that says so.
import { demangleName, type DemangledName } from '../../analysis/names/demangle.ts';
import { parsePeFile } from '../../analysis/pe/parse-pe.ts';
import type { Prefill } from '../../contract/call-contract.ts';

const CONVENTION_KEYWORDS: Record<string, string> = { stdcall: '__stdcall', fastcall: '__fastcall', cdecl: '__cdecl', thiscall: '__thiscall' };

/** The exports' names, and the machine that decides their decoration rules. */
export function exportNamesOf(dll: string): { machine: string; names: string[] } {
  const image = parsePeFile(dll, { details: false, entropy: false });
  return { machine: image.machine, names: (image.exports?.entries ?? []).flatMap((e) => (e.name ? [e.name] : [])) };
}

/** The export the user means: the exact name, else the one whose undecorated name it is. */
export function findExport(names: string[], typed: string, machine: string): string | null {
  if (names.includes(typed)) return typed;
  return names.find((name) => demangleName(name, machine).baseName === typed) ?? null;
}

export function prefillPrototype(raw: string, machine: string): Prefill {
  const name = demangleName(raw, machine);
  if (name.decoration === 'msvc-cpp') return fromCppSignature(name);
  if (name.decoration === 'itanium') {
    return { prototype: `int ${raw}(${cppParams(name.demangled)})`, note: `${name.demangled}: the parameters come from the mangled name; its return type is not in it, so int is a guess.`, guessed: true, declarations: '' };
  }
  if (name.argumentBytes !== null && name.callingConvention) return fromSlots(name);
  return { prototype: `int ${name.baseName}(void)`, note: 'A guess: this name says nothing about the parameters or the return type. Write the real prototype from the DLL\'s header.', guessed: true, declarations: '' };
}

function fromSlots(name: DemangledName): Prefill {
  const slots = name.argumentBytes! / 4;
  const params = slots === 0 ? 'void' : Array.from({ length: slots }, (_, i) => `int a${i + 1}`).join(', ');
  const keyword = CONVENTION_KEYWORDS[name.callingConvention!] ?? '';
  const note = `${name.raw}: ${name.callingConvention}, ${name.argumentBytes} bytes of arguments, so ${slots} 4-byte slot${slots === 1 ? '' : 's'}. Each slot is an int or a pointer; a double or a 64-bit integer takes two. The return type is a guess.`;
  return { prototype: `int ${keyword} ${name.baseName}(${params})`.replace(/\s+/g, ' '), note, guessed: true, declarations: '' };
}

/** "int __stdcall ns::f(int,char const *)" → the same with the raw name, which the agent can find. */
function fromCppSignature(name: DemangledName): Prefill {
  const open = name.demangled.indexOf('(');
  const close = name.demangled.lastIndexOf(')');
  if (open < 0 || close < open) return { prototype: `int ${name.raw}(void)`, note: `${name.demangled}: not a function signature; the prototype is a guess.`, guessed: true, declarations: '' };
  const head = name.demangled.slice(0, open).replace(/\b(public|private|protected|static|virtual):?\s*/g, '');
  const words = head.trim().split(/\s+/);
  words.pop();
  const returns = words.join(' ').replace(/\bclass\b|\bstruct\b|\benum\b/g, '').trim() || 'void';
  const prototype = `${returns} ${name.raw}(${cppParams(name.demangled)})`.replace(/\s+/g, ' ');
  return { prototype, note: `From the undecorated C++ signature ${name.demangled}. References (&) are passed as pointers; declare any class or struct it names.`, guessed: false, declarations: '' };
}

function cppParams(signature: string): string {
  const open = signature.indexOf('(');
  const close = signature.lastIndexOf(')');
  if (open < 0 || close < open) return 'void';
  const inner = signature.slice(open + 1, close).trim();
  if (inner === '' || inner === 'void') return 'void';
  return inner.split(',').map((p, i) => `${p.replace(/\bclass\b|\bstruct\b|\benum\b/g, '').replace(/&/g, '*').replace(/(\w+(?:::\w+)*)\s+const\b/g, 'const $1').trim()} a${i + 1}`).join(', ');
}
