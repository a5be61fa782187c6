import type { HostArch } from '../resolver/load-context.ts';
import type { Finding, Severity } from './finding.ts';

/** How findings name a host's bitness. */
export const BITS: Record<HostArch, string> = { x86: '32-bit', x64: '64-bit' };

/** Stable finding codes: reports, tests and support scripts key on these. */
export const FINDING_CODES = {
  wrongBitness: 'THK-WRONG-BITNESS',
  unsupportedMachine: 'THK-UNSUPPORTED-MACHINE',
  dotnetAssembly: 'THK-DOTNET-ASSEMBLY',
  dotnetBitness: 'THK-DOTNET-BITNESS',
  dotnetMixedMode: 'THK-DOTNET-MIXED-MODE',
  missingDependency: 'THK-MISSING-DEPENDENCY',
  dependencyWrongBitness: 'THK-DEPENDENCY-WRONG-BITNESS',
  wrongBitnessFirst: 'THK-WRONG-BITNESS-FIRST',
  missingExport: 'THK-MISSING-EXPORT',
  delayLoadMissing: 'THK-DELAY-LOAD-MISSING',
  delayLoadMissingExport: 'THK-DELAY-LOAD-MISSING-EXPORT',
  dependencyUnreadable: 'THK-DEPENDENCY-UNREADABLE',
  apiSetUnresolved: 'THK-API-SET-UNRESOLVED',
  sxsNotFound: 'THK-SXS-NOT-FOUND',
  systemDllShadowed: 'THK-SYSTEM-DLL-SHADOWED',
  damagedImage: 'THK-DAMAGED-IMAGE',
  noWindowsDir: 'THK-NO-WINDOWS-DIR',
  treeTruncated: 'THK-TREE-TRUNCATED',
  malformed: 'THK-MALFORMED',
  noAslr: 'THK-NO-ASLR',
  noHighEntropyVa: 'THK-NO-HIGH-ENTROPY-VA',
  noDep: 'THK-NO-DEP',
  noCfg: 'THK-NO-CFG',
  noSafeSeh: 'THK-NO-SAFESEH',
  unsigned: 'THK-UNSIGNED',
  signatureModified: 'THK-SIGNATURE-MODIFIED',
  signatureInvalid: 'THK-SIGNATURE-INVALID',
  signatureMalformed: 'THK-SIGNATURE-MALFORMED',
  nestedSignatureInvalid: 'THK-NESTED-SIGNATURE-INVALID',
  signatureRootUnknown: 'THK-SIGNATURE-ROOT-UNKNOWN',
  packed: 'THK-PACKED',
} as const;

export type FindingCode = (typeof FINDING_CODES)[keyof typeof FINDING_CODES];

export interface FindingInput {
  code: FindingCode;
  severity: Severity;
  title: string;
  explanation: string;
  evidence?: string[];
  fix: string;
  hostArch?: HostArch | null;
  rootCause?: boolean;
}

export function finding(input: FindingInput): Finding {
  return {
    code: input.code, severity: input.severity, title: input.title, explanation: input.explanation,
    evidence: input.evidence ?? [], fix: input.fix, hostArch: input.hostArch ?? null, rootCause: input.rootCause ?? false,
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function sameExceptHost(a: Finding, b: Finding): boolean {
  return a.code === b.code && a.title === b.title && a.severity === b.severity && a.rootCause === b.rootCause
    && a.explanation === b.explanation && a.fix === b.fix && a.evidence.join('\n') === b.evidence.join('\n');
}

/**
 * One list for all hosts: a finding that says the same for every host is kept once with
 * hostArch null; blocking first, then warnings, then information, root causes first within each.
 */
export function mergeFindings(findings: Finding[], hosts: HostArch[]): Finding[] {
  const merged: Finding[] = [];
  const used = new Set<Finding>();
  for (const f of findings) {
    if (used.has(f)) continue;
    const twins = findings.filter((g) => !used.has(g) && sameExceptHost(f, g));
    twins.forEach((g) => used.add(g));
    const everyHost = f.hostArch === null || hosts.every((h) => twins.some((g) => g.hostArch === h));
    if (everyHost && hosts.length > 1) merged.push({ ...f, hostArch: null });
    else merged.push(...dedupe(twins));
  }
  return merged
    .map((f, index) => ({ f, index }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || Number(b.f.rootCause) - Number(a.f.rootCause) || a.index - b.index)
    .map(({ f }) => f);
}

function dedupe(list: Finding[]): Finding[] {
  return list.filter((f, i) => list.findIndex((g) => g.hostArch === f.hostArch) === i);
}
