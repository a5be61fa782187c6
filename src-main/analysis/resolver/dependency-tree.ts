import { resolve } from 'node:path';
import type { ImportModule, PeImage } from '../pe/pe-image.ts';
import type { DependencyNode, MissingImport } from './dependency-node.ts';
import type { LoadContext } from './load-context.ts';
import { ModuleLocator, createCaches, type Located, type ResolverCaches } from './module-locator.ts';
import { checkImport, importRef, moduleName } from './export-check.ts';
import { manifestDependencies, type SxsAssembly } from './sxs.ts';

export interface TreeOptions {
  /** Deepest level expanded (root = 0). Default 32. */
  maxDepth?: number;
  /** Most nodes created. Default 5000. */
  maxNodes?: number;
  /** Share parsed modules and folder listings between trees (one per host). */
  caches?: ResolverCaches;
  /** The root already parsed (with details: manifest for SxS). */
  rootImage?: PeImage;
}

export interface TreeResult {
  tree: DependencyNode;
  locator: ModuleLocator;
  assemblies: SxsAssembly[];
  nodeCount: number;
  truncated: boolean;
}

/** The dependency tree of a DLL in one load context; every module parsed once. */
export function buildDependencyTree(rootPath: string, context: LoadContext, options: TreeOptions = {}): DependencyNode {
  return resolveDependencies(rootPath, context, options).tree;
}

/** buildDependencyTree with what diagnosis needs besides the tree. */
export function resolveDependencies(rootPath: string, context: LoadContext, options: TreeOptions = {}): TreeResult {
  const caches = options.caches ?? createCaches();
  if (options.rootImage) caches.modules.put(rootPath, options.rootImage);
  const locator = new ModuleLocator(context, rootPath, caches);
  const builder = new TreeBuilder(locator, options.maxDepth ?? 32, options.maxNodes ?? 5000);
  return builder.build(rootPath);
}

interface ForwardEdge {
  owner: Located;
  target: Located;
  delayLoad: boolean;
  forwarder: string;
}

interface Expansion {
  node: DependencyNode;
  located: Located;
  depth: number;
}

function blankNode(located: Located, delayLoad: boolean): DependencyNode {
  return {
    name: located.name, path: located.path, strategy: located.strategy, machine: located.image?.machine ?? null,
    apiSetTarget: located.apiSetTarget, delayLoad, skipped: located.skipped, missingImports: [], children: [],
    repeated: false, error: located.error,
    ...(located.unchecked ? { unchecked: true } : {}),
    ...(located.sxsOnlyAssembly ? { sxsOnlyAssembly: located.sxsOnlyAssembly } : {}),
  };
}

function nodeKey(located: Located): string {
  if (located.path) return `path:${resolve(located.path).toLowerCase()}`;
  return `${located.strategy}:${located.name.toLowerCase()}`;
}

class TreeBuilder {
  private readonly expanded = new Map<string, Expansion>();
  private readonly delayQueue: Expansion[] = [];
  private readonly forwards: ForwardEdge[] = [];
  private count = 0;
  private truncated = false;

  constructor(private readonly locator: ModuleLocator, private readonly maxDepth: number, private readonly maxNodes: number) {}

  build(rootPath: string): TreeResult {
    const root = this.locator.root(rootPath);
    const manifest = manifestDependencies(root.image, rootPath);
    const assemblies = manifest.length > 0 ? this.locator.useManifest(manifest) : [];
    const tree = this.visit(root, false, 0, null)!;
    tree.children.push(...assemblies.map((assembly) => this.assemblyNode(assembly)));
    this.drain();
    return { tree, locator: this.locator, assemblies, nodeCount: this.count, truncated: this.truncated };
  }

  // Static edges first, then forwarder targets, then delay imports: a module reached both ways
  // is expanded where it is loaded at start-up, and only repeated under the delay-load edge.
  private drain(): void {
    for (;;) {
      if (this.forwards.length > 0) this.addForwardTarget(this.forwards.shift()!);
      else if (this.delayQueue.length > 0) this.addDelayChildren(this.delayQueue.shift()!);
      else return;
    }
  }

  private visit(located: Located, delayLoad: boolean, depth: number, missing: MissingImport[] | null): DependencyNode | null {
    if (this.count >= this.maxNodes) {
      this.truncated = true;
      return null;
    }
    this.count++;
    const node = blankNode(located, delayLoad);
    if (missing) node.missingImports = missing;
    const key = nodeKey(located);
    if (this.expanded.has(key)) {
      node.repeated = true;
      return node;
    }
    const expansion = { node, located, depth };
    this.expanded.set(key, expansion);
    if (!located.image) return node;
    if (depth >= this.maxDepth && (located.image.imports.length > 0 || located.image.delayImports.length > 0)) {
      node.truncated = true;
      this.truncated = true;
      return node;
    }
    this.addImports(expansion, located.image.imports, delayLoad);
    this.delayQueue.push(expansion);
    return node;
  }

  private addImports(parent: Expansion, imports: ImportModule[], delayLoad: boolean): void {
    const importer = moduleName(parent.located);
    for (const module of imports) {
      const child = this.locator.locate(module.dll, importer);
      const missing = this.missingImports(importer, module, child, delayLoad);
      const node = this.visit(child, delayLoad, parent.depth + 1, missing);
      if (!node) {
        parent.node.truncated = true;
        return;
      }
      parent.node.children.push(node);
    }
  }

  private missingImports(importer: string, module: ImportModule, child: Located, delayLoad: boolean): MissingImport[] {
    if (!child.image) return [];
    const resolver = { locate: (name: string, from: string | null) => this.locator.locate(name, from), onForward: (owner: Located, target: Located, forwarder: string) => this.forwards.push({ owner, target, delayLoad, forwarder }) };
    const missing: MissingImport[] = [];
    for (const fn of module.functions) {
      const ref = importRef(fn);
      const problem = ref ? checkImport(importer, ref, child, resolver) : null;
      if (problem) missing.push(problem);
    }
    return missing;
  }

  private addForwardTarget(edge: ForwardEdge): void {
    const owner = this.expanded.get(nodeKey(edge.owner));
    if (!owner || owner.node.truncated) return;
    const already = owner.node.children.find((child) => nodeKey({ ...edge.target, path: child.path, strategy: child.strategy, name: child.name } as Located) === nodeKey(edge.target));
    if (already) {
      if (already.viaForwarder && !already.forwarders?.includes(edge.forwarder)) already.forwarders = [...(already.forwarders ?? []), edge.forwarder];
      return;
    }
    const node = this.visit(edge.target, owner.node.delayLoad || edge.delayLoad, owner.depth + 1, null);
    if (!node) return;
    node.viaForwarder = true;
    node.forwarders = [edge.forwarder];
    owner.node.children.push(node);
  }

  private addDelayChildren(expansion: Expansion): void {
    const image = expansion.located.image;
    if (!image || image.delayImports.length === 0) return;
    this.addImports(expansion, image.delayImports, true);
  }

  private assemblyNode(assembly: SxsAssembly): DependencyNode {
    const dep = assembly.dependency;
    this.count++;
    return {
      name: dep.name, path: assembly.path, strategy: assembly.path ? 'sxs' : 'not-found', machine: null, apiSetTarget: null,
      delayLoad: false, skipped: [], missingImports: [], children: [], repeated: false,
      error: assembly.path ? null : `side-by-side assembly ${dep.name} ${dep.version ?? ''} (${dep.processorArchitecture ?? '*'}) not found in the application folder or WinSxS`.replace('  ', ' '),
      sxsAssembly: true, sxsDependency: dep,
    };
  }
}

