// Decodes EXCEPTION_POINTERS, EXCEPTION_RECORD and the register part of CONTEXT for x86 and x64.
import { POINTER_BYTES, hex, readBytes, readPointer } from './memory.ts';

export const CONTEXT_BYTES = POINTER_BYTES === 8 ? 1232 : 716;

export interface ExceptionInfo {
  code: number;
  flags: number;
  address: bigint;
  params: bigint[];
  contextAddress: bigint;
  context: Buffer;
}

/** Register name → byte offset in CONTEXT (winnt.h layouts). */
export const REGISTER_OFFSETS: Readonly<Record<string, number>> =
  POINTER_BYTES === 8
    ? {
        rax: 0x78, rcx: 0x80, rdx: 0x88, rbx: 0x90, rsp: 0x98, rbp: 0xa0, rsi: 0xa8, rdi: 0xb0,
        r8: 0xb8, r9: 0xc0, r10: 0xc8, r11: 0xd0, r12: 0xd8, r13: 0xe0, r14: 0xe8, r15: 0xf0, rip: 0xf8,
      }
    : { edi: 156, esi: 160, ebx: 164, edx: 168, ecx: 172, eax: 176, ebp: 180, eip: 184, esp: 196 };
const EFLAGS_OFFSET = POINTER_BYTES === 8 ? 0x44 : 192;

export function readRegister(context: Buffer, name: string): bigint {
  const at = REGISTER_OFFSETS[name];
  return POINTER_BYTES === 8 ? context.readBigUInt64LE(at) : BigInt(context.readUInt32LE(at));
}

export function writeRegister(context: Buffer, name: string, value: bigint): void {
  const at = REGISTER_OFFSETS[name];
  if (POINTER_BYTES === 8) context.writeBigUInt64LE(BigInt.asUintN(64, value), at);
  else context.writeUInt32LE(Number(BigInt.asUintN(32, value)), at);
}

export function registers(context: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(REGISTER_OFFSETS)) out[name] = hex(readRegister(context, name));
  out.eflags = hex(context.readUInt32LE(EFLAGS_OFFSET));
  return out;
}

export function decodeException(pointers: bigint): ExceptionInfo | null {
  const record = readPointer(pointers);
  const contextAddress = readPointer(pointers + BigInt(POINTER_BYTES));
  if (!record || !contextAddress) return null;
  const p = POINTER_BYTES;
  const head = readBytes(record, 4 + 4 + p + p + 4 + (p === 8 ? 4 : 0) + 15 * p);
  const context = readBytes(contextAddress, CONTEXT_BYTES);
  if (!head || !context) return null;
  const word = (at: number) => (p === 8 ? head.readBigUInt64LE(at) : BigInt(head.readUInt32LE(at)));
  const count = Math.min(head.readUInt32LE(4 + 4 + 2 * p), 15);
  const paramsAt = p === 8 ? 32 : 20;
  const params = Array.from({ length: count }, (_, i) => word(paramsAt + i * p));
  return { code: head.readUInt32LE(0), flags: head.readUInt32LE(4), address: word(8 + p), params, contextAddress, context };
}
