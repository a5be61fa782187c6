import type { Severity } from '../diagnosis/finding.ts';
import type { HostArch } from '../resolver/load-context.ts';
import type { FileReport, ReportDocument } from './report-document.ts';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Leaves out findings below `min` (e.g. the hardening and signature information). */
export function withMinSeverity(document: ReportDocument, min: Severity): ReportDocument {
  if (min === 'info') return document;
  return { ...document, results: document.results.map((r) => ({ ...r, findings: r.findings.filter((f) => RANK[f.severity] <= RANK[min]) })) };
}

/**
 * Leaves out the dependency tree of a host the file is not built for (a 64-bit DLL's 32-bit
 * tree), which only lists the other bitness's problems; kept when that host alone was asked about.
 */
export function withoutOtherBitnessTrees(document: ReportDocument): ReportDocument {
  const trim = (report: FileReport): FileReport => {
    const hosts = Object.keys(report.verdicts) as HostArch[];
    if (hosts.length < 2) return report;
    const dependencies = { ...report.dependencies };
    for (const host of hosts) if (report.verdicts[host] && !report.verdicts[host]!.builtForHost) delete dependencies[host];
    return { ...report, dependencies };
  };
  return { ...document, results: document.results.map(trim) };
}
