// Walks the faulting thread's stack from the exception CONTEXT (not from the handler's own stack):
// x86 follows the EBP chain, x64 unwinds with the images' unwind tables (RtlVirtualUnwind).
import { koffi } from '../native/koffi.ts';
import { POINTER_BYTES, readBytes, readPointer, regionEnd } from './memory.ts';
import { CONTEXT_BYTES, readRegister, writeRegister } from './context.ts';
import { moduleBaseOf } from './modules.ts';

const MAX_FRAMES = 64;

export function backtrace(context: Buffer): bigint[] {
  return POINTER_BYTES === 8 ? unwindX64(Buffer.from(context)) : walkEbpChain(context);
}

function walkEbpChain(context: Buffer): bigint[] {
  const frames = [readRegister(context, 'eip')];
  const esp = readRegister(context, 'esp');
  // koffi runs native calls on a stack of its own, so the thread's TEB limits may describe another
  // stack: the bounds are those of the memory region the faulting ESP lies in.
  const low = esp;
  const high = regionEnd(esp);
  let ebp = readRegister(context, 'ebp');
  // A fault in a function without a frame of its own (a leaf) leaves its return address at [esp],
  // which the EBP chain skips.
  const leafReturn = readPointer(esp);
  if (leafReturn !== null && leafReturn !== readPointer(ebp + 4n) && looksLikeReturnAddress(leafReturn)) frames.push(leafReturn);
  // A frame pointer must lie on this thread's stack, be aligned and grow towards the stack base.
  while (frames.length < MAX_FRAMES && ebp >= low && ebp + 8n <= high && ebp % 4n === 0n) {
    const next = readPointer(ebp);
    const ret = readPointer(ebp + 4n);
    if (next === null || ret === null || ret === 0n) break;
    frames.push(ret);
    if (next <= ebp) break;
    ebp = next;
  }
  return frames;
}

/** True when the bytes before the address end with a call instruction (e8 rel32, ff /2). */
function looksLikeReturnAddress(address: bigint): boolean {
  if (moduleBaseOf(address) === null) return false;
  const before = readBytes(address - 7n, 7);
  if (!before) return false;
  if (before[2] === 0xe8) return true;
  // ff /2 is 2 (register), 3 (disp8), 6 (disp32 / absolute) or 7 (SIB + disp32) bytes long.
  return [2, 3, 6, 7].some((length) => before[7 - length] === 0xff && ((before[8 - length] >> 3) & 7) === 2);
}

let unwinder: { lookup: (...a: unknown[]) => unknown; unwind: (...a: unknown[]) => unknown } | null = null;

function ntdll() {
  if (!unwinder) {
    const lib = koffi.load('ntdll.dll');
    unwinder = {
      lookup: lib.func('void * __stdcall RtlLookupFunctionEntry(uint64_t pc, _Out_ uint64_t *imageBase, void *history)'),
      unwind: lib.func(
        'void * __stdcall RtlVirtualUnwind(uint32_t type, uint64_t imageBase, uint64_t pc, void *entry, void *context, _Out_ void **handlerData, _Out_ uint64_t *establisher, void *pointers)',
      ),
    };
  }
  return unwinder;
}

function unwindX64(context: Buffer): bigint[] {
  const { lookup, unwind } = ntdll();
  const frames: bigint[] = [];
  // CONTEXT must be 16-byte aligned for RtlVirtualUnwind; a fresh allocation of this size is.
  const ctx = Buffer.alloc(CONTEXT_BYTES);
  context.copy(ctx);
  while (frames.length < MAX_FRAMES) {
    const pc = readRegister(ctx, 'rip');
    const sp = readRegister(ctx, 'rsp');
    if (pc === 0n) break;
    frames.push(pc);
    // JIT code and the like: no module, no unwind data we can trust.
    if (moduleBaseOf(pc) === null) break;
    const imageBase = [0n];
    const entry = lookup(pc, imageBase, null);
    if (entry) unwind(0, imageBase[0], pc, entry, ctx, [null], [0n], null);
    else leafUnwind(ctx, sp);
    if (readRegister(ctx, 'rsp') <= sp) break;
  }
  return frames;
}

// A function without unwind data is a leaf: the return address is at the top of the stack.
function leafUnwind(ctx: Buffer, sp: bigint): void {
  const ret = readPointer(sp);
  writeRegister(ctx, 'rip', ret ?? 0n);
  writeRegister(ctx, 'rsp', sp + 8n);
}
