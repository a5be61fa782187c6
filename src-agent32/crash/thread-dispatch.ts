// Keeps exception handlers written in JS off the DLL's own threads. koffi runs a JS callback that
// another thread calls on the main thread's event loop and blocks that thread until then; the
// agent's main thread serves requests in a loop of its own and never returns to the event loop, so
// a thread that faulted would wait forever (seen under Wine: the agent then lives on, answering
// pings). A few bytes of machine code in front of the callback compare the thread id in the TEB
// with the main thread's: the main thread jumps to the callback, any other gets a fixed answer.
import { FlushInstructionCache, GetCurrentProcess, GetCurrentThreadId, RtlMoveMemory, VirtualAlloc, VirtualProtect } from '../native/kernel32.ts';
import { POINTER_BYTES } from './memory.ts';

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
  const code = POINTER_BYTES === 8 ? stubX64(owner, callback, foreignResult) : stubX86(owner, callback, foreignResult);
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
