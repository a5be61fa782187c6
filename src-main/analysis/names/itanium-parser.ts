/**
 * Parses an Itanium C++ ABI mangled name (`_Z...`) into a component tree, following the grammar
 * and the GNU extensions that libiberty (and so c++filt) accepts. A failed production returns
 * null, which its callers pass on, as in the grammar's reference demangler.
 */
import { Comp, childrenValid, isFnQual } from './itanium-nodes.ts';
import type { CompType } from './itanium-nodes.ts';
import { BFLOAT16, BUILTIN_BY_D_LETTER, BUILTIN_BY_LETTER, FLOAT_N, OPERATORS, STANDARD_SUBS } from './itanium-tables.ts';
import type { BuiltinInfo } from './itanium-tables.ts';

const INT_MAX = 0x7fffffff;
const FUNCTION_TYPE_RECURSION_LIMIT = 2048;
/** JavaScript's stack is the real limit here; real names nest a few dozen levels at most. */
const MAX_DEPTH = 1024;

export class TooDeep extends Error {}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isLower(c: string): boolean {
  return c >= 'a' && c <= 'z';
}
function isUpper(c: string): boolean {
  return c >= 'A' && c <= 'Z';
}

/** A chain of cv-qualifiers whose innermost `left` is still to be filled. */
interface QualChain { first: Comp | null; last: Comp | null }

function fillChain(chain: QualChain, inner: Comp): Comp {
  if (!chain.last) return inner;
  chain.last.left = inner;
  return chain.first as Comp;
}

const CTOR_KINDS = '12345';
const DTOR_KINDS = '01245';
const TYPE_QUALS: Record<string, [CompType, CompType]> = {
  r: ['restrict', 'restrict-this'],
  V: ['volatile', 'volatile-this'],
  K: ['const', 'const-this'],
};
const TO_THIS: Partial<Record<CompType, CompType>> = { restrict: 'restrict-this', volatile: 'volatile-this', const: 'const-this' };
const SIMPLE_MODIFIERS: Record<string, CompType> = {
  O: 'rvalue-reference', P: 'pointer', R: 'reference', C: 'complex', G: 'imaginary',
};
const SPECIAL_TYPE_NAMES: Record<string, CompType> = {
  V: 'vtable', T: 'vtt', I: 'typeinfo', S: 'typeinfo-name', F: 'typeinfo-fn', J: 'java-class',
};

export class ItaniumParser {
  pos = 0;
  /** Set when an ambiguous `sr` was read the newer way; the caller then retries the older way. */
  unresolvedNameState: number;
  private subs: Comp[] = [];
  private lastName: Comp | null = null;
  private isExpression = false;
  private isConversion = false;
  private functionTypeDepth = 0;
  private depth = 0;
  private comps = 0;
  private readonly maxComps: number;
  private readonly maxSubs: number;

  constructor(private readonly s: string, unresolvedNameState: number) {
    this.unresolvedNameState = unresolvedNameState;
    this.maxComps = 2 * s.length;
    this.maxSubs = s.length;
  }

  atEnd(): boolean {
    return this.peek() === '\0';
  }

  peek(): string {
    return this.s[this.pos] ?? '\0';
  }

  private peekNext(): string {
    return this.s[this.pos + 1] ?? '\0';
  }

  private advance(n: number): void {
    this.pos += n;
  }

  private check(c: string): boolean {
    if (this.peek() !== c) return false;
    this.pos++;
    return true;
  }

  private next(): string {
    const c = this.peek();
    if (c !== '\0') this.pos++;
    return c;
  }

  private nested<T>(work: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new TooDeep('mangled name nests too deeply');
    try {
      return work();
    } finally {
      this.depth--;
    }
  }

  private empty(type: CompType): Comp | null {
    if (this.comps >= this.maxComps) return null;
    this.comps++;
    return new Comp(type);
  }

  private make(type: CompType, left: Comp | null, right: Comp | null): Comp | null {
    if (!childrenValid(type, left, right)) return null;
    const c = this.empty(type);
    if (c) {
      c.left = left;
      c.right = right;
    }
    return c;
  }

  private makeName(text: string): Comp | null {
    if (text.length === 0) return null;
    const c = this.empty('name');
    if (c) c.text = text;
    return c;
  }

  private makeNumbered(type: CompType, num: number, left: Comp | null = null): Comp | null {
    const c = this.empty(type);
    if (c) {
      c.num = num;
      c.left = left;
    }
    return c;
  }

  private makeBuiltin(info: BuiltinInfo): Comp | null {
    const c = this.empty('builtin-type');
    if (c) c.builtin = info;
    return c;
  }

  private makeSub(text: string): Comp | null {
    const c = this.empty('sub-std');
    if (c) c.text = text;
    return c;
  }

  private addSubstitution(dc: Comp | null): boolean {
    if (!dc || this.subs.length >= this.maxSubs) return false;
    this.subs.push(dc);
    return true;
  }

  /** `_GLOBAL_.I.` / `_GLOBAL_.D.` static constructor and destructor names. */
  globalStructors(kind: 'global-constructors' | 'global-destructors'): Comp | null {
    this.advance(11);
    let inner: Comp | null;
    if (this.peek() !== '_' || this.peekNext() !== 'Z') inner = this.makeName(this.s.slice(this.pos));
    else {
      this.advance(2);
      inner = this.encoding(false);
    }
    const dc = this.make(kind, inner, null);
    this.pos = this.s.length;
    return dc;
  }

  mangledName(topLevel: boolean): Comp | null {
    if (!this.check('_') && topLevel) return null;
    if (!this.check('Z')) return null;
    let p = this.encoding(topLevel);
    if (topLevel) {
      while (this.peek() === '.' && (isLower(this.peekNext()) || this.peekNext() === '_' || isDigit(this.peekNext()))) {
        p = this.cloneSuffix(p);
      }
    }
    return p;
  }

  private encoding(topLevel: boolean): Comp | null {
    return this.nested(() => {
      const peek = this.peek();
      if (peek === 'G' || peek === 'T') return this.specialName();
      let dc = this.name(false);
      if (!dc) return null;
      const after = this.peek();
      if (after === '\0' || after === 'E') return dc;
      const ftype = this.bareFunctionType(hasReturnType(dc));
      if (!ftype) return null;
      if (!topLevel && dc.type === 'local-name' && ftype.type === 'function-type') ftype.left = null;
      dc = this.make('typed-name', dc, ftype);
      return dc;
    });
  }

  private abiTags(dc: Comp | null): Comp | null {
    const holdLastName = this.lastName;
    while (this.peek() === 'B') {
      this.advance(1);
      const tag = this.sourceName();
      dc = this.make('tagged-name', dc, tag);
    }
    this.lastName = holdLastName;
    return dc;
  }

  private name(substable: boolean): Comp | null {
    return this.nested(() => this.nameInner(substable));
  }

  private nameInner(substable: boolean): Comp | null {
    const peek = this.peek();
    let dc: Comp | null = null;
    let subst = false;
    if (peek === 'N') dc = this.nestedName();
    else if (peek === 'Z') dc = this.localName();
    else if (peek === 'U') dc = this.unqualifiedName(null, null);
    else {
      let module: Comp | null = null;
      if (peek === 'S') {
        if (this.peekNext() === 't') {
          this.advance(2);
          dc = this.makeName('std');
        }
        if (this.peek() === 'S') {
          module = this.substitution(false);
          if (!module) return null;
          if (module.type !== 'module-name' && module.type !== 'module-partition') {
            if (dc) return null;
            subst = true;
            dc = module;
            module = null;
          }
        }
      }
      if (!subst) dc = this.unqualifiedName(dc, module);
      if (this.peek() === 'I') {
        if (!subst && !this.addSubstitution(dc)) return null;
        dc = this.make('template', dc, this.templateArgs());
        subst = false;
      }
    }
    if (substable && !subst && !this.addSubstitution(dc)) return null;
    return dc;
  }

  private nestedName(): Comp | null {
    if (!this.check('N')) return null;
    const chain = this.cvQualifiers(true);
    if (!chain) return null;
    const rqual = this.refQualifier(null);
    const prefix = this.prefix(true);
    if (!prefix) return null;
    let ret = fillChain(chain, prefix);
    if (rqual) {
      rqual.left = ret;
      ret = rqual;
    }
    if (!this.check('E')) return null;
    return ret;
  }

  private prefix(substable: boolean): Comp | null {
    let ret: Comp | null = null;
    for (;;) {
      const peek = this.peek();
      if (peek === 'D' && (this.peekNext() === 'T' || this.peekNext() === 't')) {
        if (ret) return null;
        ret = this.type();
      } else if (peek === 'I') {
        if (!ret) return null;
        const args = this.templateArgs();
        if (!args) return null;
        ret = this.make('template', ret, args);
      } else if (peek === 'T') {
        if (ret) return null;
        ret = this.templateParam();
      } else if (peek === 'M') {
        this.advance(1);
        continue;
      } else {
        let module: Comp | null = null;
        if (peek === 'S') {
          module = this.substitution(true);
          if (!module) return null;
          if (module.type !== 'module-name' && module.type !== 'module-partition') {
            if (ret) return null;
            ret = module;
            continue;
          }
        }
        ret = this.unqualifiedName(ret, module);
      }
      if (!ret || this.peek() === 'E') break;
      if (substable && !this.addSubstitution(ret)) return null;
    }
    return ret;
  }

  private maybeModuleName(module: Comp | null): { ok: boolean; module: Comp | null } {
    while (this.peek() === 'W') {
      this.advance(1);
      let code: CompType = 'module-name';
      if (this.peek() === 'P') {
        code = 'module-partition';
        this.advance(1);
      }
      module = this.make(code, module, this.sourceName());
      if (!module || !this.addSubstitution(module)) return { ok: false, module };
    }
    return { ok: true, module };
  }

  private unqualifiedName(scope: Comp | null, module: Comp | null): Comp | null {
    const withModule = this.maybeModuleName(module);
    if (!withModule.ok) return null;
    let peek = this.peek();
    let memberLikeFriend = false;
    if (peek === 'F') {
      memberLikeFriend = true;
      this.advance(1);
      peek = this.peek();
    }
    let ret = this.unqualifiedNameBody(peek);
    if (ret === undefined) return null;
    if (withModule.module) ret = this.make('module-entity', ret, withModule.module);
    if (this.peek() === 'B') ret = this.abiTags(ret);
    if (memberLikeFriend) ret = this.make('friend', ret, null);
    if (scope) ret = this.make('qual-name', scope, ret);
    return ret;
  }

  /** Returns undefined where the grammar fails outright (before any tags or scope apply). */
  private unqualifiedNameBody(peek: string): Comp | null | undefined {
    if (isDigit(peek)) return this.sourceName();
    if (isLower(peek)) return this.operatorAsName(peek);
    if (peek === 'D' && this.peekNext() === 'C') return this.structuredBinding();
    if (peek === 'C' || peek === 'D') return this.ctorDtorName();
    if (peek === 'L') {
      this.advance(1);
      const ret = this.sourceName();
      if (!ret || !this.discriminator()) return undefined;
      return ret;
    }
    if (peek === 'U') {
      if (this.peekNext() === 'l') return this.lambda();
      if (this.peekNext() === 't') return this.unnamedType();
    }
    return undefined;
  }

  private operatorAsName(peek: string): Comp | null {
    const wasExpression = this.isExpression;
    if (peek === 'o' && this.peekNext() === 'n') {
      this.advance(2);
      this.isExpression = false;
    }
    let ret = this.operatorName();
    this.isExpression = wasExpression;
    if (ret && ret.type === 'operator' && ret.op?.code === 'li') ret = this.make('unary', ret, this.sourceName());
    return ret;
  }

  private structuredBinding(): Comp | null {
    this.advance(2);
    let ret: Comp | null = null;
    let prev: Comp | null = null;
    do {
      const next = this.make('structured-binding', this.sourceName(), null);
      if (prev) prev.right = next;
      else ret = next;
      prev = next;
    } while (prev && this.peek() !== 'E');
    if (!prev) return null;
    this.advance(1);
    return ret;
  }

  private sourceName(): Comp | null {
    const len = this.number();
    if (len <= 0) return null;
    const ret = this.identifier(len);
    this.lastName = ret;
    return ret;
  }

  private number(): number {
    let negative = false;
    let peek = this.peek();
    if (peek === 'n') {
      negative = true;
      this.advance(1);
      peek = this.peek();
    }
    let ret = 0;
    while (isDigit(peek)) {
      const digit = peek.charCodeAt(0) - 48;
      if (ret > Math.trunc((INT_MAX - digit) / 10)) return -1;
      ret = ret * 10 + digit;
      this.advance(1);
      peek = this.peek();
    }
    return negative ? -ret : ret;
  }

  private numberComponent(): Comp | null {
    const c = this.empty('number');
    if (c) c.num = this.number();
    return c;
  }

  private identifier(len: number): Comp | null {
    if (this.s.length - this.pos < len) return null;
    const name = this.s.slice(this.pos, this.pos + len);
    this.advance(len);
    if (len >= 10 && name.startsWith('_GLOBAL_') && '._$'.includes(name[8]) && name[9] === 'N') {
      return this.makeName('(anonymous namespace)');
    }
    return this.makeName(name);
  }

  private operatorName(): Comp | null {
    const c1 = this.next();
    const c2 = this.next();
    if (c1 === 'v' && isDigit(c2)) {
      const name = this.sourceName();
      return name ? this.makeNumbered('extended-operator', c2.charCodeAt(0) - 48, name) : null;
    }
    if (c1 === 'c' && c2 === 'v') return this.conversionOperator();
    const op = OPERATORS.get(c1 + c2);
    if (!op) return null;
    const c = this.empty('operator');
    if (c) c.op = op;
    return c;
  }

  private conversionOperator(): Comp | null {
    const wasConversion = this.isConversion;
    this.isConversion = !this.isExpression;
    const type = this.type();
    const res = this.make(this.isConversion ? 'conversion' : 'cast', type, null);
    this.isConversion = wasConversion;
    return res;
  }

  private specialName(): Comp | null {
    if (this.check('T')) return this.specialT(this.next());
    if (this.check('G')) return this.specialG(this.next());
    return null;
  }

  private specialT(c: string): Comp | null {
    const typeName = SPECIAL_TYPE_NAMES[c];
    if (typeName) return this.make(typeName, this.type(), null);
    switch (c) {
      case 'h':
        return this.callOffset('h') ? this.make('thunk', this.encoding(false), null) : null;
      case 'v':
        return this.callOffset('v') ? this.make('virtual-thunk', this.encoding(false), null) : null;
      case 'c':
        if (!this.callOffset('\0') || !this.callOffset('\0')) return null;
        return this.make('covariant-thunk', this.encoding(false), null);
      case 'C':
        return this.constructionVtable();
      case 'H':
        return this.make('tls-init', this.name(false), null);
      case 'W':
        return this.make('tls-wrapper', this.name(false), null);
      case 'A':
        return this.make('tparm-obj', this.templateArg(), null);
      default:
        return null;
    }
  }

  private constructionVtable(): Comp | null {
    const derived = this.type();
    if (this.number() < 0 || !this.check('_')) return null;
    const base = this.type();
    return this.make('construction-vtable', base, derived);
  }

  private specialG(c: string): Comp | null {
    switch (c) {
      case 'V':
        return this.make('guard', this.name(false), null);
      case 'R': {
        const name = this.name(false);
        return this.make('reftemp', name, this.numberComponent());
      }
      case 'A':
        return this.make('hidden-alias', this.encoding(false), null);
      case 'I': {
        const m = this.maybeModuleName(null);
        return m.ok && m.module ? this.make('module-init', m.module, null) : null;
      }
      case 'T':
        return this.make(this.next() === 'n' ? 'nontransaction-clone' : 'transaction-clone', this.encoding(false), null);
      default:
        return null;
    }
  }

  private callOffset(c: string): boolean {
    if (c === '\0') c = this.next();
    if (c === 'h') this.number();
    else if (c === 'v') {
      this.number();
      if (!this.check('_')) return false;
      this.number();
    } else return false;
    return this.check('_');
  }

  private ctorDtorName(): Comp | null {
    if (this.peek() === 'C') {
      let inheriting = false;
      if (this.peekNext() === 'I') {
        inheriting = true;
        this.advance(1);
      }
      const kind = CTOR_KINDS.indexOf(this.peekNext());
      if (kind < 0 || this.peekNext() === '\0') return null;
      this.advance(2);
      if (inheriting) this.type();
      return this.lastName ? this.makeNumbered('ctor', kind + 1, this.lastName) : null;
    }
    if (this.peek() === 'D') {
      const kind = DTOR_KINDS.indexOf(this.peekNext());
      if (kind < 0 || this.peekNext() === '\0') return null;
      this.advance(2);
      return this.lastName ? this.makeNumbered('dtor', kind, this.lastName) : null;
    }
    return null;
  }

  private nextIsTypeQual(): boolean {
    const peek = this.peek();
    if (peek === 'r' || peek === 'V' || peek === 'K') return true;
    return peek === 'D' && 'xoOw'.includes(this.peekNext()) && this.peekNext() !== '\0';
  }

  type(): Comp | null {
    return this.nested(() => (this.nextIsTypeQual() ? this.qualifiedType() : this.unqualifiedType()));
  }

  private qualifiedType(): Comp | null {
    const chain = this.cvQualifiers(false);
    if (!chain || !chain.last) return null;
    const inner = this.peek() === 'F' ? this.functionType() : this.type();
    if (!inner) return null;
    let ret = fillChain(chain, inner);
    if (inner.type === 'rvalue-reference-this' || inner.type === 'reference-this') {
      chain.last.left = inner.left;
      inner.left = ret;
      ret = inner;
    }
    return this.addSubstitution(ret) ? ret : null;
  }

  private unqualifiedType(): Comp | null {
    const peek = this.peek();
    const builtin = BUILTIN_BY_LETTER[peek];
    if (builtin) {
      this.advance(1);
      return this.makeBuiltin(builtin);
    }
    if (peek === 'D') {
      this.advance(1);
      return this.dType(this.next());
    }
    if (peek !== 'F' && peek !== 'A' && peek !== 'M' && peek !== 'T' && peek !== 'u' && peek !== 'U' && !SIMPLE_MODIFIERS[peek]) {
      return this.name(true);
    }
    const ret = this.substitutableType(peek);
    return this.addSubstitution(ret) ? ret : null;
  }

  private substitutableType(peek: string): Comp | null {
    const modifier = SIMPLE_MODIFIERS[peek];
    if (modifier) {
      this.advance(1);
      return this.make(modifier, this.type(), null);
    }
    switch (peek) {
      case 'u':
        this.advance(1);
        return this.make('vendor-type', this.sourceName(), null);
      case 'F':
        return this.functionType();
      case 'A':
        return this.arrayType();
      case 'M':
        return this.pointerToMemberType();
      case 'T':
        return this.templateParamType();
      default:
        return this.vendorQualifiedType();
    }
  }

  private vendorQualifiedType(): Comp | null {
    this.advance(1);
    let ret = this.sourceName();
    if (this.peek() === 'I') ret = this.make('template', ret, this.templateArgs());
    return this.make('vendor-type-qual', this.type(), ret);
  }

  /** `T_` possibly followed by template args (a template template parameter). */
  private templateParamType(): Comp | null {
    let ret = this.templateParam();
    if (this.peek() !== 'I') return ret;
    if (!this.isConversion) {
      if (!this.addSubstitution(ret)) return null;
      return this.make('template', ret, this.templateArgs());
    }
    const saved = { pos: this.pos, comps: this.comps, subs: this.subs.length };
    const args = this.templateArgs();
    if (this.peek() === 'I') {
      if (!this.addSubstitution(ret)) return null;
      ret = this.make('template', ret, args);
    } else {
      this.pos = saved.pos;
      this.comps = saved.comps;
      this.subs.length = saved.subs;
    }
    return ret;
  }

  /** Types spelt `D` + letter; only decltype, pack expansions and vectors are substitutable. */
  private dType(c: string): Comp | null {
    const builtin = BUILTIN_BY_D_LETTER[c];
    if (builtin) return this.makeBuiltin(builtin);
    switch (c) {
      case 'T':
      case 't': {
        const ret = this.make('decltype', this.expression(), null);
        if (ret && this.next() !== 'E') return null;
        return this.addSubstitution(ret) ? ret : null;
      }
      case 'p': {
        const ret = this.make('pack-expansion', this.type(), null);
        return this.addSubstitution(ret) ? ret : null;
      }
      case 'a':
        return this.makeName('auto');
      case 'c':
        return this.makeName('decltype(auto)');
      case 'F':
        return this.floatN();
      case 'v': {
        const ret = this.vectorType();
        return this.addSubstitution(ret) ? ret : null;
      }
      default:
        return null;
    }
  }

  private floatN(): Comp | null {
    const arg = this.number();
    if (this.peek() === 'b') {
      if (arg !== 16) return null;
      this.advance(1);
      return this.makeBuiltin(BFLOAT16);
    }
    const suffix = this.peek() === 'x' ? 'x' : '';
    if (!suffix && this.peek() !== '_') return null;
    const ret = this.empty('extended-builtin-type');
    if (ret) {
      ret.builtin = FLOAT_N;
      ret.num = arg;
      ret.suffix = suffix;
    }
    this.advance(1);
    return ret;
  }

  private cvQualifiers(memberFn: boolean): QualChain | null {
    const chain: QualChain = { first: null, last: null };
    let peek = this.peek();
    while (this.nextIsTypeQual()) {
      this.advance(1);
      const comp = this.oneQualifier(peek, memberFn);
      if (!comp) return null;
      if (chain.last) chain.last.left = comp;
      else chain.first = comp;
      chain.last = comp;
      peek = this.peek();
    }
    if (!memberFn && peek === 'F') {
      for (let c = chain.first; c; c = c === chain.last ? null : c.left) c.type = TO_THIS[c.type] ?? c.type;
    }
    return chain;
  }

  private oneQualifier(peek: string, memberFn: boolean): Comp | null {
    const simple = TYPE_QUALS[peek];
    if (simple) return this.make(simple[memberFn ? 1 : 0], null, null);
    const c = this.next();
    if (c === 'x') return this.make('transaction-safe', null, null);
    if (c === 'o') return this.make('noexcept', null, null);
    if (c === 'O') {
      const right = this.expression();
      if (!right || !this.check('E')) return null;
      return this.make('noexcept', null, right);
    }
    if (c === 'w') {
      const right = this.parmlist();
      if (!right || !this.check('E')) return null;
      return this.make('throw-spec', null, right);
    }
    return null;
  }

  private refQualifier(sub: Comp | null): Comp | null {
    const peek = this.peek();
    if (peek !== 'R' && peek !== 'O') return sub;
    this.advance(1);
    return this.make(peek === 'R' ? 'reference-this' : 'rvalue-reference-this', sub, null);
  }

  private functionType(): Comp | null {
    if (this.functionTypeDepth > FUNCTION_TYPE_RECURSION_LIMIT) return null;
    this.functionTypeDepth++;
    let ret: Comp | null = null;
    if (this.check('F')) {
      if (this.peek() === 'Y') this.advance(1);
      ret = this.bareFunctionType(true);
      ret = this.refQualifier(ret);
      if (!this.check('E')) ret = null;
    }
    this.functionTypeDepth--;
    return ret;
  }

  private parmlist(): Comp | null {
    let first: Comp | null = null;
    let last: Comp | null = null;
    for (;;) {
      const peek = this.peek();
      if (peek === '\0' || peek === 'E' || peek === '.') break;
      if ((peek === 'R' || peek === 'O') && this.peekNext() === 'E') break;
      const type = this.type();
      if (!type) return null;
      const node = this.make('arglist', type, null);
      if (!node) return null;
      if (last) last.right = node;
      else first = node;
      last = node;
    }
    if (!first) return null;
    if (!first.right && first.left?.type === 'builtin-type' && first.left.builtin?.print === 'void') first.left = null;
    return first;
  }

  private bareFunctionType(withReturnType: boolean): Comp | null {
    if (this.peek() === 'J') {
      this.advance(1);
      withReturnType = true;
    }
    let returnType: Comp | null = null;
    if (withReturnType) {
      returnType = this.type();
      if (!returnType) return null;
    }
    const tl = this.parmlist();
    if (!tl) return null;
    return this.make('function-type', returnType, tl);
  }

  private arrayType(): Comp | null {
    if (!this.check('A')) return null;
    let dim: Comp | null = null;
    const peek = this.peek();
    if (isDigit(peek)) {
      const start = this.pos;
      while (isDigit(this.peek())) this.advance(1);
      dim = this.makeName(this.s.slice(start, this.pos));
      if (!dim) return null;
    } else if (peek !== '_') {
      dim = this.expression();
      if (!dim) return null;
    }
    if (!this.check('_')) return null;
    return this.make('array-type', dim, this.type());
  }

  private vectorType(): Comp | null {
    let dim: Comp | null;
    if (this.peek() === '_') {
      this.advance(1);
      dim = this.expression();
    } else dim = this.numberComponent();
    if (!dim || !this.check('_')) return null;
    return this.make('vector-type', dim, this.type());
  }

  private pointerToMemberType(): Comp | null {
    if (!this.check('M')) return null;
    const cl = this.type();
    if (!cl) return null;
    const mem = this.type();
    if (!mem) return null;
    return this.make('ptrmem-type', cl, mem);
  }

  private compactNumber(): number {
    let num: number;
    if (this.peek() === '_') num = 0;
    else if (this.peek() === 'n') return -1;
    else num = this.number() + 1;
    if (num < 0 || !this.check('_')) return -1;
    return num;
  }

  private templateParam(): Comp | null {
    if (!this.check('T')) return null;
    const param = this.compactNumber();
    if (param < 0) return null;
    return this.makeNumbered('template-param', param);
  }

  private templateArgs(): Comp | null {
    if (this.peek() !== 'I' && this.peek() !== 'J') return null;
    this.advance(1);
    return this.templateArgs1();
  }

  private templateArgs1(): Comp | null {
    const holdLastName = this.lastName;
    if (this.peek() === 'E') {
      this.advance(1);
      return this.make('template-arglist', null, null);
    }
    let first: Comp | null = null;
    let last: Comp | null = null;
    for (;;) {
      const a = this.templateArg();
      if (!a) return null;
      const node = this.make('template-arglist', a, null);
      if (!node) return null;
      if (last) last.right = node;
      else first = node;
      last = node;
      if (this.check('E')) break;
    }
    this.lastName = holdLastName;
    return first;
  }

  private templateArg(): Comp | null {
    return this.nested(() => {
      switch (this.peek()) {
        case 'X': {
          this.advance(1);
          const ret = this.expression();
          return this.check('E') ? ret : null;
        }
        case 'L':
          return this.exprPrimary();
        case 'I':
        case 'J':
          return this.templateArgs();
        default:
          return this.type();
      }
    });
  }

  private exprlist(terminator: string): Comp | null {
    if (this.check(terminator)) return this.make('arglist', null, null);
    let first: Comp | null = null;
    let last: Comp | null = null;
    for (;;) {
      const arg = this.expression();
      if (!arg) return null;
      const node = this.make('arglist', arg, null);
      if (!node) return null;
      if (last) last.right = node;
      else first = node;
      last = node;
      if (this.check(terminator)) break;
    }
    return first;
  }

  private unresolvedName(): Comp | null {
    this.advance(2);
    const peek = this.peek();
    let type: Comp | null;
    if (this.unresolvedNameState !== 0 && (isDigit(peek) || isLower(peek) || peek === 'C' || peek === 'U' || peek === 'L')) {
      this.unresolvedNameState = -1;
      type = this.prefix(false);
      if (this.peek() === 'E') this.advance(1);
    } else type = this.type();
    let name = this.unqualifiedName(type, null);
    if (this.peek() === 'I') name = this.make('template', name, this.templateArgs());
    return name;
  }

  private expression(): Comp | null {
    const wasExpression = this.isExpression;
    this.isExpression = true;
    const ret = this.expression1();
    this.isExpression = wasExpression;
    return ret;
  }

  private expression1(): Comp | null {
    return this.nested(() => this.expressionInner());
  }

  private expressionInner(): Comp | null {
    const peek = this.peek();
    const next = this.peekNext();
    if (peek === 'L') return this.exprPrimary();
    if (peek === 'T') return this.templateParam();
    if (peek === 's' && next === 'r') return this.unresolvedName();
    if (peek === 's' && next === 'p') {
      this.advance(2);
      return this.make('pack-expansion', this.expression1(), null);
    }
    if (peek === 'f' && next === 'p') return this.functionParam();
    if (isDigit(peek) || (peek === 'o' && next === 'n')) return this.nameExpression(peek);
    if ((peek === 'i' || peek === 't') && next === 'l') return this.initializerList(peek);
    if (peek === 'u') {
      this.advance(1);
      const name = this.sourceName();
      const args = this.templateArgs1();
      return this.make('vendor-expr', name, args);
    }
    return this.operatorExpression();
  }

  private functionParam(): Comp | null {
    this.advance(2);
    let index: number;
    if (this.peek() === 'T') {
      this.advance(1);
      index = 0;
    } else {
      index = this.compactNumber();
      if (index === INT_MAX || index === -1) return null;
      index++;
    }
    return this.makeNumbered('function-param', index);
  }

  private nameExpression(peek: string): Comp | null {
    if (peek === 'o') this.advance(2);
    const name = this.unqualifiedName(null, null);
    if (!name) return null;
    if (this.peek() === 'I') return this.make('template', name, this.templateArgs());
    return name;
  }

  private initializerList(peek: string): Comp | null {
    this.advance(2);
    const type = peek === 't' ? this.type() : null;
    if (this.peek() === '\0' || this.peekNext() === '\0') return null;
    return this.make('initializer-list', type, this.exprlist('E'));
  }

  private operatorExpression(): Comp | null {
    const op = this.operatorName();
    if (!op) return null;
    const code = op.type === 'operator' ? (op.op as NonNullable<Comp['op']>).code : null;
    if (code === 'st') return this.make('unary', op, this.type());
    let args: number;
    if (op.type === 'operator') args = (op.op as NonNullable<Comp['op']>).args;
    else if (op.type === 'extended-operator') args = op.num;
    else if (op.type === 'cast') args = 1;
    else return null;
    switch (args) {
      case 0:
        return this.make('nullary', op, null);
      case 1:
        return this.unaryExpression(op, code);
      case 2:
        return code === null ? null : this.binaryExpression(op, code);
      case 3:
        return code === null ? null : this.trinaryExpression(op, code);
      default:
        return null;
    }
  }

  private unaryExpression(op: Comp, code: string | null): Comp | null {
    let suffix = false;
    if (code && (code[0] === 'p' || code[0] === 'm') && code[1] === code[0]) suffix = !this.check('_');
    let operand: Comp | null;
    if (op.type === 'cast' && this.check('_')) operand = this.exprlist('E');
    else if (code === 'sP') operand = this.templateArgs1();
    else operand = this.expression1();
    if (suffix) operand = this.make('binary-args', operand, operand);
    return this.make('unary', op, operand);
  }

  private binaryExpression(op: Comp, code: string): Comp | null {
    let left: Comp | null;
    if (isNewCast(code)) left = this.type();
    else if (code[0] === 'f') left = this.operatorName();
    else if (code === 'di') left = this.unqualifiedName(null, null);
    else left = this.expression1();
    let right: Comp | null;
    if (code === 'cl') right = this.exprlist('E');
    else if (code === 'dt' || code === 'pt') right = this.memberAccessName();
    else right = this.expression1();
    return this.make('binary', op, this.make('binary-args', left, right));
  }

  private memberAccessName(): Comp | null {
    const peek = this.peek();
    const next = this.peekNext();
    if ((peek === 'g' && next === 's') || (peek === 's' && next === 'r')) return this.expression1();
    let right = this.unqualifiedName(null, null);
    if (this.peek() === 'I') right = this.make('template', right, this.templateArgs());
    return right;
  }

  private trinaryExpression(op: Comp, code: string): Comp | null {
    let first: Comp | null;
    let second: Comp | null;
    let third: Comp | null;
    if (code === 'qu' || code === 'dX') {
      first = this.expression1();
      second = this.expression1();
      third = this.expression1();
      if (!third) return null;
    } else if (code[0] === 'f') {
      first = this.operatorName();
      second = this.expression1();
      third = this.expression1();
      if (!third) return null;
    } else if (code[0] === 'n') {
      if (code[1] !== 'w' && code[1] !== 'a') return null;
      first = this.exprlist('_');
      second = this.type();
      const tail = this.newInitializer();
      if (tail === undefined) return null;
      third = tail;
    } else return null;
    return this.make('trinary', op, this.make('trinary-arg1', first, this.make('trinary-arg2', second, third)));
  }

  private newInitializer(): Comp | null | undefined {
    if (this.check('E')) return null;
    if (this.peek() === 'p' && this.peekNext() === 'i') {
      this.advance(2);
      return this.exprlist('E');
    }
    if (this.peek() === 'i' && this.peekNext() === 'l') return this.expression1();
    return undefined;
  }

  private exprPrimary(): Comp | null {
    if (!this.check('L')) return null;
    let ret: Comp | null;
    if (this.peek() === '_' || this.peek() === 'Z') ret = this.mangledName(false);
    else {
      const type = this.type();
      if (!type) return null;
      if (type.type === 'builtin-type' && type.builtin?.name === 'decltype(nullptr)' && this.check('E')) return type;
      let t: CompType = 'literal';
      if (this.check('n')) t = 'literal-neg';
      const start = this.pos;
      while (this.peek() !== 'E') {
        if (this.peek() === '\0') return null;
        this.advance(1);
      }
      ret = this.make(t, type, this.makeName(this.s.slice(start, this.pos)));
    }
    return this.check('E') ? ret : null;
  }

  private localName(): Comp | null {
    if (!this.check('Z')) return null;
    const fn = this.encoding(false);
    if (!fn || !this.check('E')) return null;
    let name: Comp | null;
    if (this.peek() === 's') {
      this.advance(1);
      if (!this.discriminator()) return null;
      name = this.makeName('string literal');
    } else {
      let num = -1;
      if (this.check('d')) {
        num = this.compactNumber();
        if (num < 0) return null;
      }
      name = this.name(false);
      if (name && name.type !== 'lambda' && name.type !== 'unnamed-type' && !this.discriminator()) return null;
      if (num >= 0) name = this.makeNumbered('default-arg', num, name);
    }
    if (fn.type === 'typed-name' && fn.right?.type === 'function-type') fn.right.left = null;
    return this.make('local-name', fn, name);
  }

  private discriminator(): boolean {
    if (!this.check('_')) return true;
    const twoUnderscores = this.check('_');
    const discrim = this.number();
    if (discrim < 0) return false;
    if (twoUnderscores && discrim >= 10) return this.check('_');
    return true;
  }

  private templateParm(bad: { value: boolean }): Comp | null {
    if (this.peek() !== 'T') return null;
    let op: Comp | null = null;
    let kind: CompType;
    switch (this.peekNext()) {
      case 'p':
        this.advance(2);
        op = this.templateParm(bad);
        kind = 'template-pack-parm';
        break;
      case 'y':
        this.advance(2);
        return this.make('template-type-parm', null, null);
      case 'n':
        this.advance(2);
        op = this.type();
        kind = 'template-non-type-parm';
        break;
      case 't':
        this.advance(2);
        op = this.templateHead(bad);
        kind = 'template-template-parm';
        if (op && !this.check('E')) op = null;
        break;
      default:
        return null;
    }
    if (!op) {
      bad.value = true;
      return null;
    }
    return this.make(kind, op, null);
  }

  private templateHead(bad: { value: boolean }): Comp | null {
    let first: Comp | null = null;
    let last: Comp | null = null;
    for (let op = this.templateParm(bad); op; op = this.templateParm(bad)) {
      if (last) last.right = op;
      else first = op;
      last = op;
    }
    return first ? this.make('template-head', first, null) : null;
  }

  private lambda(): Comp | null {
    if (!this.check('U') || !this.check('l')) return null;
    const bad = { value: false };
    const head = this.templateHead(bad);
    if (bad.value) return null;
    let tl = this.parmlist();
    if (!tl) return null;
    if (head) {
      head.right = tl;
      tl = head;
    }
    if (!this.check('E')) return null;
    const num = this.compactNumber();
    if (num < 0) return null;
    return this.makeNumbered('lambda', num, tl);
  }

  private unnamedType(): Comp | null {
    if (!this.check('U') || !this.check('t')) return null;
    const num = this.compactNumber();
    if (num < 0) return null;
    const ret = this.makeNumbered('unnamed-type', num);
    return this.addSubstitution(ret) ? ret : null;
  }

  private cloneSuffix(encoding: Comp | null): Comp | null {
    const s = this.s;
    const start = this.pos;
    let p = start;
    const word = (c: string | undefined): boolean => c !== undefined && (isLower(c) || isDigit(c) || c === '_');
    if (s[p] === '.' && word(s[p + 1])) {
      p += 2;
      while (word(s[p])) p++;
    }
    while (s[p] === '.' && s[p + 1] !== undefined && isDigit(s[p + 1])) {
      p += 2;
      while (s[p] !== undefined && isDigit(s[p])) p++;
    }
    this.pos = p;
    return this.make('clone', encoding, this.makeName(s.slice(start, p)));
  }

  /**
   * `S_`, `S<seq-id>_` or a standard abbreviation. c++filt prints abbreviations in full whether
   * or not they prefix a constructor, so `prefix` (which matters only then) is not needed here.
   */
  private substitution(_prefix: boolean): Comp | null {
    if (!this.check('S')) return null;
    const c = this.next();
    if (c === '_' || isDigit(c) || isUpper(c)) return this.substitutionRef(c);
    const sub = STANDARD_SUBS.find((p) => p.code === c);
    if (!sub) return null;
    if (sub.lastName !== null) this.lastName = this.makeSub(sub.lastName);
    let dc = this.makeSub(sub.full);
    if (this.peek() === 'B') {
      dc = this.abiTags(dc);
      if (!this.addSubstitution(dc)) return null;
    }
    return dc;
  }

  private substitutionRef(first: string): Comp | null {
    let id = 0;
    let c = first;
    if (c !== '_') {
      do {
        if (isDigit(c)) id = id * 36 + c.charCodeAt(0) - 48;
        else if (isUpper(c)) id = id * 36 + c.charCodeAt(0) - 55;
        else return null;
        if (id > 0xffffffff) return null;
        c = this.next();
      } while (c !== '_');
      id++;
    }
    return id < this.subs.length ? this.subs[id] : null;
  }
}

export function isNewCast(code: string): boolean {
  return code[1] === 'c' && 'sdcr'.includes(code[0]);
}

function hasReturnType(dc: Comp | null): boolean {
  if (!dc) return false;
  if (dc.type === 'local-name') return hasReturnType(dc.right);
  if (dc.type === 'template') return !isCtorDtorOrConversion(dc.left);
  if (isFnQual(dc.type)) return hasReturnType(dc.left);
  return false;
}

function isCtorDtorOrConversion(dc: Comp | null): boolean {
  if (!dc) return false;
  if (dc.type === 'qual-name' || dc.type === 'local-name') return isCtorDtorOrConversion(dc.right);
  return dc.type === 'ctor' || dc.type === 'dtor' || dc.type === 'conversion';
}

