/**
 * Undecorates Itanium C++ ABI names (GCC, Clang, MinGW: `_ZN3foo3barEi`) into the text GNU
 * c++filt prints. No npm package printed c++filt's text (gecko-profiler-demangle, the one WASM
 * option, mis-nests some types and abbreviates `std::string`), so this is our own.
 */
import { isFnQual } from './itanium-nodes.ts';
import type { Comp } from './itanium-nodes.ts';
import { ItaniumParser, TooDeep } from './itanium-parser.ts';
import { ItaniumPrinter } from './itanium-printer.ts';

export interface ItaniumDemangled {
  /** c++filt's rendering. */
  text: string;
  /** The entity's qualified name without parameters or return type: `ns::Class::method`. */
  qualifiedName: string;
  isFunction: boolean;
}

/** Far above real names; bounds the work hostile input can cause. */
const MAX_INPUT = 8 * 1024;
const GLOBAL_STRUCTORS = /^_GLOBAL_[._$][DI]_/;

function parse(raw: string, unresolvedNameState: number): { dc: Comp | null; retry: boolean } {
  const parser = new ItaniumParser(raw, unresolvedNameState);
  let dc: Comp | null;
  if (raw.startsWith('_Z')) dc = parser.mangledName(true);
  else dc = parser.globalStructors(raw[9] === 'I' ? 'global-constructors' : 'global-destructors');
  if (!parser.atEnd()) dc = null;
  return { dc, retry: dc === null && parser.unresolvedNameState === -1 };
}

/** The bare entity name inside an encoding: a function's name without its `this` qualifiers. */
function entityName(dc: Comp): Comp {
  let name = dc;
  if (name.type === 'clone' && name.left) name = name.left;
  if (name.type !== 'typed-name' || !name.left) return name;
  name = name.left;
  while (isFnQual(name.type) && name.left) name = name.left;
  return name;
}

function isFunctionEncoding(dc: Comp): boolean {
  const inner = dc.type === 'clone' && dc.left ? dc.left : dc;
  return inner.type === 'typed-name' && inner.right?.type === 'function-type';
}

/** Returns c++filt's text for an Itanium-mangled name, or null when it is not one. */
export function demangleItanium(raw: string): ItaniumDemangled | null {
  if (raw.length > MAX_INPUT || !(raw.startsWith('_Z') || GLOBAL_STRUCTORS.test(raw))) return null;
  try {
    let attempt = parse(raw, 1);
    if (attempt.retry) attempt = parse(raw, 0);
    if (!attempt.dc) return null;
    const text = ItaniumPrinter.print(attempt.dc);
    if (text === null) return null;
    const name = entityName(attempt.dc);
    const qualifiedName = name === attempt.dc ? text : ItaniumPrinter.print(name) ?? text;
    return { text, qualifiedName, isFunction: isFunctionEncoding(attempt.dc) };
  } catch (error) {
    if (error instanceof TooDeep || error instanceof RangeError) return null;
    throw error;
  }
}
