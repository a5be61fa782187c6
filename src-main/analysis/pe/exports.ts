import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, ExportDirectory, ExportEntry } from './pe-image.ts';
import { LIMITS } from './limits.ts';

const FORWARDER_PATTERN = /^[^\s.]+(\.[^\s.]+)*\.(#\d+|[^\s]+)$/;

function readNames(ctx: ParseContext, namesRva: number, ordinalsRva: number, count: number, functionCount: number): Map<number, { name: string; hint: number }> {
  const { reader, space, issues } = ctx;
  const byIndex = new Map<number, { name: string; hint: number }>();
  const namesOffset = space.rvaToOffset(namesRva);
  const ordinalsOffset = space.rvaToOffset(ordinalsRva);
  if (count === 0) return byIndex;
  if (namesOffset === null || ordinalsOffset === null) {
    issues.add('export name table', namesOffset, 'AddressOfNames or AddressOfNameOrdinals is not backed by file data');
    return byIndex;
  }
  const names = reader.bytes(namesOffset, count * 4);
  const ordinals = reader.bytes(ordinalsOffset, count * 2);
  const readable = Math.min(Math.floor(names.length / 4), Math.floor(ordinals.length / 2));
  if (readable < count) issues.add('export name table', namesOffset, `${count} names declared; only ${readable} readable`);
  for (let hint = 0; hint < readable; hint++) {
    const index = ordinals.readUInt16LE(hint * 2);
    if (index >= functionCount) {
      issues.add('export ordinal table', ordinalsOffset + hint * 2, `name #${hint} points at function index ${index}, past the ${functionCount} functions`);
      continue;
    }
    const nameOffset = space.rvaToOffset(names.readUInt32LE(hint * 4));
    const name = nameOffset === null ? null : reader.cString(nameOffset, LIMITS.nameLength);
    if (name === null) {
      issues.add('export name table', namesOffset + hint * 4, `name #${hint} is not a readable string`);
      continue;
    }
    if (!byIndex.has(index)) byIndex.set(index, { name, hint });
  }
  return byIndex;
}

function classify(ctx: ParseContext, rva: number): Pick<ExportEntry, 'section' | 'kind'> {
  const section = ctx.space.sectionOf(rva);
  if (!section) return { section: null, kind: 'unknown' };
  return { section: section.name, kind: section.isCode || section.isExecutable ? 'code' : 'data' };
}

/** Reads the export directory: named, ordinal-only and forwarded exports, each with its RVA's section. */
export function readExports(ctx: ParseContext, dir: DataDirectory): ExportDirectory | null {
  const { reader, space, issues } = ctx;
  const offset = space.rvaToOffset(dir.rva);
  if (offset === null || !reader.contains(offset, 40)) {
    issues.add('export directory', offset, `export directory RVA 0x${dir.rva.toString(16)} is not backed by file data`);
    return null;
  }
  const header = reader.bytes(offset, 40);
  const nameOffset = space.rvaToOffset(header.readUInt32LE(12));
  const ordinalBase = header.readUInt32LE(16);
  const declaredFunctions = header.readUInt32LE(20);
  const declaredNames = header.readUInt32LE(24);
  const functionCount = Math.min(declaredFunctions, LIMITS.exports);
  const nameCount = Math.min(declaredNames, LIMITS.exports);
  if (functionCount < declaredFunctions || nameCount < declaredNames) {
    issues.add('export directory', offset, `${declaredFunctions} functions / ${declaredNames} names declared; capped at ${LIMITS.exports}`);
  }
  const functionsOffset = space.rvaToOffset(header.readUInt32LE(28));
  const addresses = functionsOffset === null ? Buffer.alloc(0) : reader.bytes(functionsOffset, functionCount * 4);
  const readableFunctions = Math.floor(addresses.length / 4);
  if (readableFunctions < functionCount) issues.add('export address table', functionsOffset, `${functionCount} functions declared; only ${readableFunctions} readable`);
  const names = readNames(ctx, header.readUInt32LE(32), header.readUInt32LE(36), nameCount, readableFunctions);

  const entries: ExportEntry[] = [];
  for (let index = 0; index < readableFunctions; index++) {
    const rva = addresses.readUInt32LE(index * 4);
    const named = names.get(index);
    if (rva === 0 && !named) continue;
    const ordinal = (ordinalBase + index) >>> 0;
    const name = named?.name ?? null;
    const hint = named?.hint ?? null;
    if (rva >= dir.rva && rva < dir.rva + dir.size) {
      const at = space.rvaToOffset(rva);
      const forwarder = at === null ? null : reader.cString(at, LIMITS.forwarderLength);
      if (forwarder !== null && FORWARDER_PATTERN.test(forwarder)) {
        entries.push({ ordinal, name, hint, rva: null, forwarder, section: null, kind: 'forwarder' });
        continue;
      }
      issues.add('export address table', at, `export #${ordinal} points inside the export directory but is not a forwarder string`);
    }
    // Plain literals, not spreads: spread entries took V8's slow path (~10x slower on 60k exports).
    const { section, kind } = classify(ctx, rva);
    entries.push({ ordinal, name, hint, rva, forwarder: null, section, kind });
  }
  return {
    dllName: nameOffset === null ? null : reader.cString(nameOffset, LIMITS.nameLength),
    ordinalBase,
    timeDateStamp: header.readUInt32LE(4),
    entries,
  };
}
