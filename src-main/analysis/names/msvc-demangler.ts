/**
 * A recursive-descent demangler for MSVC C++ decorated names (`?name@@YAHH@Z`), written after the
 * grammar LLVM's MicrosoftDemangle.cpp documents, and printing what llvm-undname prints.
 */
import {
  FC_EXTERN_C, FC_FAR, FC_GLOBAL, FC_NO_PARAMETER_LIST, FC_PRIVATE, FC_PROTECTED, FC_PUBLIC, FC_STATIC,
  FC_STATIC_THIS_ADJUST, FC_VIRTUAL, FC_VIRTUAL_THIS_ADJUST, FC_VIRTUAL_THIS_ADJUST_EX,
  OutputTooLong, Printer, Q_PTR64, Q_RESTRICT, Q_UNALIGNED,
  putIdentifier, putQualifiedName, putSymbol,
} from './msvc-nodes.ts';
import type {
  ArrayType, CallConv, CustomType, FunctionSignature, FunctionSymbol, Identifier, IntrinsicId, PointerType,
  PrimitiveType, QualifiedName, RenderBudget, SpecialTableSymbol, StringLiteralSymbol, SymbolNode, TagType,
  TemplateArg, TemplateParamRef, ThisAdjust, TypeNode, VariableSymbol,
} from './msvc-nodes.ts';
import { decodeStringLiteral } from './msvc-string-literal.ts';

export interface MsvcDemangled {
  /** llvm-undname's rendering. */
  text: string;
  /** The symbol's qualified name alone: `ns::Class::method`. */
  qualifiedName: string;
  /** The function's calling convention; null for data and special symbols. */
  callingConvention: CallConv;
  isFunction: boolean;
}

const MAX_DEPTH = 256;
const MAX_OUTPUT = 32 * 1024;
/** MSVC itself replaces names longer than 4096 characters by an MD5 digest (`??@...@`). */
const MAX_INPUT = 8 * 1024;
const RENDER_BUDGET = 256 * 1024;

class Malformed extends Error {}

function fail(): never {
  throw new Malformed('malformed MSVC name');
}

/** Back-references: up to ten names (`0`-`9` in names) and ten parameter types (`0`-`9` in lists). */
class Backrefs {
  names: string[] = [];
  params: TypeNode[] = [];
}

const PRIMITIVES: Record<string, string> = {
  X: 'void', D: 'char', C: 'signed char', E: 'unsigned char', F: 'short', G: 'unsigned short', H: 'int',
  I: 'unsigned int', J: 'long', K: 'unsigned long', M: 'float', N: 'double', O: 'long double',
};
const UNDERSCORE_PRIMITIVES: Record<string, string> = {
  N: 'bool', J: '__int64', K: 'unsigned __int64', W: 'wchar_t', Q: 'char8_t', S: 'char16_t', U: 'char32_t',
};

const CALLING_CONVENTIONS: Record<string, CallConv> = {
  A: 'cdecl', B: 'cdecl', C: 'pascal', D: 'pascal', E: 'thiscall', F: 'thiscall', G: 'stdcall', H: 'stdcall',
  I: 'fastcall', J: 'fastcall', M: 'clrcall', N: 'clrcall', O: 'eabi', P: 'eabi', Q: 'vectorcall', S: 'swift', W: 'swiftasync',
};

const ACCESS = [FC_PRIVATE, FC_PROTECTED, FC_PUBLIC];
/**
 * Function class letters A-X: access by group of 8 (private, protected, public), then by pairs
 * plain, static, virtual, this-adjusting thunk; the second of each pair is `far`. llvm-undname
 * does not call private thunks (G, H) virtual, so neither do we.
 */
const MEMBER_KINDS = [0, FC_STATIC, FC_VIRTUAL, FC_VIRTUAL | FC_STATIC_THIS_ADJUST];

const BASIC_OPERATORS = [
  null, null, 'operator new', 'operator delete', 'operator=', 'operator>>', 'operator<<', 'operator!', 'operator==',
  'operator!=', 'operator[]', null, 'operator->', 'operator*', 'operator++', 'operator--', 'operator-', 'operator+',
  'operator&', 'operator->*', 'operator/', 'operator%', 'operator<', 'operator<=', 'operator>', 'operator>=',
  'operator,', 'operator()', 'operator~', 'operator^', 'operator|', 'operator&&', 'operator||', 'operator*=',
  'operator+=', 'operator-=',
];
const UNDER_OPERATORS = [
  'operator/=', 'operator%=', 'operator>>=', 'operator<<=', 'operator&=', 'operator|=', 'operator^=', null, null, null,
  null, null, null, "`vbase dtor'", "`vector deleting dtor'", "`default ctor closure'", "`scalar deleting dtor'",
  "`vector ctor iterator'", "`vector dtor iterator'", "`vector vbase ctor iterator'", "`virtual displacement map'",
  "`eh vector ctor iterator'", "`eh vector dtor iterator'", "`eh vector vbase ctor iterator'", "`copy ctor closure'",
  null, null, null, null, "`local vftable ctor closure'", 'operator new[]', 'operator delete[]', null, null, null, null,
];
const DOUBLE_UNDER_OPERATORS: Record<string, string> = {
  A: "`managed vector ctor iterator'",
  B: "`managed vector dtor iterator'",
  C: "`EH vector copy ctor iterator'",
  D: "`EH vector vbase copy ctor iterator'",
  G: "`vector copy ctor iterator'",
  H: "`vector vbase copy constructor iterator'",
  I: "`managed vector vbase copy constructor iterator'",
  L: 'operator co_await',
  M: 'operator<=>',
};

const SPECIAL_TABLES: Record<string, string> = {
  '?_7': "`vftable'",
  '?_8': "`vbtable'",
  '?_S': "`local vftable'",
  '?_R4': "`RTTI Complete Object Locator'",
};

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function operatorIndex(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 55;
  return fail();
}

function qualified(...parts: Identifier[]): QualifiedName {
  return { kind: 'qualified', parts };
}

function named(name: string): Identifier {
  return { kind: 'named', name, templateArgs: null };
}

function render(budget: RenderBudget, put: (p: Printer) => void): string {
  const p = new Printer(MAX_OUTPUT, budget);
  put(p);
  return p.text;
}

/** Matches `?` then a local-scope number (`0`-`9`, `@`, or B-P then A-P then `@`) then `?`. */
function startsWithLocalScope(s: string, pos: number): boolean {
  if (s[pos] !== '?') return false;
  const end = s.indexOf('?', pos + 1);
  if (end < 0) return false;
  const candidate = s.slice(pos + 1, end);
  if (candidate.length === 0) return false;
  if (candidate.length === 1) return candidate === '@' || isDigit(candidate);
  return /^[B-P][A-P]*@$/.test(candidate);
}

class MsvcParser {
  private pos = 0;
  private depth = 0;
  private backrefs = new Backrefs();
  readonly budget: RenderBudget = { remaining: RENDER_BUDGET };

  constructor(private readonly s: string) {}

  private peek(offset = 0): string | undefined {
    return this.s[this.pos + offset];
  }

  private atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  private startsWith(prefix: string): boolean {
    return this.s.startsWith(prefix, this.pos);
  }

  private consume(prefix: string): boolean {
    if (!this.startsWith(prefix)) return false;
    this.pos += prefix.length;
    return true;
  }

  private next(): string {
    const c = this.s[this.pos];
    if (c === undefined) fail();
    this.pos++;
    return c;
  }

  private nested<T>(work: () => T): T {
    if (++this.depth > MAX_DEPTH) fail();
    try {
      return work();
    } finally {
      this.depth--;
    }
  }

  parse(): SymbolNode {
    return this.nested(() => this.parseSymbol());
  }

  private parseSymbol(): SymbolNode {
    if (this.consume('.')) return this.typeinfoName();
    if (this.startsWith('??@')) return this.md5Name();
    if (!this.consume('?')) fail();
    return this.specialIntrinsic() ?? this.declarator();
  }

  private typeinfoName(): SymbolNode {
    const type = this.type('result');
    if (!this.atEnd()) fail();
    return this.describedType(type, "`RTTI Type Descriptor Name'");
  }

  private describedType(type: TypeNode, description: string): VariableSymbol {
    return { kind: 'variable-symbol', name: qualified(named(description)), storage: null, type };
  }

  private md5Name(): SymbolNode {
    const end = this.s.indexOf('@', this.pos + 3);
    if (end < 0) fail();
    const start = this.pos;
    this.pos = end + 1;
    this.consume('??_R4@');
    return { kind: 'plain-symbol', name: qualified(named(this.s.slice(start, this.pos))) };
  }

  private specialIntrinsic(): SymbolNode | null {
    for (const [code, text] of Object.entries(SPECIAL_TABLES)) {
      if (this.consume(code)) return this.specialTable(text);
    }
    if (this.consume('?_9')) return this.vcallThunk();
    if (this.consume('?_A') || this.consume('?_P')) fail();
    if (this.consume('?_B')) return this.localStaticGuard(false);
    if (this.consume('?_C')) return this.stringLiteral();
    if (this.consume('?_R0')) return this.rttiTypeDescriptor();
    if (this.consume('?_R1')) return this.rttiBaseClassDescriptor();
    if (this.consume('?_R2')) return this.untypedVariable("`RTTI Base Class Array'");
    if (this.consume('?_R3')) return this.untypedVariable("`RTTI Class Hierarchy Descriptor'");
    if (this.consume('?__E')) return this.initFiniStub(false);
    if (this.consume('?__F')) return this.initFiniStub(true);
    if (this.consume('?__J')) return this.localStaticGuard(true);
    return null;
  }

  private specialTable(text: string): SpecialTableSymbol {
    const name = this.scopeChain(named(text));
    const front = this.next();
    if (front !== '6' && front !== '7') fail();
    const quals = this.qualifiers().quals;
    const targets: QualifiedName[] = [];
    while (!this.consume('@')) targets.push(this.fullyQualifiedTypeName());
    return { kind: 'special-table', name, quals, targets };
  }

  private vcallThunk(): FunctionSymbol {
    const id: Identifier = { kind: 'vcall', offset: 0n, templateArgs: null };
    const name = this.scopeChain(id);
    if (!this.consume('$B')) fail();
    id.offset = this.unsigned();
    if (!this.consume('A')) fail();
    const signature = this.emptySignature(FC_NO_PARAMETER_LIST);
    signature.thunk = { staticOffset: 0n, vbptrOffset: 0n, vboffsetOffset: 0n, vtordispOffset: 0n };
    signature.callConv = this.callingConvention();
    return { kind: 'function-symbol', name, signature };
  }

  private localStaticGuard(thread: boolean): SymbolNode {
    const id: Identifier = { kind: 'static-guard', thread, scopeIndex: 0n, templateArgs: null };
    const name = this.scopeChain(id);
    if (!this.consume('4IA') && !this.consume('5')) fail();
    if (!this.atEnd()) id.scopeIndex = BigInt.asUintN(32, this.unsigned());
    return { kind: 'plain-symbol', name };
  }

  private stringLiteral(): StringLiteralSymbol {
    if (!this.consume('@_')) fail();
    const wide = this.next();
    if (wide !== '0' && wide !== '1') fail();
    const { value: byteSize, negative } = this.number();
    if (negative || byteSize < (wide === '1' ? 2n : 1n)) fail();
    const crcEnd = this.s.indexOf('@', this.pos);
    if (crcEnd < 0) fail();
    this.pos = crcEnd + 1;
    if (this.atEnd()) fail();
    const decoded = decodeStringLiteral(this.s, this.pos, wide === '1', byteSize);
    if (!decoded) fail();
    this.pos = decoded.end;
    return { kind: 'string-literal', prefix: decoded.prefix, text: decoded.text, truncated: decoded.truncated };
  }

  private rttiTypeDescriptor(): SymbolNode {
    const type = this.type('result');
    if (!this.consume('@8') || !this.atEnd()) fail();
    return this.describedType(type, "`RTTI Type Descriptor'");
  }

  private rttiBaseClassDescriptor(): SymbolNode {
    const numbers = [
      BigInt.asUintN(32, this.unsigned()),
      BigInt.asIntN(32, this.signed()),
      BigInt.asUintN(32, this.unsigned()),
      BigInt.asUintN(32, this.unsigned()),
    ];
    const name = this.scopeChain({ kind: 'rtti-base-class', numbers, templateArgs: null });
    this.consume('8');
    return { kind: 'variable-symbol', name, storage: null, type: null };
  }

  private untypedVariable(text: string): SymbolNode {
    const name = this.scopeChain(named(text));
    if (!this.consume('8')) fail();
    return { kind: 'variable-symbol', name, storage: null, type: null };
  }

  private initFiniStub(destructor: boolean): SymbolNode {
    const knownStaticMember = this.consume('?');
    const symbol = this.nested(() => this.declarator());
    if (symbol.kind === 'variable-symbol') {
      for (let i = 0; i < (knownStaticMember ? 2 : 1); i++) if (!this.consume('@')) fail();
      const fn = this.functionEncoding();
      fn.name = qualified({ kind: 'dynamic-structor', destructor, variable: symbol, name: null, templateArgs: null });
      return fn;
    }
    if (knownStaticMember || symbol.kind !== 'function-symbol') fail();
    symbol.name = qualified({ kind: 'dynamic-structor', destructor, variable: null, name: symbol.name, templateArgs: null });
    return symbol;
  }

  private declarator(): FunctionSymbol | VariableSymbol {
    const name = this.fullyQualifiedSymbolName();
    const symbol = this.encodedSymbol(name);
    const last = name.parts[name.parts.length - 1];
    if (last.kind === 'conversion' && !last.target) fail();
    return symbol;
  }

  private encodedSymbol(name: QualifiedName): FunctionSymbol | VariableSymbol {
    const c = this.peek();
    if (c === undefined) fail();
    if (c >= '0' && c <= '4') return this.variableEncoding(name);
    const fn = this.functionEncoding();
    fn.name = name;
    const last = name.parts[name.parts.length - 1];
    if (last.kind === 'conversion') last.target = fn.signature.returnType;
    return fn;
  }

  private variableEncoding(name: QualifiedName): VariableSymbol {
    const storage = (['private', 'protected', 'public', 'global', 'local'] as const)[Number(this.next())];
    const type = this.type('drop');
    if (type.kind === 'pointer') {
      type.quals |= this.pointerExtQualifiers();
      const extra = this.qualifiers().quals;
      if (type.classParent) this.fullyQualifiedTypeName();
      type.pointee.quals |= extra;
    } else {
      type.quals = this.qualifiers().quals;
    }
    return { kind: 'variable-symbol', name, storage, type };
  }

  private functionEncoding(): FunctionSymbol {
    const externC = this.consume('$$J0') ? FC_EXTERN_C : 0;
    if (this.atEnd()) fail();
    const fc = this.functionClass() | externC;
    const thunk = this.thisAdjust(fc);
    let signature: FunctionSignature;
    if (fc & FC_NO_PARAMETER_LIST) signature = this.emptySignature(fc);
    else signature = this.functionType(!(fc & (FC_GLOBAL | FC_STATIC)));
    signature.funcClass = fc;
    signature.thunk = thunk;
    return { kind: 'function-symbol', name: qualified(), signature };
  }

  private thisAdjust(fc: number): ThisAdjust | null {
    const adjust: ThisAdjust = { staticOffset: 0n, vbptrOffset: 0n, vboffsetOffset: 0n, vtordispOffset: 0n };
    if (fc & FC_STATIC_THIS_ADJUST) {
      adjust.staticOffset = BigInt.asUintN(32, this.signed());
      return adjust;
    }
    if (!(fc & FC_VIRTUAL_THIS_ADJUST)) return null;
    if (fc & FC_VIRTUAL_THIS_ADJUST_EX) {
      adjust.vbptrOffset = BigInt.asIntN(32, this.signed());
      adjust.vboffsetOffset = BigInt.asIntN(32, this.signed());
    }
    adjust.vtordispOffset = BigInt.asIntN(32, this.signed());
    adjust.staticOffset = BigInt.asUintN(32, this.signed());
    return adjust;
  }

  private emptySignature(funcClass: number): FunctionSignature {
    return {
      kind: 'function', quals: 0, callConv: null, funcClass, refQualifier: '', returnType: null,
      variadic: false, params: null, noexcept: false, thunk: null,
    };
  }

  private functionClass(): number {
    const c = this.next();
    if (c === '9') return FC_EXTERN_C | FC_NO_PARAMETER_LIST;
    if (c === 'Y') return FC_GLOBAL;
    if (c === 'Z') return FC_GLOBAL | FC_FAR;
    if (c >= 'A' && c <= 'X') {
      const i = c.charCodeAt(0) - 65;
      const kind = MEMBER_KINDS[(i & 7) >> 1] & (c === 'G' || c === 'H' ? ~FC_VIRTUAL : ~0);
      return ACCESS[i >> 3] | kind | (i & 1 ? FC_FAR : 0);
    }
    if (c === '$') return this.virtualThisAdjustClass();
    return fail();
  }

  private virtualThisAdjustClass(): number {
    const flags = FC_VIRTUAL_THIS_ADJUST | (this.consume('R') ? FC_VIRTUAL_THIS_ADJUST_EX : 0);
    const c = this.next();
    if (c < '0' || c > '5') fail();
    const i = c.charCodeAt(0) - 48;
    return ACCESS[i >> 1] | FC_VIRTUAL | flags | (i & 1 ? FC_FAR : 0);
  }

  private callingConvention(): CallConv {
    return CALLING_CONVENTIONS[this.next()] ?? null;
  }

  private functionType(hasThisQuals: boolean): FunctionSignature {
    const f = this.emptySignature(FC_GLOBAL);
    if (hasThisQuals) {
      f.quals = this.pointerExtQualifiers();
      if (this.consume('G')) f.refQualifier = ' &';
      else if (this.consume('H')) f.refQualifier = ' &&';
      f.quals |= this.qualifiers().quals;
    }
    f.callConv = this.callingConvention();
    if (!this.consume('@')) f.returnType = this.type('result');
    const list = this.parameterList();
    f.params = list.params;
    f.variadic = list.variadic;
    if (this.consume('_E')) f.noexcept = true;
    else if (!this.consume('Z')) fail();
    return f;
  }

  private parameterList(): { params: TypeNode[] | null; variadic: boolean } {
    if (this.consume('X')) return { params: null, variadic: false };
    const params: TypeNode[] = [];
    while (!this.startsWith('@') && !this.startsWith('Z')) {
      if (this.atEnd()) fail();
      params.push(this.parameter());
    }
    return { params, variadic: this.next() === 'Z' };
  }

  private parameter(): TypeNode {
    if (isDigit(this.peek())) {
      const found = this.backrefs.params[Number(this.next())];
      return found ?? fail();
    }
    const start = this.pos;
    const type = this.type('drop');
    if (this.backrefs.params.length < 10 && this.pos - start > 1) this.backrefs.params.push(type);
    return type;
  }

  private pointerExtQualifiers(): number {
    let quals = 0;
    if (this.consume('E')) quals |= Q_PTR64;
    if (this.consume('I')) quals |= Q_RESTRICT;
    if (this.consume('F')) quals |= Q_UNALIGNED;
    return quals;
  }

  private qualifiers(): { quals: number; member: boolean } {
    const c = this.next();
    const index = 'ABCDQRST'.indexOf(c);
    if (index < 0) fail();
    return { quals: index & 3, member: index >= 4 };
  }

  private type(mode: 'mangle' | 'result' | 'drop'): TypeNode {
    return this.nested(() => {
      let quals = 0;
      if (mode === 'mangle' || (mode === 'result' && this.consume('?'))) quals = this.qualifiers().quals;
      const type = this.unqualifiedType();
      type.quals |= quals;
      return type;
    });
  }

  private unqualifiedType(): TypeNode {
    const c = this.peek();
    if (c === undefined) fail();
    if ('TUVW'.includes(c)) return this.classType();
    if (this.startsWith('$$Q') || 'APQRS'.includes(c)) {
      return this.isMemberPointer() ? this.memberPointerType() : this.pointerType();
    }
    if (c === 'Y') return this.arrayType();
    if (this.consume('$$A8@@')) return this.functionType(true);
    if (this.consume('$$A6')) return this.functionType(false);
    if (c === '?') return this.customType();
    return this.primitiveType();
  }

  private isMemberPointer(): boolean {
    const c = this.s[this.pos];
    if (c === '$' || c === 'A') return false;
    let i = this.pos + 1;
    const d = this.s[i];
    if (isDigit(d)) {
      if (d !== '6' && d !== '8') fail();
      return d === '8';
    }
    for (const ext of 'EIF') if (this.s[i] === ext) i++;
    const next = this.s[i];
    if (next === undefined) fail();
    if ('ABCD'.includes(next)) return false;
    if ('QRST'.includes(next)) return true;
    return fail();
  }

  private pointerCv(): { quals: number; affinity: PointerType['affinity'] } {
    if (this.consume('$$Q')) return { quals: 0, affinity: '&&' };
    const c = this.next();
    if (c === 'A') return { quals: 0, affinity: '&' };
    return { quals: 'PQRS'.indexOf(c), affinity: '*' };
  }

  private pointerType(): PointerType {
    const { quals, affinity } = this.pointerCv();
    if (this.consume('6')) {
      return { kind: 'pointer', quals, affinity, classParent: null, pointee: this.functionType(false) };
    }
    const allQuals = quals | this.pointerExtQualifiers();
    return { kind: 'pointer', quals: allQuals, affinity, classParent: null, pointee: this.type('mangle') };
  }

  private memberPointerType(): PointerType {
    const { quals, affinity } = this.pointerCv();
    const allQuals = quals | this.pointerExtQualifiers();
    if (this.consume('8')) {
      const classParent = this.fullyQualifiedTypeName();
      return { kind: 'pointer', quals: allQuals, affinity, classParent, pointee: this.functionType(true) };
    }
    const pointeeQuals = this.qualifiers().quals;
    const classParent = this.fullyQualifiedTypeName();
    const pointee = this.type('drop');
    pointee.quals = pointeeQuals;
    return { kind: 'pointer', quals: allQuals, affinity, classParent, pointee };
  }

  private classType(): TagType {
    const c = this.next();
    const tag = ({ T: 'union', U: 'struct', V: 'class', W: 'enum' } as const)[c as 'T' | 'U' | 'V' | 'W'];
    if (tag === 'enum' && !this.consume('4')) fail();
    return { kind: 'tag', quals: 0, tag, name: this.fullyQualifiedTypeName() };
  }

  private arrayType(): ArrayType {
    this.pos++;
    const rank = this.number();
    if (rank.negative || rank.value === 0n) fail();
    const dims: bigint[] = [];
    for (let i = 0n; i < rank.value; i++) {
      const d = this.number();
      if (d.negative) fail();
      dims.push(d.value);
    }
    let quals = 0;
    if (this.consume('$$C')) {
      const q = this.qualifiers();
      if (q.member) fail();
      quals = q.quals;
    }
    return { kind: 'array', quals, dims, element: this.type('drop') };
  }

  private customType(): CustomType {
    this.pos++;
    const id = this.unqualifiedTypeName(true);
    if (!this.consume('@')) fail();
    return { kind: 'custom', quals: 0, id };
  }

  private primitiveType(): PrimitiveType {
    if (this.consume('$$T')) return { kind: 'primitive', name: 'std::nullptr_t', quals: 0 };
    const c = this.next();
    const name = c === '_' ? UNDERSCORE_PRIMITIVES[this.next()] : PRIMITIVES[c];
    if (name === undefined) fail();
    return { kind: 'primitive', name, quals: 0 };
  }

  private number(): { value: bigint; negative: boolean } {
    const negative = this.consume('?');
    const c = this.peek();
    if (isDigit(c)) {
      this.pos++;
      return { value: BigInt(Number(c) + 1), negative };
    }
    let value = 0n;
    for (let i = this.pos; i < this.s.length; i++) {
      const d = this.s[i];
      if (d === '@') {
        this.pos = i + 1;
        return { value, negative };
      }
      if (d < 'A' || d > 'P') break;
      value = BigInt.asUintN(64, value * 16n + BigInt(d.charCodeAt(0) - 65));
    }
    return fail();
  }

  private unsigned(): bigint {
    const n = this.number();
    if (n.negative) fail();
    return n.value;
  }

  private signed(): bigint {
    const n = this.number();
    if (n.value > 0x7fffffffffffffffn) fail();
    return n.negative ? -n.value : n.value;
  }

  private memorize(name: string): void {
    const names = this.backrefs.names;
    if (names.length < 10 && !names.includes(name)) names.push(name);
  }

  private memorizeIdentifier(id: Identifier): void {
    this.memorize(render(this.budget, (p) => putIdentifier(p, id)));
  }

  private backrefName(): Identifier {
    const found = this.backrefs.names[Number(this.next())];
    return found === undefined ? fail() : named(found);
  }

  private simpleString(memorize: boolean): string {
    const end = this.s.indexOf('@', this.pos);
    if (end <= this.pos) fail();
    const text = this.s.slice(this.pos, end);
    this.pos = end + 1;
    if (memorize) this.memorize(text);
    return text;
  }

  private templateInstantiationName(template: boolean): Identifier {
    this.pos += 2;
    const outer = this.backrefs;
    this.backrefs = new Backrefs();
    let id: Identifier;
    try {
      id = this.nested(() => this.unqualifiedSymbolName(true));
      id.templateArgs = this.templateArgs();
    } finally {
      this.backrefs = outer;
    }
    if (template) {
      if (id.kind === 'conversion' || id.kind === 'structor') fail();
      this.memorizeIdentifier(id);
    }
    return id;
  }

  private unqualifiedTypeName(memorize: boolean): Identifier {
    if (isDigit(this.peek())) return this.backrefName();
    if (this.startsWith('?$')) return this.templateInstantiationName(true);
    return named(this.simpleString(memorize));
  }

  private unqualifiedSymbolName(simple: boolean): Identifier {
    if (isDigit(this.peek())) return this.backrefName();
    if (this.startsWith('?$')) return this.templateInstantiationName(false);
    if (this.startsWith('?')) return this.functionIdentifierCode();
    return named(this.simpleString(simple));
  }

  private functionIdentifierCode(): Identifier {
    this.pos++;
    if (this.atEnd()) fail();
    if (this.consume('__')) return this.doubleUnderOperator();
    if (this.consume('_')) return this.intrinsic(UNDER_OPERATORS[operatorIndex(this.next())]);
    const c = this.next();
    if (c === '0' || c === '1') return { kind: 'structor', destructor: c === '1', cls: null, templateArgs: null };
    if (c === 'B') return { kind: 'conversion', target: null, templateArgs: null };
    return this.intrinsic(BASIC_OPERATORS[operatorIndex(c)]);
  }

  private doubleUnderOperator(): Identifier {
    const c = this.next();
    operatorIndex(c);
    if (c === 'K') return { kind: 'literal-operator', name: this.simpleString(false), templateArgs: null };
    return this.intrinsic(DOUBLE_UNDER_OPERATORS[c]);
  }

  /** Codes with no operator still parse (llvm-undname prints them as an empty name). */
  private intrinsic(text: string | null | undefined): IntrinsicId {
    return { kind: 'intrinsic', text: text ?? '', templateArgs: null };
  }

  private templateArgs(): TemplateArg[] {
    const args: TemplateArg[] = [];
    while (!this.startsWith('@')) {
      if (this.atEnd()) fail();
      if (this.consume('$S') || this.consume('$$V') || this.consume('$$$V') || this.consume('$$Z')) continue;
      args.push(this.templateArg());
    }
    this.pos++;
    return args;
  }

  private templateArg(): TemplateArg {
    if (this.consume('$$Y')) return this.fullyQualifiedTypeName();
    if (this.consume('$$B')) return this.type('drop');
    if (this.consume('$$C')) return this.type('mangle');
    if (/^\$[1HIJ]/.test(this.s.slice(this.pos, this.pos + 2))) return this.memberPointerArg();
    if (this.startsWith('$E?')) {
      this.pos += 2;
      return { kind: 'param-ref', symbol: this.parse(), offsets: [], affinity: '&' };
    }
    if (this.consume('$F')) return this.dataMemberPointerArg(2);
    if (this.consume('$G')) return this.dataMemberPointerArg(3);
    if (this.consume('$0')) {
      const { value, negative } = this.number();
      return { kind: 'integer', value, negative };
    }
    return this.type('drop');
  }

  private memberPointerArg(): TemplateParamRef {
    this.pos++;
    const inheritance = this.next();
    let symbol: SymbolNode | null = null;
    if (this.startsWith('?')) {
      symbol = this.parse();
      if (symbol.kind === 'string-literal') fail();
      const parts = symbol.name.parts;
      this.memorizeIdentifier(parts[parts.length - 1]);
    }
    const offsets: bigint[] = [];
    const count = '1HIJ'.indexOf(inheritance);
    for (let i = 0; i < count; i++) offsets.push(this.signed());
    return { kind: 'param-ref', symbol, offsets, affinity: '*' };
  }

  private dataMemberPointerArg(count: number): TemplateParamRef {
    const offsets: bigint[] = [];
    for (let i = 0; i < count; i++) offsets.push(this.signed());
    return { kind: 'param-ref', symbol: null, offsets, affinity: '' };
  }

  private fullyQualifiedTypeName(): QualifiedName {
    return this.scopeChain(this.unqualifiedTypeName(true));
  }

  private fullyQualifiedSymbolName(): QualifiedName {
    const id = this.unqualifiedSymbolName(true);
    const name = this.scopeChain(id);
    if (id.kind === 'structor') {
      if (name.parts.length < 2) fail();
      id.cls = name.parts[name.parts.length - 2];
    }
    return name;
  }

  private scopeChain(innermost: Identifier): QualifiedName {
    const parts = [innermost];
    while (!this.consume('@')) {
      if (this.atEnd()) fail();
      parts.unshift(this.nested(() => this.scopePiece()));
    }
    return qualified(...parts);
  }

  private scopePiece(): Identifier {
    if (isDigit(this.peek())) return this.backrefName();
    if (this.startsWith('?$')) return this.templateInstantiationName(true);
    if (this.startsWith('?A')) return this.anonymousNamespace();
    if (startsWithLocalScope(this.s, this.pos)) return this.localScope();
    return named(this.simpleString(true));
  }

  private anonymousNamespace(): Identifier {
    this.pos += 2;
    const end = this.s.indexOf('@', this.pos);
    if (end < 0) fail();
    this.memorize(this.s.slice(this.pos, end));
    this.pos = end + 1;
    return named("`anonymous namespace'");
  }

  private localScope(): Identifier {
    this.pos++;
    const { value } = this.number();
    this.consume('?');
    const scope = this.parse();
    return named(`\`${render(this.budget, (p) => putSymbol(p, scope))}'::\`${value}'`);
  }
}

/** Undecorates an MSVC C++ name as llvm-undname would, or returns null when it is not one. */
export function demangleMsvc(raw: string): MsvcDemangled | null {
  if (raw.length > MAX_INPUT) return null;
  try {
    const parser = new MsvcParser(raw);
    const symbol = parser.parse();
    const text = render(parser.budget, (p) => putSymbol(p, symbol));
    return {
      text,
      qualifiedName: symbolName(symbol, parser.budget),
      callingConvention: symbol.kind === 'function-symbol' ? symbol.signature.callConv : null,
      isFunction: symbol.kind === 'function-symbol',
    };
  } catch (error) {
    if (error instanceof Malformed || error instanceof OutputTooLong || error instanceof RangeError) return null;
    throw error;
  }
}

function symbolName(symbol: SymbolNode, budget: RenderBudget): string {
  if (symbol.kind === 'string-literal') return render(budget, (p) => putSymbol(p, symbol));
  return render(budget, (p) => putQualifiedName(p, symbol.name));
}
