import type { FileReader } from './file-reader.ts';

const ELF_MACHINES: Record<number, string> = { 3: 'x86', 62: 'x86-64', 40: 'ARM', 183: 'AArch64', 243: 'RISC-V' };
const ELF_TYPES: Record<number, string> = { 1: 'relocatable object', 2: 'executable', 3: 'shared object', 4: 'core dump' };
const MACHO_CPUS: Record<number, string> = { 7: 'x86', 0x01000007: 'x86-64', 12: 'ARM', 0x0100000c: 'arm64' };
const MACHO_TYPES: Record<number, string> = { 1: 'object', 2: 'executable', 6: 'dynamic library', 8: 'bundle' };

function describeElf(head: Buffer): string {
  const little = head[5] === 1;
  const type = little ? head.readUInt16LE(16) : head.readUInt16BE(16);
  const machine = little ? head.readUInt16LE(18) : head.readUInt16BE(18);
  return `ELF ${ELF_TYPES[type] ?? 'file'} for ${ELF_MACHINES[machine] ?? `machine ${machine}`}`;
}

function describeMachO(head: Buffer): string | null {
  const magic = head.readUInt32BE(0);
  if (magic === 0xcafebabe && head.readUInt32BE(4) < 30) return 'Mach-O universal binary';
  const little = magic === 0xcefaedfe || magic === 0xcffaedfe;
  if (!little && magic !== 0xfeedface && magic !== 0xfeedfacf) return null;
  const cpu = little ? head.readUInt32LE(4) : head.readUInt32BE(4);
  const type = little ? head.readUInt32LE(12) : head.readUInt32BE(12);
  return `Mach-O ${MACHO_TYPES[type] ?? 'file'} for ${MACHO_CPUS[cpu] ?? `CPU ${cpu}`}`;
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  let printable = 0;
  for (const byte of head) if (byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127) || byte >= 0x80) printable++;
  return head.indexOf(0) < 0 && printable / head.length > 0.95;
}

/** Says what a file that is not a PE image is, for an error a user can act on. */
export function describeNonPe(reader: FileReader): string {
  if (reader.size === 0) return 'an empty file (0 bytes)';
  const head = reader.bytes(0, 64);
  if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) return describeElf(head);
  if (head.length >= 16) {
    const macho = describeMachO(head);
    if (macho) return macho;
  }
  if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'a ZIP archive (a .nupkg, .jar or installer payload?)';
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'an OLE compound file (an .msi installer?)';
  if (head.subarray(0, 2).toString('latin1') === 'MZ') return 'an MZ executable without a valid PE header';
  if (looksLikeText(head)) return 'a text file';
  return 'not a PE image (no MZ signature)';
}
