/**
 * The component tree an Itanium-mangled name parses into. Its shape follows the one GNU
 * libiberty builds, because c++filt's spacing and bracketing depend on that shape.
 */
import type { BuiltinInfo, OperatorInfo } from './itanium-tables.ts';

export type CompType =
  | 'name' | 'qual-name' | 'local-name' | 'typed-name' | 'template' | 'template-param' | 'function-param'
  | 'ctor' | 'dtor' | 'vtable' | 'vtt' | 'construction-vtable' | 'typeinfo' | 'typeinfo-name' | 'typeinfo-fn'
  | 'thunk' | 'virtual-thunk' | 'covariant-thunk' | 'java-class' | 'guard' | 'tls-init' | 'tls-wrapper'
  | 'reftemp' | 'hidden-alias' | 'sub-std' | 'restrict' | 'volatile' | 'const' | 'restrict-this'
  | 'volatile-this' | 'const-this' | 'reference-this' | 'rvalue-reference-this' | 'transaction-safe'
  | 'noexcept' | 'throw-spec' | 'vendor-type-qual' | 'pointer' | 'reference' | 'rvalue-reference' | 'complex'
  | 'imaginary' | 'builtin-type' | 'extended-builtin-type' | 'vendor-type' | 'function-type' | 'array-type'
  | 'ptrmem-type' | 'vector-type' | 'arglist' | 'template-arglist' | 'tparm-obj' | 'initializer-list'
  | 'operator' | 'extended-operator' | 'cast' | 'conversion' | 'nullary' | 'unary' | 'binary' | 'binary-args'
  | 'trinary' | 'trinary-arg1' | 'trinary-arg2' | 'literal' | 'literal-neg' | 'vendor-expr' | 'character'
  | 'number' | 'decltype' | 'global-constructors' | 'global-destructors' | 'lambda' | 'default-arg'
  | 'unnamed-type' | 'transaction-clone' | 'nontransaction-clone' | 'pack-expansion' | 'tagged-name' | 'clone'
  | 'structured-binding' | 'module-name' | 'module-partition' | 'module-entity' | 'module-init' | 'template-head'
  | 'template-type-parm' | 'template-non-type-parm' | 'template-template-parm' | 'template-pack-parm' | 'friend';

/**
 * One component. `left`/`right` are its children; a constructor's or destructor's class name,
 * a lambda's signature and an extended operator's name are kept in `left`.
 */
export class Comp {
  /** How many times it is being printed right now (a guard against cycles through substitutions). */
  printing = 0;
  text = '';
  num = 0;
  op: OperatorInfo | null = null;
  builtin: BuiltinInfo | null = null;
  suffix = '';

  constructor(public type: CompType, public left: Comp | null = null, public right: Comp | null = null) {}
}

const FNQUAL_TYPES = new Set<CompType>([
  'restrict-this', 'volatile-this', 'const-this', 'reference-this', 'rvalue-reference-this', 'transaction-safe',
  'noexcept', 'throw-spec',
]);

export function isFnQual(type: CompType): boolean {
  return FNQUAL_TYPES.has(type);
}

const NEEDS_BOTH = new Set<CompType>([
  'qual-name', 'local-name', 'typed-name', 'tagged-name', 'template', 'construction-vtable', 'vendor-type-qual',
  'ptrmem-type', 'unary', 'binary', 'binary-args', 'trinary', 'trinary-arg1', 'literal', 'literal-neg',
  'vendor-expr', 'vector-type', 'clone', 'module-entity',
]);
const NEEDS_LEFT = new Set<CompType>([
  'vtable', 'vtt', 'typeinfo', 'typeinfo-name', 'typeinfo-fn', 'thunk', 'virtual-thunk', 'covariant-thunk',
  'java-class', 'guard', 'tls-init', 'tls-wrapper', 'reftemp', 'hidden-alias', 'transaction-clone',
  'nontransaction-clone', 'pointer', 'reference', 'rvalue-reference', 'complex', 'imaginary', 'vendor-type', 'cast',
  'conversion', 'decltype', 'pack-expansion', 'global-constructors', 'global-destructors', 'nullary',
  'trinary-arg2', 'tparm-obj', 'structured-binding', 'module-init', 'template-head', 'template-non-type-parm',
  'template-template-parm', 'template-pack-parm', 'friend',
]);
const NEEDS_RIGHT = new Set<CompType>(['array-type', 'initializer-list', 'module-name', 'module-partition']);
const NEEDS_NONE = new Set<CompType>([
  'function-type', 'restrict', 'volatile', 'const', 'arglist', 'template-arglist', 'template-type-parm', ...FNQUAL_TYPES,
]);

/** Whether a generic component of this type may be built from these children (a missing child means an earlier failure). */
export function childrenValid(type: CompType, left: Comp | null, right: Comp | null): boolean {
  if (NEEDS_BOTH.has(type)) return left !== null && right !== null;
  if (NEEDS_LEFT.has(type)) return left !== null;
  if (NEEDS_RIGHT.has(type)) return right !== null;
  return NEEDS_NONE.has(type);
}
