// The DLLs an agent has loaded (or is loading), with the options to load them again after the
// agent dies, and their address ranges for placing a crash that only Wine reported.
import type { LoadResult } from '../../../src-agent32/protocol/messages.ts';
import { dllBaseName } from './dll-key.ts';
import type { Job, ModuleOptions } from './supervisor-job.ts';
import type { ModuleRange } from './wine-crash-heuristics.ts';

interface LoadedModule {
  options: ModuleOptions;
  /** The agent's handle; null while not loaded in the running agent. */
  handle: string | null;
  loading: Job | null;
}

export class ModuleRegistry {
  private readonly modules = new Map<string, LoadedModule>();
  private rangeList: ModuleRange[] = [];

  get size(): number {
    return this.modules.size;
  }

  names(): string[] {
    return [...this.modules.keys()];
  }

  /** The DLL's handle in the running agent; `pending` while a load of it is under way. */
  handleOf(dll: string): { handle: string | null; pending: boolean; known: boolean; options: ModuleOptions | undefined } {
    const module = this.modules.get(dll);
    return { handle: module?.handle ?? null, pending: !!module?.loading, known: !!module, options: module?.options };
  }

  forget(dll: string): void {
    this.modules.delete(dll);
  }

  /** A load of `dll` is being sent (asked for, implicit before a call, or a restore). */
  startLoading(dll: string, job: Job, options: ModuleOptions): void {
    const module = this.modules.get(dll);
    if (module) module.loading = job;
    else this.modules.set(dll, { options, handle: null, loading: job });
  }

  /** The agent answered the load `job` of `dll` (result null: it failed, and a DLL never loaded is forgotten). */
  loadAnswered(dll: string, job: Job, result: LoadResult | null): void {
    const module = this.modules.get(dll);
    if (module?.loading === job) module.loading = null;
    if (result) {
      for (const m of result.newModules) if (m.base && m.size) this.rangeList.push({ path: m.path, base: BigInt(m.base), size: m.size });
      if (module) module.handle = result.handle;
      else this.modules.set(dll, { options: job.loadOptions ?? {}, handle: result.handle, loading: null });
    } else if (module && module.handle === null) {
      this.modules.delete(dll);
    }
  }

  /** DLLs to load again in a new agent: known, not loaded, not being loaded. */
  toRestore(): [string, ModuleOptions][] {
    const wanted: [string, ModuleOptions][] = [];
    for (const [dll, module] of this.modules) if (module.handle === null && !module.loading) wanted.push([dll, module.options]);
    return wanted;
  }

  ranges(): ModuleRange[] {
    return this.rangeList;
  }

  /**
   * The agent died: the DLL of the request it died on and any loaded DLL named as the crash's
   * module are forgotten (not restored); the others are to be loaded again. Returns the forgotten.
   */
  agentDied(culpritDll: string | null, crashModule: string | null | undefined): Set<string> {
    const implicated = new Set<string>();
    if (culpritDll) implicated.add(culpritDll);
    const module = crashModule?.toLowerCase();
    if (module) for (const dll of this.modules.keys()) if (dllBaseName(dll) === dllBaseName(module)) implicated.add(dll);
    for (const [dll, entry] of this.modules) {
      if (implicated.has(dll)) this.modules.delete(dll);
      else Object.assign(entry, { handle: null, loading: null });
    }
    this.rangeList = [];
    return implicated;
  }
}
