import type { ParseContext } from './parse-context.ts';
import type { DataDirectory, ImportModule } from './pe-image.ts';
import { newImportBudget, readThunks } from './import-thunks.ts';
import { LIMITS } from './limits.ts';

const DESCRIPTOR_SIZE = 20;

/** Reads the import directory: one module per descriptor, up to the all-zero terminator. */
export function readImports(ctx: ParseContext, dir: DataDirectory): ImportModule[] {
  const { reader, space, issues } = ctx;
  const start = space.rvaToOffset(dir.rva);
  if (start === null) {
    issues.add('import directory', null, `import directory RVA 0x${dir.rva.toString(16)} is not backed by file data`);
    return [];
  }
  const budget = newImportBudget();
  const modules: ImportModule[] = [];
  // The loader ignores the directory size and walks to the zero descriptor.
  for (let index = 0; index < LIMITS.importDescriptors; index++) {
    const at = start + index * DESCRIPTOR_SIZE;
    const descriptor = reader.bytes(at, DESCRIPTOR_SIZE);
    if (descriptor.length < DESCRIPTOR_SIZE) {
      issues.add('import directory', at, 'import descriptors run past the end of the file without a terminator');
      return modules;
    }
    if (descriptor.every((byte) => byte === 0)) return modules;
    const lookupRva = descriptor.readUInt32LE(0);
    const nameRva = descriptor.readUInt32LE(12);
    const iatRva = descriptor.readUInt32LE(16);
    const nameOffset = space.rvaToOffset(nameRva);
    const dll = nameOffset === null ? null : reader.cString(nameOffset, LIMITS.nameLength);
    if (!dll) {
      issues.add(`import descriptor #${index}`, at, 'the module name is not readable; descriptor skipped');
      continue;
    }
    const structure = `imports of ${dll}`;
    // Bound or old linkers leave no lookup table: the IAT then holds the names.
    const functions = readThunks(ctx, structure, lookupRva !== 0 ? lookupRva : iatRva, budget);
    modules.push({ dll, functions });
    if (budget.remaining <= 0) {
      issues.add('import directory', at, `more than ${LIMITS.totalImports} imports in total; the rest were not read`);
      return modules;
    }
  }
  issues.add('import directory', start, `more than ${LIMITS.importDescriptors} import descriptors; the rest were not read`);
  return modules;
}
