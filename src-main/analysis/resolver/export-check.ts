import { basename } from 'node:path';
import type { ExportEntry, ImportedFunction, PeImage } from '../pe/pe-image.ts';
import type { MissingImport } from './dependency-node.ts';
import type { Located } from './module-locator.ts';

const MAX_FORWARDER_HOPS = 16;

interface ExportIndex {
  byName: Map<string, ExportEntry>;
  byOrdinal: Map<number, ExportEntry>;
}

const indexes = new WeakMap<PeImage, ExportIndex>();

function exportIndex(image: PeImage): ExportIndex {
  let index = indexes.get(image);
  if (!index) {
    index = { byName: new Map(), byOrdinal: new Map() };
    for (const entry of image.exports?.entries ?? []) {
      if (entry.name !== null) index.byName.set(entry.name, entry);
      index.byOrdinal.set(entry.ordinal, entry);
    }
    indexes.set(image, index);
  }
  return index;
}

/** What an import asks for: a name (case-sensitive, as the loader compares) or an ordinal. */
export type ImportRef = { name: string } | { ordinal: number };

export function importRef(fn: ImportedFunction): ImportRef | null {
  if (fn.name !== null) return { name: fn.name };
  return fn.ordinal !== null ? { ordinal: fn.ordinal } : null;
}

export function describeRef(ref: ImportRef): string {
  return 'name' in ref ? ref.name : `#${ref.ordinal}`;
}

/** Splits "dll.Func" / "dll.#12" at the last dot (as Wine's and Windows' loaders do). */
export function parseForwarder(forwarder: string): { module: string; ref: ImportRef } | null {
  const dot = forwarder.lastIndexOf('.');
  if (dot <= 0 || dot === forwarder.length - 1) return null;
  const target = forwarder.slice(dot + 1);
  const ordinal = /^#(\d+)$/.exec(target);
  return { module: forwarder.slice(0, dot), ref: ordinal ? { ordinal: Number(ordinal[1]) } : { name: target } };
}

/** Resolves forwarder module names; told of every forwarder hop so the tree can show its target. */
export interface ForwarderResolver {
  locate(name: string, importer: string | null): Located;
  /** `forwarder` reads "owner.dll: Export → target.Func". */
  onForward(owner: Located, target: Located, forwarder: string): void;
}

/** A forwarder's module as the loader loads it: "absent-module" is absent-module.dll. */
export function forwarderModuleFile(module: string): string {
  return module.includes('.') ? module : `${module}.dll`;
}

function ordinalOf(ref: ImportRef): { ordinal?: number } {
  return 'ordinal' in ref ? { ordinal: ref.ordinal } : {};
}

export function moduleName(located: Located): string {
  return located.path ? basename(located.path) : located.name;
}

/**
 * Follows one import to the export that satisfies it, through forwarders (cycle-safe, bounded).
 * Returns null when satisfied (or not checkable: an unresolved API set or unchecked system DLL).
 */
export function checkImport(importer: string, ref: ImportRef, target: Located, resolver: ForwarderResolver): MissingImport | null {
  const via: string[] = [];
  const seen = new Set<string>();
  let current = target;
  let wanted = ref;
  for (let hop = 0; hop <= MAX_FORWARDER_HOPS; hop++) {
    if (!current.image) return null;
    const index = exportIndex(current.image);
    const entry = 'name' in wanted ? index.byName.get(wanted.name) : index.byOrdinal.get(wanted.ordinal);
    const lacking = moduleName(current);
    if (!entry) return { importer, function: describeRef(ref), via, lackingModule: lacking, reason: 'no-export', ...ordinalOf(wanted) };
    const forward = entry.forwarder ? parseForwarder(entry.forwarder) : null;
    if (!forward) return null;
    via.push(entry.forwarder!);
    const key = `${forward.module.toLowerCase()}!${describeRef(forward.ref)}`;
    const targetFile = forwarderModuleFile(forward.module);
    if (seen.has(key)) return { importer, function: describeRef(ref), via, lackingModule: targetFile, reason: 'forwarder-loop' };
    seen.add(key);
    const next = resolver.locate(targetFile, lacking);
    resolver.onForward(current, next, `${lacking}: ${describeRef(wanted)} → ${entry.forwarder}`);
    if (!next.path) {
      if (next.unchecked || next.strategy === 'api-set-unresolved') return null;
      return { importer, function: describeRef(ref), via, lackingModule: targetFile, reason: 'forwarder-target-missing' };
    }
    current = next;
    wanted = forward.ref;
  }
  return { importer, function: describeRef(ref), via, lackingModule: moduleName(current), reason: 'forwarder-loop' };
}
