// Prepares a call (parse, resolve, marshal: everything that can refuse) and then runs it.
import { koffi } from '../native/koffi.ts';
import type { TypeObject } from 'koffi';
import type { CallParams, CallResult, CallingConvention, JsonValue, Timing } from '../protocol/messages.ts';
import { AgentFailure, type Platform } from '../native/platform.ts';
import { ArgumentError, type ParamPlan, TypeRegistry, collectOuts, planParam, resultJson, stackBytesOf } from './marshal.ts';
import { type Prototype, PrototypeError, parseDeclarations, parsePrototype, splitSource } from './prototype.ts';
import { LruCache } from './lru-cache.ts';

export interface PreparedCall {
  symbol: string;
  address: bigint;
  invoke: Invoke;
  returns: TypeObject;
  prototype: Prototype;
  plans: ParamPlan[];
}

type Invoke = (...args: unknown[]) => unknown;

interface Shape {
  prototype: Prototype;
  registry: TypeRegistry;
}

/** What a call needs apart from its arguments, kept per library handle, prototype and convention. */
interface Binding extends Shape {
  convention: CallingConvention;
  returns: TypeObject;
  symbol: string;
  address: bigint;
  /** Bound functions by the argument kinds (a pointer parameter takes a buffer, a string, null...). */
  invokers: LruCache<string, Invoke>;
}

// koffi never frees a function type or bound function: re-creating them per request grew the
// agent by ~2 KiB a call. The bounds keep a client cycling through many prototypes finite too.
const bindings = new LruCache<string, Binding>(512);
const registries = new LruCache<string, TypeRegistry>(64);
const INVOKERS_PER_BINDING = 16;

export function prepareCall(platform: Platform, native: unknown, params: CallParams): PreparedCall {
  const key = bindingKey(params);
  const cached = bindings.get(key);
  const { prototype, registry } = cached ?? parse(params);
  if (prototype.variadic) throw new AgentFailure('unsupported', 'PrototypeError', 'variadic functions are not supported');
  if (params.args.length !== prototype.params.length) {
    throw new AgentFailure('bad-args', 'ArgumentError', `${prototype.name} takes ${prototype.params.length} argument(s), got ${params.args.length}`);
  }
  const plans = guard(() => prototype.params.map((p, i) => planParam(registry, p, params.args[i], i)));
  let binding = cached;
  if (!binding) {
    binding = resolveBinding(platform, native, params, { prototype, registry });
    bindings.set(key, binding);
  }
  const invoke = invokerFor(platform, native, binding, plans);
  return { symbol: binding.symbol, address: binding.address, invoke, returns: binding.returns, prototype, plans };
}

/** Drops what was bound for a library that is being unloaded. */
export function forgetLibrary(handle: string): void {
  bindings.deleteWhere((key) => key.startsWith(`${handle}\u0000`));
}

function bindingKey(params: CallParams): string {
  return `${params.handle}\u0000${params.options?.convention ?? ''}\u0000${params.declarations ?? ''}\u0000${params.prototype}`;
}

function resolveBinding(platform: Platform, native: unknown, params: CallParams, shape: Shape): Binding {
  const { prototype, registry } = shape;
  const convention = params.options?.convention ?? prototype.convention ?? 'cdecl';
  const returns = guard(() => registry.koffiType(registry.normalize(prototype.returns)));
  const stackBytes = guard(() => prototype.params.reduce((sum, p) => sum + stackBytesOf(registry, p.type), 0));
  const candidates = symbolCandidates(prototype.name, convention, stackBytes);
  const found = platform.resolve(native, candidates);
  if (!found) {
    throw new AgentFailure('symbol-not-found', 'ERROR_PROC_NOT_FOUND', `no export named ${candidates.map((c) => (typeof c === 'number' ? `#${c}` : c)).join(' / ')}`, 127);
  }
  // Conventions only differ on 32-bit x86; koffi rejects __fastcall/__thiscall prototypes elsewhere.
  const bound = process.arch === 'ia32' ? convention : 'cdecl';
  return { prototype, registry, convention: bound, returns, symbol: found.name, address: found.address, invokers: new LruCache(INVOKERS_PER_BINDING) };
}

function invokerFor(platform: Platform, native: unknown, binding: Binding, plans: ParamPlan[]): Invoke {
  const key = plans.map((p) => p.specKey).join(',');
  let invoke = binding.invokers.get(key);
  if (!invoke) {
    const specs = plans.map((p) => p.spec);
    invoke = guard(() => bind(platform, native, binding.symbol, binding.convention, binding.returns, specs, binding.address));
    binding.invokers.set(key, invoke);
  }
  return invoke;
}

// koffi calls fastcall/thiscall only through functions it binds by name from a library it opened
// (koffi.proto refuses them), so those go through the platform's koffi handle of the library.
function bind(platform: Platform, native: unknown, name: string, convention: CallingConvention, returns: TypeObject, specs: ParamPlan['spec'][], address: bigint): Invoke {
  if (convention === 'fastcall' || convention === 'thiscall') {
    if (name.startsWith('#')) throw new AgentFailure('unsupported', 'KoffiError', `${convention} calls by ordinal are not supported`);
    return platform.koffiLibrary(native).func(`__${convention}`, name, returns, specs) as Invoke;
  }
  // A function decoded from the address once is called ~5x faster than koffi.call(address, ...).
  // User-space addresses stay below 2^53, so the number is exact.
  const proto = koffi.proto(`__${convention}`, null, returns, specs);
  return koffi.decode(Number(address), proto) as Invoke;
}

function parse(params: CallParams): Shape {
  const split = splitSource(params.prototype);
  const declarations = [params.declarations ?? '', split.declarations].filter((d) => d.trim() !== '').join(';\n');
  return guard(() => {
    const prototype = parsePrototype(split.prototype);
    let registry = registries.get(declarations);
    if (!registry) {
      registry = new TypeRegistry(parseDeclarations(declarations));
      registries.set(declarations, registry);
    }
    return { prototype, registry };
  });
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof AgentFailure) throw error;
    if (error instanceof ArgumentError) throw new AgentFailure('bad-args', error.name, error.message);
    if (error instanceof PrototypeError) throw new AgentFailure('bad-prototype', error.name, error.message);
    throw new AgentFailure('bad-prototype', 'KoffiError', (error as Error).message);
  }
}

/** Export spellings to try: as written, then the x86 decorations of the convention. */
export function symbolCandidates(name: string, convention: CallingConvention, stackBytes: number): (string | number)[] {
  const ordinal = /^#(\d+)$/.exec(name);
  if (ordinal) return [Number(ordinal[1])];
  const out: string[] = [name];
  if (/[@?]/.test(name) || process.arch !== 'ia32' || process.platform !== 'win32') return out;
  if (convention === 'stdcall') out.push(`${name}@${stackBytes}`, `_${name}@${stackBytes}`);
  if (convention === 'fastcall') out.push(`@${name}@${stackBytes}`);
  out.push(`_${name}`);
  return [...new Set(out)];
}

export interface CallHooks {
  onProgress(done: number, total: number): void;
}

export function runCall(platform: Platform, prepared: PreparedCall, repeat: number, hooks: CallHooks): CallResult {
  const args = prepared.plans.map((p) => p.value);
  const durations: number[] = [];
  let value: unknown;
  let errno: number | null = null;
  let lastProgress = Date.now();
  for (let i = 0; i < repeat; i++) {
    platform.clearLastError();
    const start = process.hrtime.bigint();
    value = prepared.invoke(...args);
    const end = process.hrtime.bigint();
    captureLastError(platform);
    errno = koffi.errno();
    durations.push(Number(end - start) / 1e6);
    if (repeat > 1 && Date.now() - lastProgress > 250) {
      lastProgress = Date.now();
      hooks.onProgress(i + 1, repeat);
    }
  }
  return {
    symbol: prepared.symbol,
    value: resultJson(prepared.returns, value) as JsonValue,
    outs: collectOuts(prepared.prototype.params, prepared.plans),
    lastError: platform.lastError(),
    errno,
    durationMs: durations[durations.length - 1],
    timing: repeat > 1 ? timing(durations) : null,
  };
}

function captureLastError(platform: Platform): void {
  const capture = (platform as { captureLastError?: () => void }).captureLastError;
  if (capture) capture.call(platform);
}

function timing(durations: number[]): Timing {
  const sorted = [...durations].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { runs: sorted.length, minMs: sorted[0], medianMs, maxMs: sorted[sorted.length - 1] };
}
