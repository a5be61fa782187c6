import type { FileReport } from '../../../src-main/contract/api-contract.ts';

export type Host = 'x86' | 'x64';
export type Verdict = NonNullable<FileReport['verdicts'][Host]>;
export type Finding = FileReport['findings'][number];

export const HOST_NAMES: Record<Host, string> = { x86: '32-bit process', x64: '64-bit process' };

/** One line a support engineer reads first. */
export function headline(report: FileReport): { text: string; tone: 'ok' | 'fail' | 'partial' } {
  const entries = (Object.entries(report.verdicts) as [Host, Verdict][]);
  const realFailure = entries.map(([h]) => report.realLoader?.[h]).find((row, i) => entries[i]![1].loads && row?.loads === false);
  if (realFailure) return { text: `Does not load when loaded for real${realFailure.error ? `: error ${codeText(realFailure.error.code)} ${realFailure.error.name}` : ''}`, tone: 'fail' };
  const loads = entries.filter(([, v]) => v.loads).map(([h]) => h);
  const failsBuiltFor = entries.filter(([, v]) => v.builtForHost && !v.loads);
  if (failsBuiltFor.length > 0 || loads.length === 0) {
    const first = failsBuiltFor[0]?.[1] ?? entries[0]?.[1];
    return { text: `Does not load${first?.error ? `: error ${first.error.code} ${first.error.name}` : ''}`, tone: 'fail' };
  }
  const bits = loads.map((h) => (h === 'x86' ? '32-bit' : '64-bit'));
  if (loads.length === entries.length) return { text: `Loads in ${bits.join(' and ')} processes`, tone: 'ok' };
  return { text: `Loads in ${bits[0]} processes only`, tone: 'partial' };
}

/** Windows codes are decimal below 0x10000 and NTSTATUS-style hex above. */
export function codeText(code: number): string {
  return code > 0xffff ? `0x${code.toString(16).toUpperCase()}` : String(code);
}

/** The finding that explains this host's failure, for its fix. */
export function rootFinding(report: FileReport, host: Host): Finding | undefined {
  return report.findings.find((f) => f.rootCause && (f.hostArch === host || f.hostArch === null)) ?? report.findings.find((f) => f.rootCause);
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/** Findings other than the verdicts' root causes, most severe first. */
export function otherFindings(report: FileReport): Finding[] {
  return report.findings.filter((f) => !f.rootCause).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

export function formatBytes(size: number | null): string {
  if (size === null) return 'unknown';
  if (size < 1024) return `${size} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]} (${size.toLocaleString('en-US')} bytes)`;
}

/** True when the file does not load where it should (or could not be analysed). */
export function fails(report: FileReport): boolean {
  return report.status !== 'analysed' || headline(report).tone === 'fail';
}

/** Where a set opens: its first file that does not load, else its first file. */
export function firstFailing(results: FileReport[]): number {
  return Math.max(0, results.findIndex(fails));
}
