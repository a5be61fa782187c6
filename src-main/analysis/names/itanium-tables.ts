/** Fixed vocabularies of the Itanium C++ ABI mangling, spelt as GNU c++filt prints them. */

export interface OperatorInfo {
  code: string;
  /** As printed in an expression; `operator` prefixes it in a name. */
  name: string;
  args: number;
}

const OPERATOR_LIST: OperatorInfo[] = [
  ['aN', '&=', 2], ['aS', '=', 2], ['aa', '&&', 2], ['ad', '&', 1], ['an', '&', 2], ['at', 'alignof ', 1],
  ['aw', 'co_await ', 1], ['az', 'alignof ', 1], ['cc', 'const_cast', 2], ['cl', '()', 2], ['cm', ',', 2],
  ['co', '~', 1], ['dV', '/=', 2], ['dX', '[...]=', 3], ['da', 'delete[] ', 1], ['dc', 'dynamic_cast', 2],
  ['de', '*', 1], ['di', '=', 2], ['dl', 'delete ', 1], ['ds', '.*', 2], ['dt', '.', 2], ['dv', '/', 2],
  ['dx', ']=', 2], ['eO', '^=', 2], ['eo', '^', 2], ['eq', '==', 2], ['fL', '...', 3], ['fR', '...', 3],
  ['fl', '...', 2], ['fr', '...', 2], ['ge', '>=', 2], ['gs', '::', 1], ['gt', '>', 2], ['ix', '[]', 2],
  ['lS', '<<=', 2], ['le', '<=', 2], ['li', 'operator"" ', 1], ['ls', '<<', 2], ['lt', '<', 2], ['mI', '-=', 2],
  ['mL', '*=', 2], ['mi', '-', 2], ['ml', '*', 2], ['mm', '--', 1], ['na', 'new[]', 3], ['ne', '!=', 2],
  ['ng', '-', 1], ['nt', '!', 1], ['nw', 'new', 3], ['nx', 'noexcept', 1], ['oR', '|=', 2], ['oo', '||', 2],
  ['or', '|', 2], ['pL', '+=', 2], ['pl', '+', 2], ['pm', '->*', 2], ['pp', '++', 1], ['ps', '+', 1],
  ['pt', '->', 2], ['qu', '?', 3], ['rM', '%=', 2], ['rS', '>>=', 2], ['rc', 'reinterpret_cast', 2],
  ['rm', '%', 2], ['rs', '>>', 2], ['sP', 'sizeof...', 1], ['sZ', 'sizeof...', 1], ['sc', 'static_cast', 2],
  ['ss', '<=>', 2], ['st', 'sizeof ', 1], ['sz', 'sizeof ', 1], ['tr', 'throw', 0], ['tw', 'throw ', 1],
].map(([code, name, args]) => ({ code: code as string, name: name as string, args: args as number }));

export const OPERATORS = new Map(OPERATOR_LIST.map((op) => [op.code, op]));

/** How a builtin type's literals print: `true`, `5u`, `(float)[...]`, or `(type)value`. */
export type LiteralStyle = 'default' | 'int' | 'unsigned' | 'long' | 'unsigned-long' | 'long-long' | 'unsigned-long-long' | 'bool' | 'float' | 'void';

export interface BuiltinInfo { name: string; print: LiteralStyle }

function builtin(name: string, print: LiteralStyle = 'default'): BuiltinInfo {
  return { name, print };
}

export const BUILTIN_BY_LETTER: Record<string, BuiltinInfo> = {
  a: builtin('signed char'), b: builtin('bool', 'bool'), c: builtin('char'), d: builtin('double', 'float'),
  e: builtin('long double', 'float'), f: builtin('float', 'float'), g: builtin('__float128', 'float'),
  h: builtin('unsigned char'), i: builtin('int', 'int'), j: builtin('unsigned int', 'unsigned'),
  l: builtin('long', 'long'), m: builtin('unsigned long', 'unsigned-long'), n: builtin('__int128'),
  o: builtin('unsigned __int128'), s: builtin('short'), t: builtin('unsigned short'), v: builtin('void', 'void'),
  w: builtin('wchar_t'), x: builtin('long long', 'long-long'), y: builtin('unsigned long long', 'unsigned-long-long'),
  z: builtin('...'),
};

/** `D` + letter builtins. */
export const BUILTIN_BY_D_LETTER: Record<string, BuiltinInfo> = {
  f: builtin('decimal32'), d: builtin('decimal64'), e: builtin('decimal128'), h: builtin('half', 'float'),
  u: builtin('char8_t'), s: builtin('char16_t'), i: builtin('char32_t'), n: builtin('decltype(nullptr)'),
};
export const FLOAT_N = builtin('_Float', 'float');
export const BFLOAT16 = builtin('std::bfloat16_t', 'float');

export interface StandardSub { code: string; full: string; lastName: string | null }

/** `St`, `Sa`, ...: c++filt runs verbose, so always the full expansion. */
export const STANDARD_SUBS: StandardSub[] = [
  { code: 't', full: 'std', lastName: null },
  { code: 'a', full: 'std::allocator', lastName: 'allocator' },
  { code: 'b', full: 'std::basic_string', lastName: 'basic_string' },
  { code: 's', full: 'std::basic_string<char, std::char_traits<char>, std::allocator<char> >', lastName: 'basic_string' },
  { code: 'i', full: 'std::basic_istream<char, std::char_traits<char> >', lastName: 'basic_istream' },
  { code: 'o', full: 'std::basic_ostream<char, std::char_traits<char> >', lastName: 'basic_ostream' },
  { code: 'd', full: 'std::basic_iostream<char, std::char_traits<char> >', lastName: 'basic_iostream' },
];
