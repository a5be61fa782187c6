import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type FixtureArch = 'x86' | 'x64';

const TOOL_PREFIX: Record<FixtureArch, string> = { x86: 'i686-w64-mingw32', x64: 'x86_64-w64-mingw32' };

/** Wine's PE DLL folders, arranged by the tests as a fake Windows folder. */
export const WINE_DLLS: Record<FixtureArch, string> = {
  x64: '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows',
  x86: '/usr/lib/i386-linux-gnu/wine/i386-windows',
};

export function makeTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `thunk-${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface DllSpec {
  arch: FixtureArch;
  /** Output path of the DLL. */
  out: string;
  /** C source text. */
  source: string;
  /** Module-definition text (ordinal-only, forwarded exports). */
  def?: string;
  /** Import libraries or DLLs to link against. */
  link?: string[];
  /** Names of DLLs whose delay import library is in `link`: their delay directory is patched in. */
  delayLoaded?: string[];
  /** Extra compiler/linker arguments, e.g. -Wl,--disable-dynamicbase. */
  flags?: string[];
  /** Link a program (with main) instead of a DLL. */
  exe?: boolean;
}

function tool(arch: FixtureArch, name: string): string {
  return `${TOOL_PREFIX[arch]}-${name}`;
}

/** Compiles a DLL with MinGW into spec.out. */
export function buildDll(spec: DllSpec): string {
  mkdirSync(dirname(spec.out), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'thunk-cc-'));
  try {
    const source = join(work, 'module.c');
    writeFileSync(source, spec.delayLoaded?.length ? `${spec.source}\n${DELAY_SLOT_SOURCE}` : spec.source);
    const args = [...(spec.exe ? [] : ['-shared']), '-O1', '-o', spec.out, source];
    if (spec.def) {
      const def = join(work, 'module.def');
      writeFileSync(def, spec.def);
      args.push(def);
    }
    execFileSync(tool(spec.arch, 'gcc'), [...args, ...(spec.link ?? []), ...(spec.flags ?? [])], { stdio: 'pipe' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const dll of spec.delayLoaded ?? []) patchDelayDirectory(spec.out, dll);
  return spec.out;
}

/** Builds an import library (or, with delay, a delay-import library) from .def text. */
export function importLibrary(arch: FixtureArch, def: string, out: string, delay = false): string {
  mkdirSync(dirname(out), { recursive: true });
  const defPath = `${out}.def`;
  writeFileSync(defPath, def);
  execFileSync(tool(arch, 'dlltool'), ['-d', defPath, delay ? '-y' : '-l', out], { stdio: 'pipe' });
  return out;
}

interface PeLayout {
  sections: { rva: number; size: number; raw: number }[];
  dataDirs: number;
}

function layout(file: Buffer): PeLayout {
  const pe = file.readUInt32LE(0x3c);
  const count = file.readUInt16LE(pe + 6);
  const optional = pe + 24;
  const magic = file.readUInt16LE(optional);
  const table = optional + file.readUInt16LE(pe + 20);
  const sections = Array.from({ length: count }, (_, i) => ({
    size: file.readUInt32LE(table + i * 40 + 8), rva: file.readUInt32LE(table + i * 40 + 12), raw: file.readUInt32LE(table + i * 40 + 20),
  }));
  return { sections, dataDirs: optional + (magic === 0x20b ? 112 : 96) };
}

function offsetToRva(pe: PeLayout, offset: number): number | null {
  const s = pe.sections.find((x) => offset >= x.raw && offset < x.raw + x.size);
  return s ? offset - s.raw + s.rva : null;
}

const DELAY_SLOT_MARKER = 'THUNK-DELAY-SLOT';
// Room for one descriptor and the all-zero terminator, in initialised read-only data.
const DELAY_SLOT_SOURCE = `__attribute__((used)) const char thunk_delay_slot[64] = "${DELAY_SLOT_MARKER}";`;

/**
 * GNU ld links dlltool's delay-import libraries but leaves data directory 13 empty, and the
 * descriptor it emits is not followed by a terminator. Copy the descriptor (Attributes = 1,
 * then the RVA of the DLL's name) into a marked slot followed by zeros and point the directory
 * there, which is what Windows and our parser read.
 */
export function patchDelayDirectory(path: string, dllName: string): void {
  const file = readFileSync(path);
  const pe = layout(file);
  const nameOffset = file.indexOf(Buffer.from(`${dllName}\0`, 'latin1'));
  const nameRva = nameOffset >= 0 ? offsetToRva(pe, nameOffset) : null;
  if (nameRva === null) throw new Error(`${path}: delay-import name ${dllName} not found`);
  const needle = Buffer.alloc(8);
  needle.writeUInt32LE(1, 0);
  needle.writeUInt32LE(nameRva, 4);
  const at = file.indexOf(needle);
  if (at < 0 || offsetToRva(pe, at) === null) throw new Error(`${path}: delay-import descriptor for ${dllName} not found`);
  const slot = file.indexOf(Buffer.from(DELAY_SLOT_MARKER, 'latin1'));
  const slotRva = slot >= 0 ? offsetToRva(pe, slot) : null;
  if (slotRva === null) throw new Error(`${path}: delay slot not found`);
  file.fill(0, slot, slot + 64);
  file.copy(file, slot, at, at + 32);
  file.writeUInt32LE(slotRva, pe.dataDirs + 13 * 8);
  file.writeUInt32LE(64, pe.dataDirs + 13 * 8 + 4);
  writeFileSync(path, file);
}

/**
 * A fake Windows folder made of Wine's PE DLL folders: system32 -> x86_64-windows and
 * syswow64 -> i386-windows (symlinks), as 64-bit Windows lays them out.
 */
export function wineWindowsDir(parent: string): string {
  const windows = join(parent, 'windows');
  mkdirSync(windows, { recursive: true });
  execFileSync('ln', ['-s', WINE_DLLS.x64, join(windows, 'system32')]);
  execFileSync('ln', ['-s', WINE_DLLS.x86, join(windows, 'syswow64')]);
  return windows;
}
