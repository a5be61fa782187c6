import type { ParseContext } from './parse-context.ts';
import type { ClrInfo, DataDirectory, DotNetFlavor, MachineName } from './pe-image.ts';

const HEADER_SIZE = 72;
const STRUCTURE = 'CLR header';
const METADATA_SIGNATURE = 0x424a5342; // "BSJB"
const MAX_VERSION_LENGTH = 255;

export const COR_FLAGS = {
  ilOnly: 0x1,
  requires32Bit: 0x2,
  strongNameSigned: 0x8,
  prefers32Bit: 0x20000,
} as const;

interface FlavorInput {
  ilOnly: boolean;
  requires32Bit: boolean;
  prefers32Bit: boolean;
  is64Bit: boolean;
  machine: MachineName;
}

/** How .NET runs an assembly, and in which host bitness it loads. */
export function clrFlavor(input: FlavorInput): Pick<ClrInfo, 'flavor' | 'loadsIn'> {
  const make = (flavor: DotNetFlavor, x86: boolean, x64: boolean) => ({ flavor, loadsIn: { x86, x64 } });
  // Native code inside (C++/CLI) pins the assembly to its PE machine.
  if (!input.ilOnly) return make('mixed-mode', input.machine === 'x86', input.machine === 'x64');
  if (input.is64Bit) return input.machine === 'arm64' ? make('arm64-only', false, false) : make('x64-only', false, true);
  if (input.prefers32Bit) return make('anycpu-prefer32', true, true);
  return input.requires32Bit ? make('x86-only', true, false) : make('anycpu', true, true);
}

// The metadata root: "BSJB", versions, reserved, then a length-prefixed, NUL-padded version string.
function readMetadataVersion(ctx: ParseContext, rva: number): string | null {
  const offset = ctx.space.rvaToOffset(rva);
  const root = offset === null ? Buffer.alloc(0) : ctx.reader.bytes(offset, 16);
  if (root.length < 16 || root.readUInt32LE(0) !== METADATA_SIGNATURE) {
    ctx.issues.add('CLR metadata root', offset, `no "BSJB" metadata signature at RVA 0x${rva.toString(16)}`);
    return null;
  }
  const declared = root.readUInt32LE(12);
  const text = ctx.reader.bytes(offset! + 16, Math.min(declared, MAX_VERSION_LENGTH + 1));
  if (declared > MAX_VERSION_LENGTH + 1 || text.length < Math.min(declared, MAX_VERSION_LENGTH + 1)) {
    ctx.issues.add('CLR metadata root', offset, `version string length ${declared} is too long or runs past the end of the file`);
  }
  const end = text.indexOf(0);
  return text.toString('utf8', 0, end < 0 ? text.length : end);
}

/** Reads IMAGE_COR20_HEADER: runtime version, flags, metadata version and what they mean for loading. */
export function readClrHeader(ctx: ParseContext, dir: DataDirectory, machine: MachineName): ClrInfo | null {
  const offset = ctx.space.rvaToOffset(dir.rva);
  const header = offset === null ? Buffer.alloc(0) : ctx.reader.bytes(offset, HEADER_SIZE);
  if (header.length < 20) {
    ctx.issues.add(STRUCTURE, offset, `CLR header at RVA 0x${dir.rva.toString(16)} is not backed by file data`);
    return null;
  }
  const cb = header.readUInt32LE(0);
  if (cb < HEADER_SIZE || header.length < HEADER_SIZE) ctx.issues.add(STRUCTURE, offset, `header size ${cb} (readable ${header.length}), expected ${HEADER_SIZE}`);
  const flags = header.readUInt32LE(16);
  const ilOnly = (flags & COR_FLAGS.ilOnly) !== 0;
  const prefers32Bit = (flags & COR_FLAGS.prefers32Bit) !== 0;
  // AnyCPU-32-bit-preferred is encoded as 32BITREQUIRED + 32BITPREFERRED: only the pair relaxes it.
  const requires32Bit = (flags & COR_FLAGS.requires32Bit) !== 0 && !prefers32Bit;
  const metadataRva = header.readUInt32LE(8);
  return {
    runtimeVersion: `${header.readUInt16LE(4)}.${header.readUInt16LE(6)}`,
    flags,
    ilOnly,
    requires32Bit,
    prefers32Bit,
    strongNameSigned: (flags & COR_FLAGS.strongNameSigned) !== 0,
    ...clrFlavor({ ilOnly, requires32Bit, prefers32Bit, is64Bit: ctx.is64Bit, machine }),
    metadataVersion: metadataRva === 0 ? null : readMetadataVersion(ctx, metadataRva),
  };
}
