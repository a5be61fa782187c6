import type { PeImage } from '../pe/pe-image.ts';
import { parsePeFile } from '../pe/parse-pe.ts';
import type { DependencyNode } from '../resolver/dependency-node.ts';
import type { HostArch, LoadContext, LoadMethod, SearchFlag } from '../resolver/load-context.ts';
import { defaultLoadContext } from '../resolver/default-load-context.ts';
import { resolveDependencies, type TreeResult } from '../resolver/dependency-tree.ts';
import { createCaches, type ResolverCaches } from '../resolver/module-locator.ts';
import type { Finding } from './finding.ts';
import type { Verdict } from './verdict.ts';
import { FINDING_CODES, mergeFindings } from './findings.ts';
import { imageFindings } from './image-findings.ts';
import { dotnetNotes, rootMachineFailure } from './root-machine.ts';
import { treeFindings } from './tree-findings.ts';
import { signatureVerificationFindings } from './signature-findings.ts';
import type { FileSignatureReport } from '../signature/signature-types.ts';
import { verifyAuthenticodeFile } from '../signature/verify-authenticode.ts';
import { damagedImageFinding } from './image-integrity.ts';
import { fatalDamage } from '../pe/image-damage.ts';
import { LOADER_ERRORS, processStartError } from './error-codes.ts';
import { exeMachineFailure } from './root-machine.ts';

export interface DiagnoseOptions {
  hosts: HostArch[];
  applicationDir?: string;
  hostExecutable?: string;
  loadMethod?: LoadMethod;
  searchFlags?: SearchFlag[];
  /** --search-dir: AddDllDirectory/SetDllDirectory folders (the context's extraDirs). */
  searchDirs?: string[];
  windowsDir?: string | null;
  currentDir?: string | null;
  pathDirs?: string[];
  maxDepth?: number;
  maxNodes?: number;
  /** Parsed modules and folder listings to share across the files of one run. */
  caches?: ResolverCaches;
  /** Verify the Authenticode signature (hashes the whole file when signed). Default true. */
  verifySignature?: boolean;
}

export interface Diagnosis {
  image: PeImage;
  verdicts: Partial<Record<HostArch, Verdict>>;
  trees: Partial<Record<HostArch, DependencyNode>>;
  findings: Finding[];
  /** The verified signature; null when not asked for. */
  signature: FileSignatureReport | null;
}

function contextFor(rootPath: string, host: HostArch, options: DiagnoseOptions): LoadContext {
  return defaultLoadContext(rootPath, host, {
    applicationDir: options.applicationDir, hostExecutable: options.hostExecutable ?? undefined, loadMethod: options.loadMethod,
    searchFlags: options.searchFlags, extraDirs: options.searchDirs, windowsDir: options.windowsDir, currentDir: options.currentDir,
    pathDirs: options.pathDirs,
  });
}

/** A program (EXE) is judged for starting its process, not for LoadLibrary into a host. */
export function isProgram(image: PeImage): boolean {
  return !image.fileHeader.isDll;
}

/** Verdict and findings for one host from the root image and its tree. */
export function judgeHost(image: PeImage, host: HostArch, result: TreeResult): { verdict: Verdict; findings: Finding[] } {
  const context = result.locator.context;
  const isExe = isProgram(image);
  const damage = fatalDamage(image);
  // The loader refuses to map a damaged file in any process: the tree below it is not reached.
  if (damage.length > 0) {
    const error = isExe ? { ...LOADER_ERRORS.invalidImageFormat } : { ...LOADER_ERRORS.badExeFormat };
    return { verdict: { hostArch: host, loads: false, builtForHost: image.machine === (host === 'x86' ? 'x86' : 'x64'), error, rootCause: `the file is damaged: ${damage[0]}`, context }, findings: [] };
  }
  const machine = isExe ? exeMachineFailure(image, host) : rootMachineFailure(image, host);
  const tree = treeFindings(result, host, isExe);
  // The root's own machine fails before any dependency is looked at: the tree is still shown,
  // but its problems (every dependency of the root's machine is "wrong" here) are noise.
  if (machine) {
    return { verdict: { hostArch: host, loads: false, builtForHost: false, error: machine.error, rootCause: machine.rootCause, context }, findings: [machine.finding] };
  }
  const failure = tree.failure;
  const error = failure && isExe ? processStartError(failure.error, failure.subject) : failure?.error ?? null;
  return {
    verdict: { hostArch: host, loads: failure === null, builtForHost: true, error, rootCause: failure?.rootCause ?? null, context },
    findings: tree.findings,
  };
}

/**
 * Will the DLL load, per host bitness, and why not: parses the root (with details), builds one
 * dependency tree per host (modules parsed once across hosts) and states verdicts and findings.
 * Throws NotPeError / FileAccessError for files that cannot be analysed.
 */
export function diagnose(rootPath: string, options: DiagnoseOptions): Diagnosis {
  const image = parsePeFile(rootPath);
  const caches = options.caches ?? createCaches();
  const verdicts: Diagnosis['verdicts'] = {};
  const trees: Diagnosis['trees'] = {};
  const signature = options.verifySignature ?? true ? verifyAuthenticodeFile(rootPath, image) : null;
  const signatureFindings = signature ? signatureVerificationFindings(signature, image) : [];
  const damage = fatalDamage(image);
  // A damaged file's parser issues are the same damage seen structure by structure: one finding says it.
  const findings: Finding[] = damage.length > 0
    ? [damagedImageFinding(image, damage, isProgram(image)), ...imageFindings(image).filter((f) => f.code !== FINDING_CODES.malformed), ...signatureFindings]
    : [...imageFindings(image), ...signatureFindings, ...dotnetNotes(image)];
  for (const host of options.hosts) {
    const result = resolveDependencies(rootPath, contextFor(rootPath, host, options), { caches, rootImage: image, maxDepth: options.maxDepth, maxNodes: options.maxNodes });
    const judged = judgeHost(image, host, result);
    verdicts[host] = judged.verdict;
    trees[host] = result.tree;
    findings.push(...judged.findings);
  }
  return { image, verdicts, trees, findings: mergeFindings(demoteOtherBitness(findings, verdicts), options.hosts), signature };
}

// Judged for both bitnesses, a 32-bit DLL failing in a 64-bit process is a fact about the DLL,
// not a problem; asked about that host alone, it is the problem.
function demoteOtherBitness(findings: Finding[], verdicts: Diagnosis['verdicts']): Finding[] {
  const builtFor = Object.values(verdicts).filter((v) => v?.builtForHost).map((v) => v!.hostArch);
  if (builtFor.length === 0) return findings;
  return findings.map((f) => (f.code === FINDING_CODES.wrongBitness && f.hostArch && !builtFor.includes(f.hostArch) ? { ...f, severity: 'info' } : f));
}
