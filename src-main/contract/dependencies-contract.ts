// The Dependencies workspace's part of the contract: one file's dependency tree per host as a
// flat list of nodes, its modules, "who exports this?", and the load context fields the
// settings gain. Runs anywhere (no Node imports): the renderer imports it through api-contract.
import { z } from 'zod';

const hostArch = z.enum(['x86', 'x64']);

export const loadMethodSchema = z.enum(['load-library', 'altered-search-path', 'search-flags']);
export const searchFlagSchema = z.enum(['dll-load-dir', 'application-dir', 'user-dirs', 'system32', 'default-dirs']);

/**
 * Added to the triage settings, optional so settings files written before them still read:
 * absent means no host program, plain LoadLibrary, no LOAD_LIBRARY_SEARCH_* flags.
 */
export const loadContextSettingsShape = {
  hostExecutable: z.string().nullable().optional(),
  loadMethod: loadMethodSchema.optional(),
  searchFlags: z.array(searchFlagSchema).optional(),
};

export const skippedCandidateSchema = z.object({ path: z.string(), reason: z.string(), machine: z.string().nullable() });

/** One node of a tree in pre-order; `parent` and `firstId` are indexes into the same list. */
export const dependencyViewNodeSchema = z.object({
  id: z.number(),
  parent: z.number().nullable(),
  depth: z.number(),
  name: z.string(),
  path: z.string().nullable(),
  strategy: z.string(),
  /** How it was found (or why not) in words: "application folder", "KnownDLL", "not found". */
  howFound: z.string(),
  machine: z.string().nullable(),
  apiSetTarget: z.string().nullable(),
  delayLoad: z.boolean(),
  /** A repeat (cycle or shared dependency): its children are under the first occurrence. */
  firstId: z.number().nullable(),
  error: z.string().nullable(),
  skipped: z.array(skippedCandidateSchema),
  /** This node's own problem in words, null when none; 'warning' for a delay-loaded one. */
  problem: z.string().nullable(),
  severity: z.enum(['error', 'warning']).nullable(),
  /** Problem nodes at or below this one (repeats count where they first appear). */
  problemsBelow: z.number(),
  childCount: z.number(),
  /**
   * How many functions the parent imports from this module; null for the root. The names come
   * with `dependencies.functions` for the node shown: node.exe's tree imports 5,000, and checking
   * them all at the page's edge took main-thread tasks of 60–180 ms.
   */
  functionCount: z.number().nullable(),
  /** The imported functions the module lacks (the loader fails with 127 or 182, "Name" or "#12"), each with why. */
  missingFunctions: z.record(z.string(), z.string()),
});
export type DependencyViewNode = z.infer<typeof dependencyViewNodeSchema>;

export const moduleRowSchema = z.object({
  name: z.string(),
  path: z.string().nullable(),
  machine: z.string().nullable(),
  version: z.string().nullable(),
  howFound: z.string(),
  problems: z.array(z.string()),
  /** The node of its first occurrence in the tree. */
  nodeId: z.number(),
});
export type ModuleRow = z.infer<typeof moduleRowSchema>;

export const dependencyViewSchema = z.object({
  file: z.string(),
  host: hostArch,
  nodes: z.array(dependencyViewNodeSchema),
  modules: z.array(moduleRowSchema),
  /** The folders the loader searches for a module by name, in order (KnownDLLs, API sets and SxS come first). */
  searchOrder: z.array(z.object({ dir: z.string(), where: z.string() })),
  /** The verdict for this host, one line: "Loads" or "Fails: 126 ERROR_MOD_NOT_FOUND". */
  verdict: z.string(),
  loads: z.boolean(),
});
export type DependencyView = z.infer<typeof dependencyViewSchema>;

export const exportHitSchema = z.object({
  module: z.string(),
  path: z.string(),
  ordinal: z.number(),
  name: z.string(),
  /** Names the module is reached by in the tree besides its own (API sets). */
  reachedAs: z.array(z.string()),
  /** Each hop of a forwarder: "kernel32.dll!HeapAlloc", "ntdll.dll!RtlAllocateHeap". */
  chain: z.array(z.string()),
  /** Where the forwarder chain ends unresolved, in words; null when it resolves. */
  broken: z.string().nullable(),
});
export type ExportHit = z.infer<typeof exportHitSchema>;

export const whoExportsSchema = z.object({
  query: z.string(),
  modulesSearched: z.number(),
  hits: z.array(exportHitSchema),
  /** More matched than were returned. */
  truncated: z.boolean(),
});
export type WhoExports = z.infer<typeof whoExportsSchema>;

const fileArgs = { id: z.string(), file: z.string(), host: hostArch };

export const DEPENDENCY_REQUESTS = {
  /** One file's dependency tree for a host, from the open document (triaged in the load context of the settings). */
  'dependencies.view': { args: z.object(fileArgs), result: dependencyViewSchema },
  /** What the parent of one node imports from it, as the loader names them ("Name", or "#12" by ordinal). */
  'dependencies.functions': { args: z.object({ ...fileArgs, node: z.number().int().min(0) }), result: z.object({ node: z.number(), functions: z.array(z.string()) }) },
  /** A name searched across every module of the file's tree for a host, through forwarders and API sets. */
  'dependencies.whoExports': { args: z.object({ ...fileArgs, query: z.string().min(1).max(200) }), result: whoExportsSchema },
} as const;
