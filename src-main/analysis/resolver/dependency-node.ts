import type { MachineName, SxsDependency } from '../pe/pe-image.ts';

/** How a module was found, or why it was not. */
export type ResolutionStrategy =
  | 'root' | 'known-dll' | 'application-dir' | 'dll-dir' | 'system-dir' | 'windows-dir' | 'current-dir'
  | 'path' | 'extra-dir' | 'api-set' | 'sxs' | 'not-found' | 'api-set-unresolved';

/** A file that had the right name but was passed over (wrong machine, not a PE). */
export interface SkippedCandidate {
  path: string;
  reason: string;
  machine: MachineName | null;
}

/** A function the importer needs that the found module does not export. */
export interface MissingImport {
  importer: string;
  function: string;
  /** Forwarder chain followed, e.g. ["kernel32.HeapAlloc", "ntdll.RtlAllocateHeap"]. */
  via: string[];
  /** The module that finally lacks it (the last forwarder's target, else this module). */
  lackingModule?: string;
  /** Set when the export finally looked up is an ordinal (the loader then fails with 182, not 127). */
  ordinal?: number;
  /** 'no-export': the module lacks it; 'forwarder-target-missing': a forwarder's module was not found; 'forwarder-loop'. */
  reason?: 'no-export' | 'forwarder-target-missing' | 'forwarder-loop';
}

/** One module in the dependency tree of a root DLL, in one load context. */
export interface DependencyNode {
  name: string;
  path: string | null;
  strategy: ResolutionStrategy;
  machine: MachineName | null;
  /** For API set names: the host DLL the set resolves to. */
  apiSetTarget: string | null;
  /** Reached only through delay-load imports. */
  delayLoad: boolean;
  skipped: SkippedCandidate[];
  missingImports: MissingImport[];
  children: DependencyNode[];
  /** Already shown elsewhere in the tree (cycle or shared dependency): children omitted. */
  repeated: boolean;
  /** Found but could not be parsed. */
  error: string | null;
  /** No Windows folder known: assumed to be the system DLL of that name, not checked. */
  unchecked?: boolean;
  /** Loaded because a module forwards exports to it, not because it is imported. */
  viaForwarder?: boolean;
  /** For viaForwarder nodes: the forwarders that lead here, e.g. "forwards-to-missing.dll: Gone → absent-module.Gone". */
  forwarders?: string[];
  /** Children were cut by the depth or node-count bound. */
  truncated?: boolean;
  /** Not found, and only this unresolved SxS assembly would have provided it. */
  sxsOnlyAssembly?: string;
  /** A side-by-side assembly from the manifest, not a DLL import. */
  sxsAssembly?: boolean;
  /** For sxsAssembly nodes: the assembly identity the manifest asks for. */
  sxsDependency?: SxsDependency;
}
