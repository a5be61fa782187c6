/**
 * The tree an MSVC-decorated name parses into, and its rendering in llvm-undname's text form.
 * Types render in two halves (before and after the declarator name) as C declarators require:
 * `int (*f)(int)` puts "int (*" before the name and ")(int)" after it.
 */

export const Q_CONST = 1;
export const Q_VOLATILE = 2;
export const Q_UNALIGNED = 16;
export const Q_RESTRICT = 32;
/** `E`: a 64-bit pointer; llvm-undname (14 and later) does not print `__ptr64`. */
export const Q_PTR64 = 64;

export const FC_PUBLIC = 1;
export const FC_PROTECTED = 2;
export const FC_PRIVATE = 4;
export const FC_GLOBAL = 8;
export const FC_STATIC = 16;
export const FC_VIRTUAL = 32;
export const FC_FAR = 64;
export const FC_EXTERN_C = 128;
export const FC_NO_PARAMETER_LIST = 256;
export const FC_VIRTUAL_THIS_ADJUST = 512;
export const FC_VIRTUAL_THIS_ADJUST_EX = 1024;
export const FC_STATIC_THIS_ADJUST = 2048;

export type CallConv =
  | 'cdecl' | 'pascal' | 'thiscall' | 'stdcall' | 'fastcall' | 'clrcall' | 'eabi' | 'vectorcall' | 'swift' | 'swiftasync' | null;

export interface PrimitiveType { kind: 'primitive'; name: string; quals: number }
export interface ThisAdjust { staticOffset: bigint; vbptrOffset: bigint; vboffsetOffset: bigint; vtordispOffset: bigint }
export interface FunctionSignature {
  kind: 'function';
  quals: number;
  callConv: CallConv;
  funcClass: number;
  refQualifier: '' | ' &' | ' &&';
  returnType: TypeNode | null;
  variadic: boolean;
  params: TypeNode[] | null;
  noexcept: boolean;
  /** Present for thunks (`[thunk]:` with `adjustor`/`vtordisp` offsets). */
  thunk: ThisAdjust | null;
}
export interface PointerType { kind: 'pointer'; quals: number; affinity: '*' | '&' | '&&'; classParent: QualifiedName | null; pointee: TypeNode }
export interface TagType { kind: 'tag'; quals: number; tag: 'class' | 'struct' | 'union' | 'enum'; name: QualifiedName }
export interface ArrayType { kind: 'array'; quals: number; dims: bigint[]; element: TypeNode }
export interface CustomType { kind: 'custom'; quals: number; id: Identifier }
export type TypeNode = PrimitiveType | FunctionSignature | PointerType | TagType | ArrayType | CustomType;

export type TemplateArg = TypeNode | IntegerLiteral | TemplateParamRef | QualifiedName;
export interface IntegerLiteral { kind: 'integer'; value: bigint; negative: boolean }
export interface TemplateParamRef { kind: 'param-ref'; symbol: SymbolNode | null; offsets: bigint[]; affinity: '' | '&' | '*' }

interface IdentifierBase { templateArgs: TemplateArg[] | null }
export interface NamedId extends IdentifierBase { kind: 'named'; name: string }
export interface IntrinsicId extends IdentifierBase { kind: 'intrinsic'; text: string }
export interface LiteralOperatorId extends IdentifierBase { kind: 'literal-operator'; name: string }
export interface StructorId extends IdentifierBase { kind: 'structor'; destructor: boolean; cls: Identifier | null }
export interface ConversionId extends IdentifierBase { kind: 'conversion'; target: TypeNode | null }
export interface LocalStaticGuardId extends IdentifierBase { kind: 'static-guard'; thread: boolean; scopeIndex: bigint }
export interface VcallThunkId extends IdentifierBase { kind: 'vcall'; offset: bigint }
export interface DynamicStructorId extends IdentifierBase {
  kind: 'dynamic-structor';
  destructor: boolean;
  variable: VariableSymbol | null;
  name: QualifiedName | null;
}
export interface RttiBaseClassId extends IdentifierBase { kind: 'rtti-base-class'; numbers: bigint[] }
export type Identifier =
  | NamedId | IntrinsicId | LiteralOperatorId | StructorId | ConversionId | LocalStaticGuardId | VcallThunkId | DynamicStructorId | RttiBaseClassId;

export interface QualifiedName { kind: 'qualified'; parts: Identifier[] }

export type StorageClass = 'private' | 'protected' | 'public' | 'global' | 'local' | null;
export interface FunctionSymbol { kind: 'function-symbol'; name: QualifiedName; signature: FunctionSignature }
export interface VariableSymbol { kind: 'variable-symbol'; name: QualifiedName; storage: StorageClass; type: TypeNode | null }
/** `targets` lists the bases a vftable is for; llvm-undname 14 printed only the first, later versions all. */
export interface SpecialTableSymbol { kind: 'special-table'; name: QualifiedName; quals: number; targets: QualifiedName[] }
export interface PlainSymbol { kind: 'plain-symbol'; name: QualifiedName }
export interface StringLiteralSymbol { kind: 'string-literal'; prefix: string; text: string; truncated: boolean }
export type SymbolNode = FunctionSymbol | VariableSymbol | SpecialTableSymbol | PlainSymbol | StringLiteralSymbol;

export class OutputTooLong extends Error {}

/** Characters all renderings of one name may still produce (back-references are rendered too). */
export interface RenderBudget { remaining: number }

/**
 * Accumulates rendered text; stops at a cap because back-references can make output exponential
 * in the input's length.
 */
export class Printer {
  text = '';
  constructor(private readonly limit: number, private readonly budget: RenderBudget) {}

  put(s: string): void {
    this.text += s;
    this.budget.remaining -= s.length;
    if (this.text.length > this.limit || this.budget.remaining < 0) throw new OutputTooLong('demangled text over the limit');
  }

  last(): string {
    return this.text.length === 0 ? '' : this.text[this.text.length - 1];
  }

  spaceIfNeeded(): void {
    const c = this.last();
    if (/[A-Za-z0-9>]/.test(c)) this.put(' ');
  }
}

const CALLING_CONVENTION_TEXT: Record<NonNullable<CallConv>, string> = {
  cdecl: '__cdecl',
  pascal: '__pascal',
  thiscall: '__thiscall',
  stdcall: '__stdcall',
  fastcall: '__fastcall',
  clrcall: '__clrcall',
  eabi: '__eabi',
  vectorcall: '__vectorcall',
  swift: '__attribute__((__swiftcall__)) ',
  swiftasync: '__attribute__((__swiftasynccall__)) ',
};

function putCallingConvention(p: Printer, cc: CallConv): void {
  p.spaceIfNeeded();
  if (cc !== null) p.put(CALLING_CONVENTION_TEXT[cc]);
}

function putQualifiers(p: Printer, quals: number, spaceBefore: boolean, spaceAfter: boolean): void {
  const words: string[] = [];
  if (quals & Q_CONST) words.push('const');
  if (quals & Q_VOLATILE) words.push('volatile');
  if (quals & Q_RESTRICT) words.push('__restrict');
  if (words.length === 0) return;
  p.put((spaceBefore ? ' ' : '') + words.join(' ') + (spaceAfter ? ' ' : ''));
}

export function putType(p: Printer, t: TypeNode): void {
  putTypePre(p, t);
  putTypePost(p, t);
}

function putTypePre(p: Printer, t: TypeNode): void {
  switch (t.kind) {
    case 'primitive':
      p.put(t.name);
      putQualifiers(p, t.quals, true, false);
      return;
    case 'function':
      putFunctionPre(p, t);
      return;
    case 'pointer':
      putPointerPre(p, t);
      return;
    case 'tag':
      p.put(`${t.tag} `);
      putQualifiedName(p, t.name);
      putQualifiers(p, t.quals, true, false);
      return;
    case 'array':
      putTypePre(p, t.element);
      putQualifiers(p, t.quals, true, false);
      return;
    case 'custom':
      putIdentifier(p, t.id);
      return;
  }
}

function putTypePost(p: Printer, t: TypeNode): void {
  switch (t.kind) {
    case 'function':
      putFunctionPost(p, t);
      return;
    case 'pointer':
      putPointerPost(p, t);
      return;
    case 'array':
      p.put(`[${t.dims.map((d) => (d === 0n ? '' : d.toString())).join('][')}]`);
      putTypePost(p, t.element);
      return;
    default:
      return;
  }
}

function putPreSignature(p: Printer, f: FunctionSignature): void {
  const fc = f.funcClass;
  if (fc & FC_PUBLIC) p.put('public: ');
  if (fc & FC_PROTECTED) p.put('protected: ');
  if (fc & FC_PRIVATE) p.put('private: ');
  if (!(fc & FC_GLOBAL) && fc & FC_STATIC) p.put('static ');
  if (fc & FC_VIRTUAL) p.put('virtual ');
  if (fc & FC_EXTERN_C) p.put('extern "C" ');
  if (f.returnType) {
    putTypePre(p, f.returnType);
    p.put(' ');
  }
}

function putFunctionPre(p: Printer, f: FunctionSignature): void {
  if (f.thunk) p.put('[thunk]: ');
  putPreSignature(p, f);
  putCallingConvention(p, f.callConv);
}

function putThisAdjust(p: Printer, f: FunctionSignature, a: ThisAdjust): void {
  if (f.funcClass & FC_STATIC_THIS_ADJUST) {
    p.put(`\`adjustor{${a.staticOffset}}'`);
  } else if (f.funcClass & FC_VIRTUAL_THIS_ADJUST_EX) {
    p.put(`\`vtordispex{${a.vbptrOffset}, ${a.vboffsetOffset}, ${a.vtordispOffset}, ${a.staticOffset}}'`);
  } else if (f.funcClass & FC_VIRTUAL_THIS_ADJUST) {
    p.put(`\`vtordisp{${a.vtordispOffset}, ${a.staticOffset}}'`);
  }
}

function putFunctionPost(p: Printer, f: FunctionSignature): void {
  if (f.thunk) putThisAdjust(p, f, f.thunk);
  if (!(f.funcClass & FC_NO_PARAMETER_LIST)) putParameterList(p, f);
  if (f.quals & Q_CONST) p.put(' const');
  if (f.quals & Q_VOLATILE) p.put(' volatile');
  if (f.quals & Q_RESTRICT) p.put(' __restrict');
  if (f.quals & Q_UNALIGNED) p.put(' __unaligned');
  if (f.noexcept) p.put(' noexcept');
  p.put(f.refQualifier);
  if (f.returnType) putTypePost(p, f.returnType);
}

function putParameterList(p: Printer, f: FunctionSignature): void {
  p.put('(');
  if (f.params) putList(p, f.params, ', ', putType);
  else p.put('void');
  if (f.variadic) {
    if (p.last() !== '(') p.put(', ');
    p.put('...');
  }
  p.put(')');
}

function putPointerPre(p: Printer, t: PointerType): void {
  const pointee = t.pointee;
  if (pointee.kind === 'function') putPreSignature(p, pointee);
  else putTypePre(p, pointee);
  p.spaceIfNeeded();
  if (t.quals & Q_UNALIGNED) p.put('__unaligned ');
  if (pointee.kind === 'array') p.put('(');
  if (pointee.kind === 'function') {
    p.put('(');
    putCallingConvention(p, pointee.callConv);
    p.put(' ');
  }
  if (t.classParent) {
    putQualifiedName(p, t.classParent);
    p.put('::');
  }
  p.put(t.affinity);
  putQualifiers(p, t.quals, false, false);
}

function putPointerPost(p: Printer, t: PointerType): void {
  if (t.pointee.kind === 'array' || t.pointee.kind === 'function') p.put(')');
  putTypePost(p, t.pointee);
}

function putList<T>(p: Printer, items: T[], separator: string, put: (p: Printer, item: T) => void): void {
  items.forEach((item, i) => {
    if (i > 0) p.put(separator);
    put(p, item);
  });
}

export function putQualifiedName(p: Printer, q: QualifiedName): void {
  putList(p, q.parts, '::', putIdentifier);
}

function putTemplateArgs(p: Printer, args: TemplateArg[] | null): void {
  if (!args) return;
  p.put('<');
  putList(p, args, ', ', putTemplateArg);
  p.put('>');
}

function putTemplateArg(p: Printer, a: TemplateArg): void {
  switch (a.kind) {
    case 'integer':
      p.put(`${a.negative ? '-' : ''}${a.value}`);
      return;
    case 'param-ref':
      putParamRef(p, a);
      return;
    case 'qualified':
      putQualifiedName(p, a);
      return;
    default:
      putType(p, a);
  }
}

function putParamRef(p: Printer, r: TemplateParamRef): void {
  const braces = r.offsets.length > 0;
  if (braces) p.put('{');
  else if (r.affinity === '*') p.put('&');
  if (r.symbol) {
    putSymbol(p, r.symbol);
    if (braces) p.put(', ');
  }
  if (braces) p.put(`${r.offsets.join(', ')}}`);
}

export function putIdentifier(p: Printer, id: Identifier): void {
  switch (id.kind) {
    case 'named':
      p.put(id.name);
      break;
    case 'intrinsic':
      p.put(id.text);
      break;
    case 'literal-operator':
      p.put(`operator ""${id.name}`);
      break;
    case 'structor':
      if (id.destructor) p.put('~');
      if (id.cls) putIdentifier(p, id.cls);
      break;
    case 'conversion':
      putConversion(p, id);
      return;
    default:
      putSpecialIdentifier(p, id);
      return;
  }
  putTemplateArgs(p, id.templateArgs);
}

function putConversion(p: Printer, id: ConversionId): void {
  p.put('operator');
  putTemplateArgs(p, id.templateArgs);
  p.put(' ');
  if (id.target) putType(p, id.target);
}

function putSpecialIdentifier(p: Printer, id: LocalStaticGuardId | VcallThunkId | DynamicStructorId | RttiBaseClassId): void {
  switch (id.kind) {
    case 'static-guard':
      p.put(id.thread ? "`local static thread guard'" : "`local static guard'");
      if (id.scopeIndex > 0n) p.put(`{${id.scopeIndex}}`);
      return;
    case 'vcall':
      p.put(`\`vcall'{${id.offset}, {flat}}`);
      return;
    case 'dynamic-structor':
      putDynamicStructor(p, id);
      return;
    case 'rtti-base-class':
      p.put(`\`RTTI Base Class Descriptor at (${id.numbers.join(', ')})'`);
      return;
  }
}

function putDynamicStructor(p: Printer, id: DynamicStructorId): void {
  p.put(id.destructor ? '`dynamic atexit destructor for ' : '`dynamic initializer for ');
  if (id.variable) {
    p.put('`');
    putSymbol(p, id.variable);
  } else {
    p.put("'");
    if (id.name) putQualifiedName(p, id.name);
  }
  p.put("''");
}

export function putSymbol(p: Printer, s: SymbolNode): void {
  switch (s.kind) {
    case 'function-symbol':
      putTypePre(p, s.signature);
      p.spaceIfNeeded();
      putQualifiedName(p, s.name);
      putTypePost(p, s.signature);
      return;
    case 'variable-symbol':
      putVariable(p, s);
      return;
    case 'special-table':
      putQualifiers(p, s.quals, false, true);
      putQualifiedName(p, s.name);
      if (s.targets.length > 0) {
        p.put('{for `');
        putList(p, s.targets, "'s `", putQualifiedName);
        p.put("'}");
      }
      return;
    case 'plain-symbol':
      putQualifiedName(p, s.name);
      return;
    case 'string-literal':
      p.put(`${s.prefix}"${s.text}"${s.truncated ? '...' : ''}`);
      return;
  }
}

const ACCESS_OF_STORAGE: Partial<Record<NonNullable<StorageClass>, string>> = {
  private: 'private: static ',
  protected: 'protected: static ',
  public: 'public: static ',
};

function putVariable(p: Printer, v: VariableSymbol): void {
  if (v.storage) p.put(ACCESS_OF_STORAGE[v.storage] ?? '');
  if (v.type) putTypePre(p, v.type);
  p.spaceIfNeeded();
  putQualifiedName(p, v.name);
  if (v.type) putTypePost(p, v.type);
}
