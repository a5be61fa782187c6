import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, DelayImportModule } from './pe-image.ts';
import { newImportBudget, readThunks } from './import-thunks.ts';
import { LIMITS } from './limits.ts';

const DESCRIPTOR_SIZE = 32;

/** Reads delay-load descriptors, RVA-based (attribute bit 0) or old VA-based. */
export function readDelayImports(ctx: ParseContext, dir: DataDirectory): DelayImportModule[] {
  const { reader, space, issues, imageBase } = ctx;
  const start = space.rvaToOffset(dir.rva);
  if (start === null) {
    issues.add('delay import directory', null, `delay import directory RVA 0x${dir.rva.toString(16)} is not backed by file data`);
    return [];
  }
  const budget = newImportBudget();
  const modules: DelayImportModule[] = [];
  for (let index = 0; index < LIMITS.delayDescriptors; index++) {
    const at = start + index * DESCRIPTOR_SIZE;
    const descriptor = reader.bytes(at, DESCRIPTOR_SIZE);
    if (descriptor.length < DESCRIPTOR_SIZE) {
      issues.add('delay import directory', at, 'delay descriptors run past the end of the file without a terminator');
      return modules;
    }
    if (descriptor.every((byte) => byte === 0)) return modules;
    const rvaBased = (descriptor.readUInt32LE(0) & 1) === 1;
    const toRva = (value: bigint): number | null => (rvaBased ? Number(value & 0xffffffffn) : space.vaToRva(value, imageBase));
    const nameRva = toRva(BigInt(descriptor.readUInt32LE(4)));
    const nameOffset = nameRva === null ? null : space.rvaToOffset(nameRva);
    const dll = nameOffset === null ? null : reader.cString(nameOffset, LIMITS.nameLength);
    const namesRva = toRva(BigInt(descriptor.readUInt32LE(16)));
    if (!dll || namesRva === null) {
      issues.add(`delay import descriptor #${index}`, at, 'module name or name table not readable; descriptor skipped');
      continue;
    }
    const functions = readThunks(ctx, `delay imports of ${dll}`, namesRva, budget, toRva);
    modules.push({ dll, functions, rvaBased });
    if (budget.remaining <= 0) return modules;
  }
  issues.add('delay import directory', start, `more than ${LIMITS.delayDescriptors} delay descriptors; the rest were not read`);
  return modules;
}
