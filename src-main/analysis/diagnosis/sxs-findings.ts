import { join } from 'node:path';
import type { DependencyNode } from '../resolver/dependency-node.ts';
import type { TreeResult } from '../resolver/dependency-tree.ts';
import type { HostArch } from '../resolver/load-context.ts';
import type { Finding } from './finding.ts';
import { BITS, FINDING_CODES, finding } from './findings.ts';
import { sxsRuntime } from './known-runtimes.ts';

/** "Microsoft.VC90.CRT 9.0.21022.8 (amd64, publicKeyToken 1fc8b3b9a1e18e3b)". */
export function assemblyIdentity(node: DependencyNode): string {
  const dep = node.sxsDependency;
  if (!dep) return node.name;
  const details = [dep.processorArchitecture ?? '*', dep.publicKeyToken ? `publicKeyToken ${dep.publicKeyToken}` : null].filter(Boolean).join(', ');
  return `${dep.name}${dep.version ? ` ${dep.version}` : ''} (${details})`;
}

function winSxsDir(result: TreeResult): string | null {
  const windowsDir = result.locator.dirs?.windowsDir;
  return windowsDir ? result.locator.caches.index.find(windowsDir, 'winsxs') : null;
}

/** Where the activation context looked: the private assembly places, then WinSxS. */
function searchedPlaces(node: DependencyNode, result: TreeResult, host: HostArch): string[] {
  const app = result.locator.context.applicationDir;
  const name = node.name;
  const dep = node.sxsDependency;
  const places = [join(app, `${name}.dll`), join(app, `${name}.manifest`), join(app, name, `${name}.manifest`)];
  const winsxs = winSxsDir(result);
  const windowsDir = result.locator.dirs?.windowsDir;
  const arch = (dep?.processorArchitecture ?? '*').replace('*', host === 'x86' ? 'x86' : 'amd64').replace(/^win32$/i, 'x86');
  if (winsxs) places.push(join(winsxs, `${arch}_${name}_${dep?.publicKeyToken ?? '*'}_${dep?.version ?? '*'}_*`.toLowerCase()));
  const looked = places.map((p) => `looked for: ${p}`);
  if (!winsxs) looked.push(windowsDir ? `WinSxS not searched: there is no WinSxS folder in ${windowsDir}` : 'WinSxS not searched: no Windows folder (give --windows-dir)');
  return looked;
}

/**
 * Whether an unresolved manifest dependency stops the load: always when WinSxS could be searched;
 * without a WinSxS to search, only for assemblies Windows itself does not carry.
 */
export function sxsBlocks(node: DependencyNode, result: TreeResult): boolean {
  if (!result.locator.dirs) return false;
  return winSxsDir(result) !== null || !/^microsoft\.windows\./i.test(node.name);
}

export function sxsRootCause(node: DependencyNode): string {
  return `side-by-side assembly ${assemblyIdentity(node)} not found (required by the manifest)`;
}

/** The finding for a manifest dependency that the activation context cannot find. */
export function sxsFinding(node: DependencyNode, result: TreeResult, host: HostArch, rootCause: boolean, isExe: boolean): Finding {
  const blocks = sxsBlocks(node, result);
  const runtime = sxsRuntime(node.name);
  const consequence = blocks
    ? `Windows cannot create the activation context for the manifest, so ${isExe ? 'the program does not start' : 'LoadLibrary fails'} with 14001 ERROR_SXS_CANT_GEN_ACTCTX ("side-by-side configuration is incorrect"; sxstrace.exe shows the same on the machine).`
    : 'It could not be checked here (no WinSxS folder to search); Windows itself carries this assembly, so it is assumed present.';
  return finding({
    code: FINDING_CODES.sxsNotFound, severity: blocks ? 'error' : 'warning', hostArch: host, rootCause: rootCause && blocks,
    title: `Side-by-side assembly ${assemblyIdentity(node)} not found`,
    explanation: `The ${isExe ? 'program' : 'DLL'}'s manifest depends on ${assemblyIdentity(node)}, which is neither a private assembly in the application folder nor in WinSxS. ${consequence}${runtime ? ` It is part of the ${runtime.runtime}.` : ''}`,
    evidence: searchedPlaces(node, result, host),
    fix: runtime ? runtime.fix(host) : `Install the runtime that provides ${node.name} (${BITS[host]}), or ship it as a private assembly next to the application (${result.locator.context.applicationDir}).`,
  });
}
