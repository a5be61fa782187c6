import type { ParseContext } from './parse-context.ts';
import type { BoundImport, DataDirectory } from './pe-image.ts';
import { LIMITS } from './limits.ts';

/** Reads the bound import directory; its "RVA" is an offset into the headers, names relative to its start. */
export function readBoundImports(ctx: ParseContext, dir: DataDirectory): BoundImport[] {
  const { reader, issues } = ctx;
  const start = ctx.space.rvaToOffset(dir.rva);
  if (start === null) {
    issues.add('bound import directory', null, `bound import directory 0x${dir.rva.toString(16)} is not backed by file data`);
    return [];
  }
  const name = (nameOffset: number): string => reader.cString(start + nameOffset, LIMITS.nameLength) ?? '?';
  const bound: BoundImport[] = [];
  let at = start;
  // Descriptors and forwarder refs share one cap: 4096 descriptors of 65535 refs each took seconds.
  let budget = LIMITS.boundDescriptors;
  while (budget > 0) {
    const entry = reader.bytes(at, 8);
    if (entry.length < 8 || entry.every((byte) => byte === 0)) return bound;
    const declaredRefs = entry.readUInt16LE(6);
    const refCount = Math.min(declaredRefs, budget - 1);
    budget -= 1 + refCount;
    const refs = reader.bytes(at + 8, refCount * 8);
    const forwarderRefs = [];
    for (let ref = 0; ref + 8 <= refs.length; ref += 8) {
      forwarderRefs.push({ dll: name(refs.readUInt16LE(ref + 4)), timeDateStamp: refs.readUInt32LE(ref) });
    }
    bound.push({ dll: name(entry.readUInt16LE(4)), timeDateStamp: entry.readUInt32LE(0), forwarderRefs });
    at += 8 + declaredRefs * 8;
  }
  issues.add('bound import directory', start, `more than ${LIMITS.boundDescriptors} bound descriptors and forwarder references`);
  return bound;
}
