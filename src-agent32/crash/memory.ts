// Reads of arbitrary process memory that cannot fault: ReadProcessMemory on our own process
// returns FALSE for unmapped or protected pages instead of raising inside the exception handler.
import { koffi } from '../native/koffi.ts';

const k32 = koffi.load('kernel32.dll');
const GetCurrentProcess = k32.func('void * __stdcall GetCurrentProcess()');
const ReadProcessMemory = k32.func('int __stdcall ReadProcessMemory(void *process, uintptr_t address, void *buf, uintptr_t size, void *read)');

const VirtualQuery = k32.func('uintptr_t __stdcall VirtualQuery(uintptr_t address, void *info, uintptr_t size)');

export const POINTER_BYTES = koffi.sizeof('void *');
const self = GetCurrentProcess();

export function readBytes(address: bigint, size: number): Buffer | null {
  if (address <= 0n || size <= 0) return null;
  const buf = Buffer.alloc(size);
  return ReadProcessMemory(self, address, buf, size, null) ? buf : null;
}

/** End of the committed region holding the address (its base + size), or the address itself. */
export function regionEnd(address: bigint): bigint {
  const info = Buffer.alloc(POINTER_BYTES === 8 ? 48 : 28);
  if (!VirtualQuery(address, info, info.length)) return address;
  const base = POINTER_BYTES === 8 ? info.readBigUInt64LE(0) : BigInt(info.readUInt32LE(0));
  const size = POINTER_BYTES === 8 ? info.readBigUInt64LE(24) : BigInt(info.readUInt32LE(12));
  return base + size;
}

export function readU32(address: bigint): number | null {
  return readBytes(address, 4)?.readUInt32LE(0) ?? null;
}

export function readPointer(address: bigint): bigint | null {
  const buf = readBytes(address, POINTER_BYTES);
  if (!buf) return null;
  return POINTER_BYTES === 8 ? buf.readBigUInt64LE(0) : BigInt(buf.readUInt32LE(0));
}

export function readAsciiz(address: bigint, max = 256): string | null {
  const buf = readBytes(address, max);
  if (!buf) return readBytes(address, 1) ? readShortAsciiz(address, max) : null;
  const end = buf.indexOf(0);
  return buf.toString('latin1', 0, end < 0 ? max : end);
}

// The name may end just before an unreadable page: read byte by byte then.
function readShortAsciiz(address: bigint, max: number): string {
  let text = '';
  for (let i = 0; i < max; i++) {
    const b = readBytes(address + BigInt(i), 1);
    if (!b || b[0] === 0) break;
    text += String.fromCharCode(b[0]);
  }
  return text;
}

export function hex(value: bigint | number): string {
  return `0x${BigInt.asUintN(64, BigInt(value)).toString(16)}`;
}
