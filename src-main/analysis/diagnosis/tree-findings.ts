import type { HostArch, LoadContext } from '../resolver/load-context.ts';
import type { MissingImport } from '../resolver/dependency-node.ts';
import type { TreeResult } from '../resolver/dependency-tree.ts';
import type { Finding } from './finding.ts';
import type { LoaderError } from './verdict.ts';
import { LOADER_ERRORS, type FailureSubject } from './error-codes.ts';
import { BITS, FINDING_CODES, finding } from './findings.ts';
import { collectProblems, formatChain, type TreeProblem } from './tree-problems.ts';
import { knownRuntime, sxsRuntime } from './known-runtimes.ts';
import { placementAdvice } from './search-advice.ts';
import { sxsBlocks, sxsFinding, sxsRootCause } from './sxs-findings.ts';
import { shadowingFindings } from './shadowing-findings.ts';
import { isSystemDllName } from '../resolver/system-dll-names.ts';

/** The first fatal problem of a tree as the verdict states it. */
export interface TreeFailure {
  error: LoaderError;
  rootCause: string;
  /** What a program's start-up message box names. */
  subject: FailureSubject | null;
}

/** How the failure reads: LoadLibrary for a DLL, process start for a program. */
function failsWith(win32: string, startup: string, isExe: boolean): string {
  return isExe ? `the program does not start (${startup})` : `LoadLibrary fails with ${win32} (an EXE linking it fails to start with ${startup})`;
}

function searched(result: TreeResult): string {
  return result.locator.locations.map((l) => `${l.dir} (${l.strategy})`).join('; ') || 'no folders';
}

function importerOf(problem: TreeProblem): string {
  return problem.chain[problem.chain.length - 2] ?? problem.chain[0]!;
}

function forwarderText(p: TreeProblem): string {
  return p.node.viaForwarder && p.node.forwarders?.length ? ` It is loaded because of the forwarder ${p.node.forwarders.join(', ')}.` : '';
}

function missingModuleFix(p: TreeProblem, result: TreeResult, host: HostArch): string {
  const name = p.node.name;
  const runtime = knownRuntime(name);
  if (p.node.sxsOnlyAssembly) return sxsRuntime(p.node.sxsOnlyAssembly)?.fix(host) ?? `Install the runtime that provides ${p.node.sxsOnlyAssembly} (${BITS[host]}), or place its files next to the application.`;
  if (runtime) return runtime.fix(host);
  return placementAdvice(name, host, result.locator.context, result.locator.locations);
}

function missingModule(p: TreeProblem, result: TreeResult, host: HostArch, rootCause: boolean, isExe: boolean): Finding {
  const name = p.node.name;
  const runtime = knownRuntime(name);
  const about = runtime ? ` ${name} belongs to the ${runtime.runtime}.${runtime.debug ? ' It is a debug runtime, which is never installed on customer machines.' : ''}${runtime.hostProvided ? ' It is provided by the process that hosts this module.' : ''}` : '';
  const sxs = p.node.sxsOnlyAssembly ? ` It is provided only by the side-by-side assembly ${p.node.sxsOnlyAssembly}, which was not found either.` : '';
  const apiSet = p.node.apiSetTarget ? ` (API set ${name} resolves to ${p.node.apiSetTarget})` : '';
  if (p.delay) {
    return finding({
      code: FINDING_CODES.delayLoadMissing, severity: 'warning', hostArch: host, title: `Delay-loaded ${name} not found: the DLL loads, the first call into it fails`,
      explanation: `${importerOf(p)} delay-loads ${name}${apiSet}; the load succeeds, but the first call of one of its functions raises 0xC06D007E (module not found) unless the program handles it.${about}${sxs}`,
      evidence: [formatChain(p.chain), `searched: ${searched(result)}`], fix: runtime ? runtime.fix(host) : `If that feature is used: ${placementAdvice(name, host, result.locator.context, result.locator.locations)}`,
    });
  }
  return finding({
    code: FINDING_CODES.missingDependency, severity: 'error', hostArch: host, rootCause,
    title: `${name} not found (needed by ${formatChain(p.chain.slice(0, -1))})`,
    explanation: `The loader cannot find ${name}${apiSet}, needed through ${formatChain(p.chain)}: ${failsWith('126', '0xC0000135', isExe)}${p.chain.length > 2 ? ', even though the missing file is not the one loaded' : ''}.${forwarderText(p)}${about}${sxs}`,
    evidence: [formatChain(p.chain), ...(p.node.forwarders ?? []).map((f) => `forwarder: ${f}`), `searched: ${searched(result)}`],
    fix: missingModuleFix(p, result, host),
  });
}

function noValidCopy(p: TreeProblem, host: HostArch, rootCause: boolean, isExe: boolean): Finding {
  const copies = p.node.skipped.map((s) => `${s.path}: ${s.reason}`);
  return finding({
    code: FINDING_CODES.dependencyWrongBitness, severity: p.delay ? 'warning' : 'error', hostArch: host, rootCause: rootCause && !p.delay,
    title: `Only unusable copies of ${p.node.name} found (needed by ${formatChain(p.chain.slice(0, -1))})`,
    explanation: `Every ${p.node.name} on the search path is of the wrong machine, damaged or not a PE image. The loader passes over them and, finding no usable one, ${isExe ? 'the program does not start (0xC000007B)' : 'fails with 193 ("%1 is not a valid Win32 application"; 0xC000007B at process start)'}${p.delay ? ' at the first call into it (delay-loaded)' : ''}.`,
    evidence: [formatChain(p.chain), ...copies],
    fix: p.node.skipped.some((s) => s.reason.startsWith('damaged'))
      ? `Replace the damaged ${p.node.name} with an intact ${BITS[host]} copy from its source (compare size and hash), and remove any copy of the other bitness from the search path.`
      : `Provide the ${BITS[host]} build of ${p.node.name} (a host of the other bitness would need the other builds).`,
  });
}

function wrongCopyFirst(p: TreeProblem, host: HostArch): Finding {
  const wrong = p.node.skipped.map((s) => `found first: ${s.path} (${s.machine ?? 'not a PE image'})`);
  return finding({
    code: FINDING_CODES.wrongBitnessFirst, severity: 'warning', hostArch: host,
    title: `A wrong-bitness copy of ${p.node.name} comes first on the search path`,
    explanation: `The loader skips ${p.node.skipped.length > 1 ? 'these copies' : 'this copy'} and loads ${p.node.path} instead, so this load works; but the copy in front is a trap: remove the usable copy, change the search order or ship another host, and the load fails with 193.`,
    evidence: [formatChain(p.chain), ...wrong, `loaded: ${p.node.path} (${p.node.machine})`],
    fix: `Remove or rename the wrong copy, or keep ${BITS[host]} and other-bitness builds in separate folders.`,
  });
}

function wantedName(m: MissingImport): string {
  const last = m.via[m.via.length - 1];
  return last ? `${m.function} (forwarded to ${last})` : m.function;
}

/** A function missing from Windows' own DLL: the module was built for a newer Windows. */
function fromSystemDll(p: Extract<TreeProblem, { kind: 'missing-export' }>): boolean {
  const lacking = p.missing.lackingModule ?? p.node.name;
  const systemStrategy = p.node.strategy === 'known-dll' || p.node.strategy === 'system-dir' || p.node.strategy === 'windows-dir' || p.node.strategy === 'api-set';
  return isSystemDllName(lacking) && (systemStrategy || p.missing.via.length > 0);
}

function missingExportFix(p: Extract<TreeProblem, { kind: 'missing-export' }>, result: TreeResult): string {
  const m = p.missing;
  const lacking = m.lackingModule ?? p.node.name;
  if (fromSystemDll(p)) {
    const windows = result.locator.context.windowsDir ? ` than the one examined (${result.locator.context.windowsDir})` : '';
    return `${m.importer} needs a newer Windows${windows}: ${m.function} is not in its ${lacking}. Run it on a Windows version that has ${m.function}, or ask the vendor for a build that supports this Windows.`;
  }
  const runtime = knownRuntime(lacking);
  if (runtime && !runtime.hostProvided) return `${m.importer} needs a newer ${runtime.runtime} than the ${lacking} found (${p.node.path}). ${runtime.fix(result.locator.context.hostArch)}`;
  return `Use the version of ${lacking} that ${m.importer} was built against (check which copy is found first: ${p.node.path}).`;
}

function missingExport(p: Extract<TreeProblem, { kind: 'missing-export' }>, result: TreeResult, host: HostArch, rootCause: boolean, isExe: boolean): Finding {
  const m = p.missing;
  const lacking = m.lackingModule ?? p.node.name;
  const byOrdinal = m.ordinal !== undefined;
  const through = m.via.length > 0 ? `, which ${p.node.name} forwards to ${m.via.join(' → ')}` : '';
  const why = m.reason === 'forwarder-target-missing' ? `the forwarder's module ${lacking} is not found` : m.reason === 'forwarder-loop' ? 'the forwarders loop' : `${lacking} does not export it`;
  if (p.delay) {
    return finding({
      code: FINDING_CODES.delayLoadMissingExport, severity: 'warning', hostArch: host, title: `${m.function} missing from delay-loaded ${lacking}: the first call fails`,
      explanation: `${m.importer} delay-imports ${m.function} from ${p.node.name}${through}; ${why}. The DLL loads; calling it raises 0xC06D007F (procedure not found).`,
      evidence: [formatChain(p.chain), p.node.path ?? p.node.name], fix: `Use the version of ${lacking} that ${m.importer} was built against.`,
    });
  }
  return finding({
    code: FINDING_CODES.missingExport, severity: 'error', hostArch: host, rootCause,
    title: `${byOrdinal ? `Ordinal ${m.ordinal}` : wantedName(m)} not found in ${lacking} (imported by ${m.importer})`,
    explanation: `${m.importer} imports ${byOrdinal ? `ordinal ${m.ordinal} (by number, not by name)` : m.function} from ${p.node.name}${through}; ${why}. ${byOrdinal ? failsWith('182 (ERROR_INVALID_ORDINAL)', '0xC0000138', isExe) : failsWith('127', '0xC0000139', isExe)}: ${fromSystemDll(p) ? `this Windows' ${lacking} does not have it` : `the found ${lacking} is another version than the one ${m.importer} was built against`}.`,
    evidence: [formatChain(p.chain), `${p.node.name}: ${p.node.path}`, ...m.via.map((v) => `forwarder: ${v}`)],
    fix: missingExportFix(p, result),
  });
}

function aggregate(problems: TreeProblem[], kind: TreeProblem['kind']): string[] {
  return [...new Set(problems.filter((p) => p.kind === kind).map((p) => p.node.name.toLowerCase()))];
}

function contextFindings(problems: TreeProblem[], result: TreeResult, host: HostArch): Finding[] {
  const found: Finding[] = [];
  const context: LoadContext = result.locator.context;
  const unchecked = aggregate(problems, 'unchecked');
  if (!context.windowsDir) {
    found.push(finding({
      code: FINDING_CODES.noWindowsDir, severity: 'warning', hostArch: host, title: 'System DLLs could not be checked (no Windows folder)',
      explanation: `No Windows folder is known on this machine, so imports of Windows' own DLLs were assumed present and not checked${unchecked.length ? ` (${unchecked.length}: ${unchecked.slice(0, 12).join(', ')}${unchecked.length > 12 ? ', ...' : ''})` : ''}. API sets and KnownDLLs were not resolved either.`,
      evidence: unchecked, fix: 'Give --windows-dir: a copy or mount of C:\\Windows, or a Wine prefix (its drive_c/windows).',
    }));
  }
  const apiSets = aggregate(problems, 'api-set-unresolved');
  if (apiSets.length > 0) {
    const reason = result.locator.apiSets.schema ? '' : ` (${result.locator.apiSets.reason})`;
    found.push(finding({
      code: FINDING_CODES.apiSetUnresolved, severity: 'info', hostArch: host, title: `${apiSets.length} API set name${apiSets.length > 1 ? 's' : ''} not resolved`,
      explanation: `api-ms-win-* and ext-ms-* names are virtual: Windows maps them to real DLLs through its API set schema, so they are not "missing" files. No schema was available${reason}, so their targets were not checked.`,
      evidence: apiSets, fix: 'Give --windows-dir with a System32 that holds apisetschema.dll.',
    }));
  }
  if (result.truncated) {
    found.push(finding({
      code: FINDING_CODES.treeTruncated, severity: 'warning', hostArch: host, title: 'Dependency tree cut short',
      explanation: `The tree reached its depth or size bound (${result.nodeCount} nodes); modules below the cut were not checked.`, fix: 'Raise the bound if the tree is legitimately this large.',
    }));
  }
  return found;
}

function problemKey(p: TreeProblem): string {
  const missing = p.kind === 'missing-export' ? `|${p.missing.importer}|${p.missing.function}` : '';
  return `${p.kind}|${(p.node.path ?? p.node.name).toLowerCase()}${missing}`;
}

/**
 * Findings for one host's tree and the verdict's failure: a missing side-by-side assembly first
 * (the activation context is made before any import is resolved), else the first fatal problem in
 * load order. `isExe` words them for starting a program rather than LoadLibrary.
 */
export function treeFindings(result: TreeResult, host: HostArch, isExe = false): { failure: TreeFailure | null; findings: Finding[] } {
  const all = collectProblems(result.tree);
  // A problem met on a start-up path and under a delay-load edge counts once, as start-up.
  const statics = new Set(all.filter((p) => !p.delay).map(problemKey));
  const problems = all.filter((p, i) => (!p.delay || !statics.has(problemKey(p))) && all.findIndex((q) => problemKey(q) === problemKey(p) && q.delay === p.delay) === i);
  const fatal = problems.find((p) => p.kind === 'sxs-missing' && sxsBlocks(p.node, result))
    ?? problems.find((p) => !p.delay && (p.kind === 'missing-module' || p.kind === 'no-valid-copy'))
    ?? problems.find((p) => !p.delay && p.kind === 'missing-export');
  const findings: Finding[] = [];
  for (const p of problems) {
    const isRoot = p === fatal;
    if (p.kind === 'missing-module') findings.push(missingModule(p, result, host, isRoot, isExe));
    else if (p.kind === 'no-valid-copy') findings.push(noValidCopy(p, host, isRoot, isExe));
    else if (p.kind === 'wrong-copy-first') findings.push(wrongCopyFirst(p, host));
    else if (p.kind === 'missing-export') findings.push(missingExport(p, result, host, isRoot, isExe));
    else if (p.kind === 'sxs-missing') findings.push(sxsFinding(p.node, result, host, isRoot, isExe));
    else if (p.kind === 'unreadable') findings.push(finding({ code: FINDING_CODES.dependencyUnreadable, severity: 'warning', hostArch: host, title: `${p.node.name} could not be read`, explanation: p.node.error ?? '', evidence: [formatChain(p.chain)], fix: 'Check the file (size, permissions).' }));
  }
  findings.push(...shadowingFindings(result, host), ...contextFindings(problems, result, host));
  return { failure: fatal ? failureOf(fatal) : null, findings };
}

function failureOf(p: TreeProblem): TreeFailure {
  const module = p.node.name;
  if (p.kind === 'sxs-missing') return { error: { ...LOADER_ERRORS.sxsCantGenActctx }, rootCause: sxsRootCause(p.node), subject: null };
  if (p.kind === 'missing-export') {
    const m = p.missing;
    const lacking = m.lackingModule ?? module;
    const subject = { module: lacking, function: m.function };
    if (m.ordinal !== undefined) {
      return { error: { ...LOADER_ERRORS.invalidOrdinal }, rootCause: `ordinal ${m.ordinal} not found in ${lacking} (imported by ${m.importer}; ${formatChain(p.chain)})`, subject };
    }
    return { error: { ...LOADER_ERRORS.procNotFound }, rootCause: `${wantedName(m)} not found in ${lacking} (imported by ${m.importer}; ${formatChain(p.chain)})`, subject };
  }
  if (p.kind === 'no-valid-copy') {
    return { error: { ...LOADER_ERRORS.badExeFormat }, rootCause: `only ${p.node.skipped.every((s) => s.reason.startsWith('damaged')) ? 'damaged' : p.node.skipped.some((s) => s.reason.startsWith('damaged')) ? 'wrong-bitness or damaged' : 'wrong-bitness'} copies of ${module} found (${formatChain(p.chain)}): ${p.node.skipped.map((s) => s.path).join(', ')}`, subject: { module } };
  }
  const forwarder = p.node.viaForwarder && p.node.forwarders?.length ? `; forwarder ${p.node.forwarders[0]}` : '';
  return { error: { ...LOADER_ERRORS.modNotFound }, rootCause: `${module} not found (${formatChain(p.chain)}${forwarder})`, subject: { module } };
}
