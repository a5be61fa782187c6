// Keeps exception handlers written in JS off the DLL's own threads. koffi runs a JS callback that
// another thread calls on the main thread's event loop and blocks that thread until then; the
// agent's main thread serves requests in a loop of its own and never returns to the event loop, so
// a thread that faulted would wait forever (seen under Wine: the agent then lives on, answering
// pings). A few bytes of machine code in front of the callback compare the thread id in the TEB
// with the main thread's: the main thread jumps to the callback, any other gets a fixed answer.
import { FlushInstructionCache, GetCurrentProcess, GetCurrentThreadId, GetModuleHandleW, GetProcAddressByName, RtlMoveMemory, VirtualAlloc, VirtualProtect } from '../native/kernel32.ts';
import { koffi } from '../native/koffi.ts';
import { POINTER_BYTES, readBytes, readPointer } from './memory.ts';
import { CONTEXT_BYTES, REGISTER_OFFSETS, readRegister, writeRegister } from './context.ts';

const MEM_COMMIT_RESERVE = 0x1000 | 0x2000;
const PAGE_READWRITE = 0x04;
const PAGE_EXECUTE_READ = 0x20;

/**
 * An exception handler or filter (one pointer-sized argument, __stdcall, LONG result) that runs
 * `callback` on the calling thread (the one whose event loop koffi would wait for) and returns
 * `foreignResult` on every other thread.
 * Null when executable memory cannot be had (then the caller should use the callback as it is).
 */
export function mainThreadOnly(callback: bigint, foreignResult: number): bigint | null {
  const owner = GetCurrentThreadId() as number;
  return installCode(POINTER_BYTES === 8 ? stubX64(owner, callback, foreignResult) : stubX86(owner, callback, foreignResult));
}

/**
 * A C runtime signal handler (`void __cdecl (int)`) that, on the main thread, records the registers
 * of the code that raised the signal and hands them to `onSignal` (null if they could not be read):
 * by the time a JS callback runs, koffi has switched stacks, so it could no longer walk the stack
 * of its caller. Other threads return at once. Null when executable memory cannot be had.
 */
export function signalHandlerWithRegisters(onSignal: (registers: Buffer | null) => void): bigint | null {
  // CONTEXT must be 16-byte aligned; VirtualAlloc gives a page.
  const context = BigInt(VirtualAlloc(0, CONTEXT_BYTES, MEM_COMMIT_RESERVE, PAGE_READWRITE));
  if (context === 0n) return null;
  const Handler = koffi.proto('__cdecl', 'ThunkSignalHandler', 'void', ['int']);
  const callback = koffi.register(() => onSignal(entryRegisters(context)), koffi.pointer(Handler));
  const address = BigInt(koffi.address(callback));
  const owner = GetCurrentThreadId() as number;
  if (POINTER_BYTES === 4) return installCode(capturingStubX86(owner, address, context));
  const kernel32 = GetModuleHandleW('kernel32.dll');
  const capture = kernel32 ? GetProcAddressByName(kernel32, 'RtlCaptureContext') : null;
  return capture ? installCode(capturingStubX64(owner, address, context, BigInt(koffi.address(capture)))) : null;
}

/** The registers at the entry of a capturing stub, from what it recorded at `address`. */
function entryRegisters(address: bigint): Buffer | null {
  const context = readBytes(address, CONTEXT_BYTES);
  if (!context) return null;
  // x64: the stub called RtlCaptureContext 0x28 bytes below its entry; x86: it stored ESP at its entry.
  const sp = POINTER_BYTES === 8 ? 'rsp' : 'esp';
  const entry = readRegister(context, sp) + (POINTER_BYTES === 8 ? 0x28n : 0n);
  writeRegister(context, POINTER_BYTES === 8 ? 'rip' : 'eip', readPointer(entry) ?? 0n);
  writeRegister(context, sp, entry + BigInt(POINTER_BYTES));
  return context;
}

function installCode(code: Buffer): bigint | null {
  const address = BigInt(VirtualAlloc(0, code.length, MEM_COMMIT_RESERVE, PAGE_READWRITE));
  if (address === 0n) return null;
  RtlMoveMemory(address, code, code.length);
  if (!VirtualProtect(address, code.length, PAGE_EXECUTE_READ, [0])) return null;
  FlushInstructionCache(GetCurrentProcess(), address, code.length);
  return address;
}

// mov eax, gs:[0x48] (TEB.ClientId.UniqueThread); cmp eax, owner; jne other; mov rax, callback;
// jmp rax; other: mov eax, result; ret. The tail jump leaves rcx and the stack as the caller made them.
function stubX64(owner: number, callback: bigint, result: number): Buffer {
  const code = Buffer.from([
    0x65, 0x8b, 0x04, 0x25, 0x48, 0, 0, 0,
    0x3d, 0, 0, 0, 0,
    0x75, 0x0c,
    0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
    0xff, 0xe0,
    0xb8, 0, 0, 0, 0,
    0xc3,
  ]);
  code.writeUInt32LE(owner, 9);
  code.writeBigUInt64LE(callback, 17);
  code.writeInt32LE(result, 28);
  return code;
}

// mov eax, fs:[0x24] (TEB.ClientId.UniqueThread); cmp eax, owner; jne other; mov eax, callback;
// jmp eax; other: mov eax, result; ret 4 (__stdcall, one argument).
function stubX86(owner: number, callback: bigint, result: number): Buffer {
  const code = Buffer.from([
    0x64, 0xa1, 0x24, 0, 0, 0,
    0x3d, 0, 0, 0, 0,
    0x75, 0x07,
    0xb8, 0, 0, 0, 0,
    0xff, 0xe0,
    0xb8, 0, 0, 0, 0,
    0xc2, 0x04, 0x00,
  ]);
  code.writeUInt32LE(owner, 7);
  code.writeUInt32LE(Number(callback), 14);
  code.writeInt32LE(result, 21);
  return code;
}

// mov eax, gs:[0x48]; cmp eax, owner; jne other; mov [rsp+8], rcx (the caller's home space);
// sub rsp, 0x28; mov rcx, context; mov rax, RtlCaptureContext; call rax; add rsp, 0x28;
// mov rcx, [rsp+8]; mov rax, callback; jmp rax; other: ret.
function capturingStubX64(owner: number, callback: bigint, context: bigint, capture: bigint): Buffer {
  const code = Buffer.from([
    0x65, 0x8b, 0x04, 0x25, 0x48, 0, 0, 0,
    0x3d, 0, 0, 0, 0,
    0x75, 0x34,
    0x48, 0x89, 0x4c, 0x24, 0x08,
    0x48, 0x83, 0xec, 0x28,
    0x48, 0xb9, 0, 0, 0, 0, 0, 0, 0, 0,
    0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
    0xff, 0xd0,
    0x48, 0x83, 0xc4, 0x28,
    0x48, 0x8b, 0x4c, 0x24, 0x08,
    0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
    0xff, 0xe0,
    0xc3,
  ]);
  code.writeUInt32LE(owner, 9);
  code.writeBigUInt64LE(context, 26);
  code.writeBigUInt64LE(capture, 36);
  code.writeBigUInt64LE(callback, 57);
  return code;
}

// mov eax, fs:[0x24]; cmp eax, owner; jne other; mov [context + offset], reg for each register
// but eax (scratch at a __cdecl entry) and eip; mov eax, callback; jmp eax; other: ret (__cdecl).
// No RtlCaptureContext here: on x86 Windows it describes the caller's caller through EBP.
function capturingStubX86(owner: number, callback: bigint, context: bigint): Buffer {
  const head = Buffer.from([0x64, 0xa1, 0x24, 0, 0, 0, 0x3d, 0, 0, 0, 0, 0x75, 0]);
  head.writeUInt32LE(owner, 7);
  // ModRM for [disp32] with the register in the reg field.
  const stores = (['edi', 'esi', 'ebx', 'edx', 'ecx', 'ebp', 'esp'] as const).map((name) => {
    const store = Buffer.from([0x89, X86_MODRM_DISP32[name], 0, 0, 0, 0]);
    store.writeUInt32LE(Number(context) + REGISTER_OFFSETS[name]!, 2);
    return store;
  });
  const jump = Buffer.from([0xb8, 0, 0, 0, 0, 0xff, 0xe0]);
  jump.writeUInt32LE(Number(callback), 1);
  const body = Buffer.concat([...stores, jump]);
  head[12] = body.length;
  return Buffer.concat([head, body, Buffer.from([0xc3])]);
}

const X86_MODRM_DISP32 = { ecx: 0x0d, edx: 0x15, ebx: 0x1d, esp: 0x25, ebp: 0x2d, esi: 0x35, edi: 0x3d } as const;
