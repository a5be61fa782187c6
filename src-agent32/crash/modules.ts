// Names addresses as module + offset + nearest export, reading the export directory of the image
// already mapped in memory (the agent has no PE parser of its own and needs none for this).
import { koffi } from '../native/koffi.ts';
import { moduleFileName } from '../native/kernel32.ts';
import { readAsciiz, readBytes, readU32 } from './memory.ts';

const k32 = koffi.load('kernel32.dll');
const GetModuleHandleExW = k32.func('int __stdcall GetModuleHandleExW(uint32_t flags, uintptr_t address, _Out_ void **module)');
const FROM_ADDRESS_UNCHANGED_REFCOUNT = 0x4 | 0x2;

export interface ModuleLocation {
  path: string;
  name: string;
  base: bigint;
  offset: number;
  symbol: string | null;
}

interface ExportEntry {
  rva: number;
  name: string;
}

const exportCache = new Map<bigint, ExportEntry[]>();

export function moduleBaseOf(address: bigint): bigint | null {
  const out: unknown[] = [null];
  if (!GetModuleHandleExW(FROM_ADDRESS_UNCHANGED_REFCOUNT, address, out) || !out[0]) return null;
  return BigInt(out[0] as bigint);
}

export function locate(address: bigint): ModuleLocation | null {
  const base = moduleBaseOf(address);
  if (base === null) return null;
  const path = moduleFileName(base);
  const offset = Number(address - base);
  return { path, name: path.split(/[\\/]/).pop() ?? path, base, offset, symbol: nearestExport(base, offset) };
}

/**
 * locate() for a return address, named after the call instruction before it: a call to a function
 * that never returns (abort) can be the last instruction of its function, and then the return
 * address is already the next function's first.
 */
export function locateReturnAddress(address: bigint): ModuleLocation | null {
  const call = locate(address - 1n);
  return call && { ...call, offset: call.offset + 1, symbol: nearestExport(call.base, call.offset, call.offset + 1) };
}

/** The export at or below `rva`, as "Name+0x12" counted to `shownRva`. */
export function nearestExport(base: bigint, rva: number, shownRva = rva): string | null {
  let best: ExportEntry | null = null;
  for (const entry of exportsOf(base)) if (entry.rva <= rva && (!best || entry.rva > best.rva)) best = entry;
  if (!best) return null;
  return shownRva === best.rva ? best.name : `${best.name}+0x${(shownRva - best.rva).toString(16)}`;
}

function exportsOf(base: bigint): ExportEntry[] {
  let entries = exportCache.get(base);
  if (!entries) {
    entries = readExports(base);
    exportCache.set(base, entries);
  }
  return entries;
}

function readExports(base: bigint): ExportEntry[] {
  const dir = exportDirectory(base);
  if (!dir) return [];
  const header = readBytes(base + BigInt(dir.rva), 40);
  if (!header) return [];
  const ordinalBase = header.readUInt32LE(16);
  const count = Math.min(header.readUInt32LE(20), 65536);
  const nameCount = Math.min(header.readUInt32LE(24), 65536);
  const functions = readBytes(base + BigInt(header.readUInt32LE(28)), count * 4);
  if (!functions) return [];
  const names = nameTable(base, header, nameCount);
  const entries: ExportEntry[] = [];
  for (let i = 0; i < count; i++) {
    const rva = functions.readUInt32LE(i * 4);
    // Zero is an unused slot; an RVA inside the export directory is a forwarder string.
    if (rva === 0 || (rva >= dir.rva && rva < dir.rva + dir.size)) continue;
    entries.push({ rva, name: names.get(i) ?? `#${ordinalBase + i}` });
  }
  return entries;
}

function nameTable(base: bigint, header: Buffer, count: number): Map<number, string> {
  const names = new Map<number, string>();
  const nameRvas = readBytes(base + BigInt(header.readUInt32LE(32)), count * 4);
  const ordinals = readBytes(base + BigInt(header.readUInt32LE(36)), count * 2);
  if (!nameRvas || !ordinals) return names;
  for (let i = 0; i < count; i++) {
    const name = readAsciiz(base + BigInt(nameRvas.readUInt32LE(i * 4)));
    if (name) names.set(ordinals.readUInt16LE(i * 2), name);
  }
  return names;
}

function exportDirectory(base: bigint): { rva: number; size: number } | null {
  const lfanew = readU32(base + 0x3cn);
  if (lfanew === null) return null;
  const optional = base + BigInt(lfanew) + 24n;
  const magic = readBytes(optional, 2)?.readUInt16LE(0);
  const dirAt = magic === 0x20b ? 112n : magic === 0x10b ? 96n : null;
  if (dirAt === null) return null;
  const entry = readBytes(optional + dirAt, 8);
  if (!entry || entry.readUInt32LE(0) === 0) return null;
  return { rva: entry.readUInt32LE(0), size: entry.readUInt32LE(4) };
}
