import { basename, resolve } from 'node:path';
import type { PeImage, SxsDependency } from '../pe/pe-image.ts';
import type { ResolutionStrategy, SkippedCandidate } from './dependency-node.ts';
import type { LoadContext } from './load-context.ts';
import { DirectoryIndex } from './directory-index.ts';
import { windowsDirsFor, type WindowsDirs } from './windows-dirs.ts';
import { searchLocations, type SearchLocation } from './search-order.ts';
import { knownDllsFor, type KnownDlls } from './known-dlls.ts';
import { isApiSetName, loadApiSetSchema, resolveApiSet, type ApiSetSchema } from './api-set-schema.ts';
import { resolveSxsAssembly, type SxsAssembly } from './sxs.ts';
import { ModuleCache } from './module-cache.ts';
import { machineLoadsIn } from './machine-compat.ts';
import { isSystemDllName } from './system-dll-names.ts';
import { fatalDamage } from '../pe/image-damage.ts';

/** Where one imported name resolves in a load context. */
export interface Located {
  name: string;
  path: string | null;
  strategy: ResolutionStrategy;
  apiSetTarget: string | null;
  skipped: SkippedCandidate[];
  image: PeImage | null;
  error: string | null;
  unchecked: boolean;
  sxsOnlyAssembly: string | null;
}

/**
 * Shared by every tree of a run: parsed modules, folder listings, and per Windows folder the
 * KnownDLLs (a registry is megabytes of text) and the API set schema, so each is read once.
 */
export interface ResolverCaches {
  modules: ModuleCache;
  index: DirectoryIndex;
  knownDlls: Map<string | null, KnownDlls>;
  apiSets: Map<string, ApiSetState>;
}

export function createCaches(): ResolverCaches {
  return { modules: new ModuleCache(), index: new DirectoryIndex(), knownDlls: new Map(), apiSets: new Map() };
}

function cached<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  if (!map.has(key)) map.set(key, make());
  return map.get(key)!;
}

/** API set schema state for a context: the schema, or why there is none. */
export type ApiSetState = { schema: ApiSetSchema; path: string } | { schema: null; reason: string };

/**
 * Mapped into every process before any DLL loads (ntdll by the kernel, kernel32 and kernelbase by
 * process initialisation), whatever the search path or flags: imports of them bind to those copies.
 */
const ALWAYS_LOADED = new Set(['ntdll.dll', 'kernel32.dll', 'kernelbase.dll']);

/** True for the modules every process already has (never "not found"). */
export function isAlwaysLoaded(name: string): boolean {
  return ALWAYS_LOADED.has(normalizeName(name));
}

function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes('.') ? lower : `${lower}.dll`;
}

/** Resolves imported names the way the loader of one host process would. */
export class ModuleLocator {
  readonly dirs: WindowsDirs | null;
  readonly locations: SearchLocation[];
  readonly knownDlls: KnownDlls;
  readonly apiSets: ApiSetState;
  private assemblies: SxsAssembly[] = [];
  private readonly resolved = new Map<string, Located>();

  constructor(readonly context: LoadContext, readonly rootPath: string, readonly caches: ResolverCaches = createCaches()) {
    this.dirs = context.windowsDir ? windowsDirsFor(caches.index, context.windowsDir, context.hostArch) : null;
    this.locations = searchLocations(context, this.dirs, rootPath);
    const windowsDir = this.dirs?.windowsDir ?? null;
    this.knownDlls = cached(caches.knownDlls, windowsDir, () => knownDllsFor(windowsDir));
    this.apiSets = this.loadApiSets();
  }

  private loadApiSets(): ApiSetState {
    const systemDir = this.dirs?.systemDir;
    if (!systemDir) return { schema: null, reason: 'no system folder known (give --windows-dir)' };
    const path = this.caches.index.find(systemDir, 'apisetschema.dll');
    if (!path) return { schema: null, reason: `no apisetschema.dll in ${systemDir}` };
    return cached(this.caches.apiSets, path, (): ApiSetState => {
      try {
        return { schema: loadApiSetSchema(path), path };
      } catch (error) {
        return { schema: null, reason: (error as Error).message };
      }
    });
  }

  /** Resolves the root's manifest dependencies; their files are redirected before the search path. */
  useManifest(dependencies: SxsDependency[]): SxsAssembly[] {
    const scope = { index: this.caches.index, applicationDir: this.context.applicationDir, windowsDir: this.dirs?.windowsDir ?? null, hostArch: this.context.hostArch };
    this.assemblies = dependencies.map((dep) => resolveSxsAssembly(dep, scope));
    return this.assemblies;
  }

  /** The root module itself, as given by path. */
  root(path: string): Located {
    const parsed = this.caches.modules.get(path);
    return { ...this.blank(path.split(/[\\/]/).pop() ?? path), path: resolve(path), strategy: 'root', image: parsed.image, error: parsed.error };
  }

  /** Resolves an imported (or forwarded-to) name for a given importer; memoised per name like loaded modules. */
  locate(name: string, importer: string | null): Located {
    const apiSet = isApiSetName(name) && this.apiSets.schema !== null;
    const key = apiSet ? `${normalizeName(name)}|${importer?.toLowerCase() ?? ''}` : normalizeName(name);
    let found = this.resolved.get(key);
    if (!found) {
      found = isApiSetName(name) ? this.locateApiSet(name, importer) : this.locateFile(name);
      this.resolved.set(key, found);
    }
    return found;
  }

  private blank(name: string): Located {
    return { name, path: null, strategy: 'not-found', apiSetTarget: null, skipped: [], image: null, error: null, unchecked: false, sxsOnlyAssembly: null };
  }

  private locateApiSet(name: string, importer: string | null): Located {
    const schema = this.apiSets.schema;
    if (!schema) return { ...this.blank(name), strategy: 'api-set-unresolved' };
    const host = resolveApiSet(schema, name, importer);
    // A name the schema does not know is searched for as an ordinary file.
    if (host === undefined) return this.locateFile(name);
    if (host === null) return { ...this.blank(name), error: 'the API set schema gives this contract no host DLL' };
    const target = this.locateFile(host);
    return { ...target, name, strategy: target.path ? 'api-set' : target.strategy, apiSetTarget: host };
  }

  private locateFile(name: string): Located {
    const file = normalizeName(name);
    const located = this.blank(name);
    const assembly = this.assemblies.find((a) => a.files.includes(file));
    if (assembly?.path && this.tryCandidate(located, this.assemblyFile(assembly, file), 'sxs')) return located;
    // The host program is loaded before any DLL: an import of its name binds to it, wherever the search path looks.
    const host = this.context.hostExecutable;
    if (host && basename(host).toLowerCase() === file && this.tryCandidate(located, resolve(host), 'application-dir')) return located;
    const systemDir = this.dirs?.systemDir;
    if (systemDir && ALWAYS_LOADED.has(file) && this.tryCandidate(located, this.caches.index.find(systemDir, file), 'known-dll')) return located;
    if (systemDir && this.knownDlls.names.has(file) && this.tryCandidate(located, this.caches.index.find(systemDir, file), 'known-dll')) return located;
    for (const location of this.locations) {
      if (this.tryCandidate(located, this.caches.index.find(location.dir, file), location.strategy)) return located;
    }
    if (!this.dirs && isSystemDllName(file)) return { ...located, strategy: 'system-dir', unchecked: true };
    if (assembly && !assembly.path) located.sxsOnlyAssembly = assembly.dependency.name;
    return located;
  }

  private assemblyFile(assembly: SxsAssembly, file: string): string | null {
    if (assembly.where === 'winsxs') return this.caches.index.find(assembly.path!, file);
    return this.caches.index.find(this.context.applicationDir, file);
  }

  /** Takes the candidate when it is a PE image of the host's machine; otherwise records why not. */
  private tryCandidate(located: Located, path: string | null, strategy: ResolutionStrategy): boolean {
    if (!path || located.skipped.some((s) => s.path === path)) return false;
    const parsed = this.caches.modules.get(path);
    if (parsed.image === null) {
      located.skipped.push({ path, machine: null, reason: parsed.notPe ? `not a PE image: ${parsed.error}` : `unreadable: ${parsed.error}` });
      return false;
    }
    // A damaged copy fails to map like a wrong-machine one (STATUS_INVALID_IMAGE_FORMAT): the loader goes on searching.
    const damage = fatalDamage(parsed.image);
    if (damage.length > 0) {
      located.skipped.push({ path, machine: parsed.image.machine, reason: `damaged: ${damage[0]}` });
      return false;
    }
    const machine = parsed.image.machine;
    if (!machineLoadsIn(machine, this.context.hostArch)) {
      located.skipped.push({ path, machine, reason: `${machine} image cannot load into an ${this.context.hostArch} process` });
      return false;
    }
    Object.assign(located, { path, strategy, image: parsed.image });
    return true;
  }
}
