/**
 * Renders an Itanium component tree in c++filt's text. Types print inside out: pointers,
 * references, cv-qualifiers and function/array declarators are pushed on a modifier stack and
 * printed where the C declarator syntax puts them, as libiberty does.
 */
import { isFnQual } from './itanium-nodes.ts';
import type { Comp, CompType } from './itanium-nodes.ts';
import { isNewCast } from './itanium-parser.ts';

const MAX_RECURSION = 1024;
const MAX_OUTPUT = 32 * 1024;
/** Steps of tree walking allowed in all: substitutions share subtrees, so walks can be exponential. */
const MAX_STEPS = 200_000;

interface TemplateScope { next: TemplateScope | null; decl: Comp | null }
interface Modifier { next: Modifier | null; mod: Comp; printed: boolean; templates: TemplateScope | null }
interface StackEntry { dc: Comp; parent: StackEntry | null }

class PrintFailure extends Error {}

const CV_TYPES = new Set<CompType>(['restrict', 'volatile', 'const']);
const SIMPLE_SUBEXPR = new Set<CompType>(['name', 'qual-name', 'initializer-list', 'function-param']);
const INTEGER_SUFFIX: Record<string, string> = {
  int: '', unsigned: 'u', long: 'l', 'unsigned-long': 'ul', 'long-long': 'll', 'unsigned-long-long': 'ull',
};
const PREFIXED: Partial<Record<CompType, string>> = {
  'tparm-obj': 'template parameter object for ',
  'module-init': 'initializer for module ',
  vtable: 'vtable for ',
  vtt: 'VTT for ',
  typeinfo: 'typeinfo for ',
  'typeinfo-name': 'typeinfo name for ',
  'typeinfo-fn': 'typeinfo fn for ',
  thunk: 'non-virtual thunk to ',
  'virtual-thunk': 'virtual thunk to ',
  'covariant-thunk': 'covariant return thunk to ',
  'java-class': 'java Class for ',
  guard: 'guard variable for ',
  'tls-init': 'TLS init function for ',
  'tls-wrapper': 'TLS wrapper function for ',
  'hidden-alias': 'hidden alias for ',
  'transaction-clone': 'transaction clone for ',
  'nontransaction-clone': 'non-transaction clone for ',
  'global-constructors': 'global constructors keyed to ',
  'global-destructors': 'global destructors keyed to ',
};
const MOD_TEXT: Partial<Record<CompType, string>> = {
  restrict: ' restrict', 'restrict-this': ' restrict', volatile: ' volatile', 'volatile-this': ' volatile',
  const: ' const', 'const-this': ' const', 'transaction-safe': ' transaction_safe', pointer: '*',
  'reference-this': ' &', reference: '&', 'rvalue-reference-this': ' &&', 'rvalue-reference': '&&',
  complex: ' _Complex', imaginary: ' _Imaginary',
};

export class ItaniumPrinter {
  private out = '';
  /** The last character appended; deliberately not rewound when a ", " is taken back (c++filt does the same). */
  private last = '\0';
  private templates: TemplateScope | null = null;
  private modifiers: Modifier | null = null;
  private recursion = 0;
  private steps = 0;
  private lambdaTplParms = 0;
  private packIndex = 0;
  private stack: StackEntry | null = null;
  private savedScopes: { container: Comp; templates: TemplateScope | null }[] = [];
  private currentTemplate: Comp | null = null;

  /** The text, or null when the tree cannot be printed. */
  static print(dc: Comp): string | null {
    const printer = new ItaniumPrinter();
    try {
      printer.comp(dc);
      return printer.out;
    } catch (error) {
      if (error instanceof PrintFailure) return null;
      throw error;
    }
  }

  private fail(): never {
    throw new PrintFailure('unprintable component tree');
  }

  private append(s: string): void {
    if (s.length === 0) return;
    this.out += s;
    this.last = s[s.length - 1];
    if (this.out.length > MAX_OUTPUT) this.fail();
  }

  private step(): void {
    if (++this.steps > MAX_STEPS) this.fail();
  }

  private comp(dc: Comp | null): void {
    if (!dc || dc.printing > 1 || this.recursion > MAX_RECURSION) this.fail();
    this.step();
    dc.printing++;
    this.recursion++;
    const self: StackEntry = { dc, parent: this.stack };
    this.stack = self;
    try {
      this.compInner(dc);
    } finally {
      this.stack = self.parent;
      dc.printing--;
      this.recursion--;
    }
  }

  private compInner(dc: Comp): void {
    const prefix = PREFIXED[dc.type];
    if (prefix !== undefined) {
      this.append(prefix);
      this.comp(dc.left);
      return;
    }
    switch (dc.type) {
      case 'name':
      case 'sub-std':
        this.append(dc.text);
        return;
      case 'tagged-name':
        this.comp(dc.left);
        this.append('[abi:');
        this.comp(dc.right);
        this.append(']');
        return;
      case 'structured-binding':
        this.structuredBinding(dc);
        return;
      case 'module-entity':
        this.comp(dc.left);
        this.append('@');
        this.comp(dc.right);
        return;
      case 'module-name':
      case 'module-partition':
        this.moduleName(dc);
        return;
      case 'qual-name':
      case 'local-name':
        this.qualifiedName(dc);
        return;
      case 'typed-name':
        this.typedName(dc);
        return;
      case 'template':
        this.template(dc);
        return;
      case 'template-param':
        this.templateParam(dc);
        return;
      case 'ctor':
        this.comp(dc.left);
        return;
      case 'dtor':
        this.append('~');
        this.comp(dc.left);
        return;
      default:
        this.compInner2(dc);
    }
  }

  private compInner2(dc: Comp): void {
    switch (dc.type) {
      case 'construction-vtable':
        this.append('construction vtable for ');
        this.comp(dc.left);
        this.append('-in-');
        this.comp(dc.right);
        return;
      case 'reftemp':
        this.append('reference temporary #');
        this.comp(dc.right);
        this.append(' for ');
        this.comp(dc.left);
        return;
      case 'restrict':
      case 'volatile':
      case 'const':
        this.cvQualified(dc);
        return;
      case 'reference':
      case 'rvalue-reference':
        this.reference(dc);
        return;
      case 'vendor-type-qual':
      case 'pointer':
      case 'complex':
      case 'imaginary':
        this.modifier(dc, null);
        return;
      case 'builtin-type':
        this.append(dc.builtin?.name ?? '');
        return;
      case 'extended-builtin-type':
        this.append(`${dc.builtin?.name ?? ''}${dc.num}${dc.suffix}`);
        return;
      case 'vendor-type':
        this.comp(dc.left);
        return;
      case 'function-type':
        this.functionTypeComp(dc);
        return;
      case 'array-type':
        this.arrayTypeComp(dc);
        return;
      case 'ptrmem-type':
      case 'vector-type':
        this.pushedModifier(dc);
        return;
      case 'arglist':
      case 'template-arglist':
        this.argList(dc);
        return;
      default:
        if (isFnQual(dc.type)) this.modifier(dc, null);
        else this.compInner3(dc);
    }
  }

  private compInner3(dc: Comp): void {
    switch (dc.type) {
      case 'initializer-list':
        if (dc.left) this.comp(dc.left);
        this.append('{');
        this.comp(dc.right);
        this.append('}');
        return;
      case 'operator':
        this.operatorName(dc);
        return;
      case 'extended-operator':
        this.append('operator ');
        this.comp(dc.left);
        return;
      case 'conversion':
        this.append('operator ');
        this.conversion(dc);
        return;
      case 'nullary':
        this.exprOp(dc.left);
        return;
      case 'unary':
        this.unary(dc);
        return;
      case 'binary':
        this.binary(dc);
        return;
      case 'trinary':
        this.trinary(dc);
        return;
      case 'literal':
      case 'literal-neg':
        this.literal(dc);
        return;
      default:
        this.compInner4(dc);
    }
  }

  private compInner4(dc: Comp): void {
    switch (dc.type) {
      case 'vendor-expr':
        this.comp(dc.left);
        this.append('(');
        this.comp(dc.right);
        this.append(')');
        return;
      case 'number':
        this.append(String(dc.num));
        return;
      case 'character':
        this.append(dc.text);
        return;
      case 'decltype':
        this.append('decltype (');
        this.comp(dc.left);
        this.append(')');
        return;
      case 'pack-expansion':
        this.packExpansion(dc);
        return;
      case 'function-param':
        this.append(dc.num === 0 ? 'this' : `{parm#${dc.num}}`);
        return;
      case 'lambda':
        this.lambda(dc);
        return;
      case 'unnamed-type':
        this.append(`{unnamed type#${dc.num + 1}}`);
        return;
      default:
        this.compInner5(dc);
    }
  }

  private compInner5(dc: Comp): void {
    switch (dc.type) {
      case 'clone':
        this.comp(dc.left);
        this.append(' [clone ');
        this.comp(dc.right);
        this.append(']');
        return;
      case 'friend':
        this.comp(dc.left);
        this.append('[friend]');
        return;
      case 'template-head':
        this.templateHead(dc);
        return;
      case 'template-type-parm':
        this.append('typename');
        return;
      case 'template-non-type-parm':
        this.comp(dc.left);
        return;
      case 'template-template-parm':
        this.append('template');
        this.comp(dc.left);
        this.append(' class');
        return;
      case 'template-pack-parm':
        this.comp(dc.left);
        this.append('...');
        return;
      default:
        this.fail();
    }
  }

  private structuredBinding(dc: Comp): void {
    this.append('[');
    for (let c: Comp | null = dc; c; c = c.right) {
      if (c !== dc) this.append(', ');
      this.comp(c.left);
    }
    this.append(']');
  }

  private moduleName(dc: Comp): void {
    if (dc.left) this.comp(dc.left);
    if (dc.type === 'module-partition') this.append(':');
    else if (dc.left) this.append('.');
    this.comp(dc.right);
  }

  private qualifiedName(dc: Comp): void {
    this.comp(dc.left);
    this.append('::');
    let local = dc.right;
    if (local?.type === 'default-arg') {
      this.append(`{default arg#${local.num + 1}}::`);
      local = local.left;
    }
    this.comp(local);
  }

  /** A function (or other typed entity): the name goes inside the type, after pushing the `this` qualifiers. */
  private typedName(dc: Comp): void {
    const holdModifiers = this.modifiers;
    this.modifiers = null;
    const mods: Modifier[] = [];
    let typedName = dc.left;
    while (typedName) {
      if (mods.length >= 4) this.fail();
      const m: Modifier = { next: this.modifiers, mod: typedName, printed: false, templates: this.templates };
      mods.push(m);
      this.modifiers = m;
      if (!isFnQual(typedName.type)) break;
      typedName = typedName.left;
    }
    if (!typedName) this.fail();
    if (typedName.type === 'local-name') typedName = this.localNameQualifiers(typedName, mods);
    let scope: TemplateScope | null = null;
    if (typedName.type === 'template') {
      scope = { next: this.templates, decl: typedName };
      this.templates = scope;
    }
    this.comp(dc.right);
    if (scope) this.templates = scope.next;
    for (let i = mods.length - 1; i >= 0; i--) {
      if (!mods[i].printed) {
        this.append(' ');
        this.mod(mods[i].mod);
      }
    }
    this.modifiers = holdModifiers;
  }

  /** Qualifiers on a function-local class's member really apply to the member: move them onto the stack. */
  private localNameQualifiers(local: Comp, mods: Modifier[]): Comp {
    let typedName = local.right;
    if (typedName?.type === 'default-arg') typedName = typedName.left;
    while (typedName && isFnQual(typedName.type)) {
      if (mods.length >= 4) this.fail();
      const previous = mods[mods.length - 1];
      const copy: Modifier = { ...previous, next: previous };
      mods.push(copy);
      this.modifiers = copy;
      previous.mod = typedName;
      previous.printed = false;
      previous.templates = this.templates;
      typedName = typedName.left;
    }
    if (!typedName) this.fail();
    return typedName;
  }

  private template(dc: Comp): void {
    const holdCurrent = this.currentTemplate;
    this.currentTemplate = dc;
    const holdModifiers = this.modifiers;
    this.modifiers = null;
    this.comp(dc.left);
    if (this.last === '<') this.append(' ');
    this.append('<');
    this.comp(dc.right);
    if (this.last === '>') this.append(' ');
    this.append('>');
    this.modifiers = holdModifiers;
    this.currentTemplate = holdCurrent;
  }

  private templateParam(dc: Comp): void {
    if (this.lambdaTplParms > dc.num + 1) {
      this.lambdaTemplateParam(dc);
      return;
    }
    if (this.lambdaTplParms) {
      this.append(`auto:${dc.num + 1}`);
      return;
    }
    let a = this.lookupTemplateArgument(dc);
    if (a && a.type === 'template-arglist') a = indexTemplateArgument(a, this.packIndex);
    if (!a) this.fail();
    const hold = this.templates as TemplateScope;
    this.templates = hold.next;
    this.comp(a);
    this.templates = hold;
  }

  private lambdaTemplateParam(dc: Comp): void {
    let a = this.templates?.decl?.left ?? null;
    for (let c = dc.num; a && c; c--) a = a.right;
    if (a && a.type === 'template-pack-parm') a = a.left;
    if (!a) this.fail();
    this.lambdaParmName(a.type, dc.num);
  }

  private lambdaParmName(type: CompType, index: number): void {
    const prefix = ({ 'template-type-parm': '$T', 'template-non-type-parm': '$N', 'template-template-parm': '$TT' } as Partial<Record<CompType, string>>)[type];
    if (prefix === undefined) this.fail();
    this.append(`${prefix}${index}`);
  }

  private lookupTemplateArgument(dc: Comp): Comp | null {
    if (!this.templates || !this.templates.decl) this.fail();
    return indexTemplateArgument(this.templates.decl.right, dc.num);
  }

  private cvQualified(dc: Comp): void {
    for (let p = this.modifiers; p; p = p.next) {
      if (p.printed) continue;
      if (!CV_TYPES.has(p.mod.type)) break;
      if (p.mod.type === dc.type) {
        this.comp(dc.left);
        return;
      }
    }
    this.modifier(dc, null);
  }

  /** References to references collapse (`& &&` is `&`), also through template parameters. */
  private reference(dc: Comp): void {
    let sub = dc.left as Comp;
    let restore: { templates: TemplateScope | null } | null = null;
    if (!this.lambdaTplParms && sub.type === 'template-param') {
      restore = this.enterSavedScope(dc, sub);
      let a = this.lookupTemplateArgument(sub);
      if (a && a.type === 'template-arglist') a = indexTemplateArgument(a, this.packIndex);
      if (!a) this.fail();
      sub = a;
    }
    let modInner: Comp | null = null;
    if (sub.type === 'reference' || sub.type === dc.type) dc = sub;
    else if (sub.type === 'rvalue-reference') modInner = sub.left;
    this.modifier(dc, modInner);
    if (restore) this.templates = restore.templates;
  }

  private enterSavedScope(dc: Comp, sub: Comp): { templates: TemplateScope | null } | null {
    const scope = this.savedScopes.find((s) => s.container === sub);
    if (!scope) {
      this.savedScopes.push({ container: sub, templates: this.templates });
      return null;
    }
    for (let e = this.stack; e; e = e.parent) {
      if (e.dc === sub || (e.dc === dc && e !== this.stack)) return null;
    }
    const saved = { templates: this.templates };
    this.templates = scope.templates;
    return saved;
  }

  private modifier(dc: Comp, modInner: Comp | null): void {
    const m: Modifier = { next: this.modifiers, mod: dc, printed: false, templates: this.templates };
    this.modifiers = m;
    this.comp(modInner ?? dc.left);
    if (!m.printed) this.mod(dc);
    this.modifiers = m.next;
  }

  private pushedModifier(dc: Comp): void {
    const m: Modifier = { next: this.modifiers, mod: dc, printed: false, templates: this.templates };
    this.modifiers = m;
    this.comp(dc.right);
    if (!m.printed) this.mod(dc);
    this.modifiers = m.next;
  }

  private functionTypeComp(dc: Comp): void {
    if (dc.left) {
      const m: Modifier = { next: this.modifiers, mod: dc, printed: false, templates: this.templates };
      this.modifiers = m;
      this.comp(dc.left);
      this.modifiers = m.next;
      if (m.printed) return;
      this.append(' ');
    }
    this.functionType(dc, this.modifiers);
  }

  private arrayTypeComp(dc: Comp): void {
    const holdModifiers = this.modifiers;
    const mods: Modifier[] = [{ next: holdModifiers, mod: dc, printed: false, templates: this.templates }];
    this.modifiers = mods[0];
    for (let p = holdModifiers; p && CV_TYPES.has(p.mod.type); p = p.next) {
      if (p.printed) continue;
      if (mods.length >= 4) this.fail();
      const copy: Modifier = { ...p, next: this.modifiers };
      mods.push(copy);
      this.modifiers = copy;
      p.printed = true;
    }
    this.comp(dc.right);
    this.modifiers = holdModifiers;
    if (mods[0].printed) return;
    for (let i = mods.length - 1; i >= 1; i--) this.mod(mods[i].mod);
    this.arrayType(dc, this.modifiers);
  }

  private argList(dc: Comp): void {
    if (dc.left) this.comp(dc.left);
    if (!dc.right) return;
    this.append(', ');
    const length = this.out.length;
    this.comp(dc.right);
    if (this.out.length === length) this.out = this.out.slice(0, -2);
  }

  private operatorName(dc: Comp): void {
    const name = dc.op?.name ?? '';
    this.append('operator');
    if (name[0] >= 'a' && name[0] <= 'z') this.append(' ');
    this.append(name.endsWith(' ') ? name.slice(0, -1) : name);
  }

  private conversion(dc: Comp): void {
    const current = this.currentTemplate;
    if (current) this.templates = { next: this.templates, decl: current };
    this.comp(dc.left);
    if (current) this.templates = (this.templates as TemplateScope).next;
  }

  private exprOp(dc: Comp | null): void {
    if (dc?.type === 'operator') this.append(dc.op?.name ?? '');
    else this.comp(dc);
  }

  private subexpr(dc: Comp | null): void {
    if (!dc) this.fail();
    const simple = SIMPLE_SUBEXPR.has(dc.type);
    if (!simple) this.append('(');
    this.comp(dc);
    if (!simple) this.append(')');
  }

  private unary(dc: Comp): void {
    const op = dc.left as Comp;
    let operand = dc.right as Comp;
    const code = op.type === 'operator' ? op.op?.code ?? null : null;
    if (code === 'ad' && operand.type === 'typed-name' && operand.left?.type === 'qual-name' && operand.right?.type === 'function-type') {
      operand = operand.left;
    }
    if (code !== null && operand.type === 'binary-args') {
      this.subexpr(operand.left);
      this.exprOp(op);
      return;
    }
    if (code === 'sZ') {
      this.append(String(packLength(this.findPack(operand))));
      return;
    }
    if (code === 'sP') {
      this.append(String(this.argsLength(operand)));
      return;
    }
    if (op.type !== 'cast') this.exprOp(op);
    else {
      this.append('(');
      this.comp(op.left);
      this.append(')');
    }
    this.unaryOperand(code, operand);
  }

  private unaryOperand(code: string | null, operand: Comp): void {
    if (code === 'gs') this.comp(operand);
    else if (code === 'st' || code === 'nx') {
      this.append('(');
      this.comp(operand);
      this.append(')');
    } else this.subexpr(operand);
  }

  private binary(dc: Comp): void {
    const args = dc.right as Comp;
    const op = dc.left as Comp;
    if (args.type !== 'binary-args' || !op.op) this.fail();
    const code = op.op.code;
    if (isNewCast(code)) {
      this.exprOp(op);
      this.append('<');
      this.comp(args.left);
      this.append('>(');
      this.comp(args.right);
      this.append(')');
      return;
    }
    if (this.maybeFold(dc) || this.maybeDesignatedInit(dc)) return;
    const greater = op.op.name === '>';
    if (greater) this.append('(');
    this.binaryOperands(code, op, args);
    if (greater) this.append(')');
  }

  private binaryOperands(code: string, op: Comp, args: Comp): void {
    const left = args.left as Comp;
    if (code === 'cl' && left.type === 'typed-name') {
      if (left.right?.type !== 'function-type') this.fail();
      this.subexpr(left.left);
    } else this.subexpr(left);
    if (code === 'ix') {
      this.append('[');
      this.comp(args.right);
      this.append(']');
      return;
    }
    if (code !== 'cl') this.exprOp(op);
    this.subexpr(args.right);
  }

  private trinary(dc: Comp): void {
    const arg1 = dc.right;
    if (arg1?.type !== 'trinary-arg1' || arg1.right?.type !== 'trinary-arg2') this.fail();
    if (this.maybeFold(dc) || this.maybeDesignatedInit(dc)) return;
    const op = dc.left as Comp;
    const first = arg1.left as Comp;
    const second = arg1.right.left;
    const third = arg1.right.right;
    if (op.op?.code === 'qu') {
      this.subexpr(first);
      this.exprOp(op);
      this.subexpr(second);
      this.append(' : ');
      this.subexpr(third);
      return;
    }
    this.append('new ');
    if (first.left) {
      this.subexpr(first);
      this.append(' ');
    }
    this.comp(second);
    if (third) this.subexpr(third);
  }

  private maybeFold(dc: Comp): boolean {
    const code = dc.left?.op?.code;
    if (!code || code[0] !== 'f') return false;
    const ops = dc.right as Comp;
    const operator = ops.left;
    let op1 = ops.right as Comp;
    let op2: Comp | null = null;
    if (op1.type === 'trinary-arg2') {
      op2 = op1.right;
      op1 = op1.left as Comp;
    }
    const saveIndex = this.packIndex;
    this.packIndex = -1;
    this.foldBody(code[1], operator, op1, op2);
    this.packIndex = saveIndex;
    return true;
  }

  private foldBody(kind: string, operator: Comp | null, op1: Comp, op2: Comp | null): void {
    if (kind === 'l') {
      this.append('(...');
      this.exprOp(operator);
      this.subexpr(op1);
      this.append(')');
    } else if (kind === 'r') {
      this.append('(');
      this.subexpr(op1);
      this.exprOp(operator);
      this.append('...)');
    } else if (kind === 'L' || kind === 'R') {
      this.append('(');
      this.subexpr(op1);
      this.exprOp(operator);
      this.append('...');
      this.exprOp(operator);
      this.subexpr(op2);
      this.append(')');
    }
  }

  private maybeDesignatedInit(dc: Comp): boolean {
    if (!isDesignatedInit(dc)) return false;
    const code = dc.left?.op?.code as string;
    const operands = dc.right as Comp;
    let op2 = operands.right;
    this.append(code[1] === 'i' ? '.' : '[');
    this.comp(operands.left);
    if (code[1] === 'X') {
      this.append(' ... ');
      this.comp(op2?.left ?? null);
      op2 = op2?.right ?? null;
    }
    if (code[1] !== 'i') this.append(']');
    if (op2 && isDesignatedInit(op2)) this.comp(op2);
    else {
      this.append('=');
      this.subexpr(op2);
    }
    return true;
  }

  private literal(dc: Comp): void {
    const type = dc.left as Comp;
    const value = dc.right as Comp;
    const style = type.type === 'builtin-type' ? type.builtin?.print ?? 'default' : 'default';
    const suffix = INTEGER_SUFFIX[style];
    if (suffix !== undefined && value.type === 'name') {
      if (dc.type === 'literal-neg') this.append('-');
      this.comp(value);
      this.append(suffix);
      return;
    }
    if (style === 'bool' && value.type === 'name' && value.text.length === 1 && dc.type === 'literal') {
      if (value.text === '0' || value.text === '1') {
        this.append(value.text === '1' ? 'true' : 'false');
        return;
      }
    }
    this.append('(');
    this.comp(type);
    this.append(')');
    if (dc.type === 'literal-neg') this.append('-');
    if (style === 'float') this.append('[');
    this.comp(value);
    if (style === 'float') this.append(']');
  }

  private packExpansion(dc: Comp): void {
    const a = this.lambdaTplParms ? null : this.findPack(dc.left);
    if (!a) {
      this.subexpr(dc.left);
      this.append('...');
      return;
    }
    const len = packLength(a);
    for (let i = 0; i < len; i++) {
      if (i) this.append(', ');
      this.packIndex = i;
      this.comp(dc.left);
    }
  }

  private lambda(dc: Comp): void {
    this.append('{lambda');
    let parms = dc.left;
    const saved = this.lambdaTplParms;
    this.lambdaTplParms = 0;
    const scope: TemplateScope = { next: this.templates, decl: null };
    this.templates = scope;
    if (parms && parms.type === 'template-head') {
      scope.decl = parms;
      this.lambdaHead(parms);
      parms = parms.right;
    }
    this.lambdaTplParms++;
    this.append('(');
    this.comp(parms);
    this.lambdaTplParms = saved;
    this.templates = scope.next;
    this.append(`)#${dc.num + 1}}`);
  }

  private lambdaHead(head: Comp): void {
    this.append('<');
    for (let parm = head.left; parm; parm = parm.right) {
      if (this.lambdaTplParms++) this.append(', ');
      this.comp(parm);
      this.append(' ');
      // A pack's own name comes from its element; the walk then goes on from the element, as c++filt's does.
      if (parm.type === 'template-pack-parm') parm = parm.left as Comp;
      this.lambdaParmName(parm.type, this.lambdaTplParms - 1);
    }
    this.append('>');
  }

  private templateHead(dc: Comp): void {
    this.append('<');
    for (let parm = dc.left; parm; parm = parm.right) {
      if (parm !== dc.left) this.append(', ');
      this.comp(parm);
    }
    this.append('>');
  }

  private modList(mods: Modifier | null, suffix: boolean): void {
    for (let m = mods; m; m = m.next) {
      if (m.printed || (!suffix && isFnQual(m.mod.type))) continue;
      m.printed = true;
      const holdTemplates = this.templates;
      this.templates = m.templates;
      const ended = this.modListEntry(m);
      this.templates = holdTemplates;
      if (ended) return;
    }
  }

  /** Prints one modifier; true when it consumed the rest of the list (function, array, local name). */
  private modListEntry(m: Modifier): boolean {
    switch (m.mod.type) {
      case 'function-type':
        this.functionType(m.mod, m.next);
        return true;
      case 'array-type':
        this.arrayType(m.mod, m.next);
        return true;
      case 'local-name':
        this.localNameModifier(m.mod);
        return true;
      default:
        this.mod(m.mod);
        return false;
    }
  }

  private localNameModifier(mod: Comp): void {
    const holdModifiers = this.modifiers;
    this.modifiers = null;
    this.comp(mod.left);
    this.modifiers = holdModifiers;
    this.append('::');
    let dc = mod.right as Comp;
    if (dc.type === 'default-arg') {
      this.append(`{default arg#${dc.num + 1}}::`);
      dc = dc.left as Comp;
    }
    while (dc && isFnQual(dc.type)) dc = dc.left as Comp;
    this.comp(dc);
  }

  private mod(mod: Comp): void {
    this.step();
    const text = MOD_TEXT[mod.type];
    if (text !== undefined) {
      this.append(text);
      return;
    }
    switch (mod.type) {
      case 'noexcept':
      case 'throw-spec':
        this.append(mod.type === 'noexcept' ? ' noexcept' : ' throw');
        if (mod.right) {
          this.append('(');
          this.comp(mod.right);
          this.append(')');
        }
        return;
      case 'vendor-type-qual':
        this.append(' ');
        this.comp(mod.right);
        return;
      case 'ptrmem-type':
        if (this.last !== '(') this.append(' ');
        this.comp(mod.left);
        this.append('::*');
        return;
      case 'typed-name':
        this.comp(mod.left);
        return;
      case 'vector-type':
        this.append(' __vector(');
        this.comp(mod.left);
        this.append(')');
        return;
      default:
        this.comp(mod);
    }
  }

  private functionType(dc: Comp, mods: Modifier | null): void {
    const { needParen, needSpace } = functionParens(mods);
    if (needParen) {
      const space = needSpace || (this.last !== '(' && this.last !== '*');
      if (space && this.last !== ' ') this.append(' ');
      this.append('(');
    }
    const holdModifiers = this.modifiers;
    this.modifiers = null;
    this.modList(mods, false);
    if (needParen) this.append(')');
    this.append('(');
    if (dc.right) this.comp(dc.right);
    this.append(')');
    this.modList(mods, true);
    this.modifiers = holdModifiers;
  }

  private arrayType(dc: Comp, mods: Modifier | null): void {
    let needSpace = true;
    if (mods) {
      let needParen = false;
      for (let p: Modifier | null = mods; p; p = p.next) {
        if (p.printed) continue;
        if (p.mod.type === 'array-type') needSpace = false;
        else needParen = true;
        break;
      }
      if (needParen) this.append(' (');
      this.modList(mods, false);
      if (needParen) this.append(')');
    }
    if (needSpace) this.append(' ');
    this.append('[');
    if (dc.left) this.comp(dc.left);
    this.append(']');
  }

  private findPack(dc: Comp | null): Comp | null {
    if (!dc) return null;
    this.step();
    switch (dc.type) {
      case 'template-param': {
        const a = this.lookupTemplateArgument(dc);
        return a && a.type === 'template-arglist' ? a : null;
      }
      case 'pack-expansion': case 'lambda': case 'name': case 'tagged-name': case 'operator': case 'builtin-type':
      case 'extended-builtin-type': case 'sub-std': case 'character': case 'function-param': case 'unnamed-type':
      case 'default-arg': case 'number':
        return null;
      case 'extended-operator': case 'ctor': case 'dtor':
        return this.findPack(dc.left);
      default:
        return this.findPack(dc.left) ?? this.findPack(dc.right);
    }
  }

  private argsLength(dc: Comp | null): number {
    let count = 0;
    for (; dc && dc.type === 'template-arglist'; dc = dc.right) {
      const elt = dc.left;
      if (!elt) break;
      if (elt.type === 'pack-expansion') count += packLength(this.findPack(elt.left));
      else count++;
    }
    return count;
  }
}

function functionParens(mods: Modifier | null): { needParen: boolean; needSpace: boolean } {
  for (let p = mods; p && !p.printed; p = p.next) {
    switch (p.mod.type) {
      case 'pointer': case 'reference': case 'rvalue-reference':
        return { needParen: true, needSpace: false };
      case 'restrict': case 'volatile': case 'const': case 'vendor-type-qual': case 'complex': case 'imaginary':
      case 'ptrmem-type':
        return { needParen: true, needSpace: true };
      default:
        break;
    }
  }
  return { needParen: false, needSpace: false };
}

function indexTemplateArgument(args: Comp | null, i: number): Comp | null {
  if (i < 0) return args;
  let a = args;
  for (; a; a = a.right) {
    if (a.type !== 'template-arglist') return null;
    if (i <= 0) break;
    i--;
  }
  if (i !== 0 || !a) return null;
  return a.left;
}

function packLength(dc: Comp | null): number {
  let count = 0;
  for (; dc && dc.type === 'template-arglist' && dc.left; dc = dc.right) count++;
  return count;
}

function isDesignatedInit(dc: Comp): boolean {
  if (dc.type !== 'binary' && dc.type !== 'trinary') return false;
  const code = dc.left?.op?.code;
  return code !== undefined && code[0] === 'd' && 'ixX'.includes(code[1]);
}
