import type { FileReport } from '../../../../src-main/contract/api-contract.ts';
import { HOST_NAMES, codeText, type Host, type Verdict } from '../verdict-words.ts';

export type Agreement = 'agrees' | 'disagrees' | 'not-comparable' | 'unavailable';

/** One host: the static verdict beside the real loader's, and why they differ. */
export interface LoaderComparison {
  host: Host;
  hostName: string;
  predicted: { loads: boolean; text: string };
  real: { loads: boolean | null; text: string };
  agreement: Agreement;
  /** Why they differ, in words (the disagreement finding's explanation). */
  reason: string | null;
  fix: string | null;
  /** Where a fault in DllMain happened, and the frames of its backtrace. */
  evidence: string[];
  runtime: string | null;
}

const failText = (error: { code: number; name: string } | null): string => (error ? `Fails: ${codeText(error.code)} ${error.name}` : 'Fails');

/** Rows for the hosts the real loader was asked about (the hosts the file is built for), in verdict order. */
export function loaderComparisons(report: FileReport): LoaderComparison[] {
  const rows: LoaderComparison[] = [];
  for (const [host, verdict] of Object.entries(report.verdicts) as [Host, Verdict][]) {
    const real = report.realLoader?.[host];
    if (!real) continue;
    const finding = report.findings.find((f) => f.code === 'THK-REAL-LOADER-DISAGREES' && f.hostArch === host);
    const agreement: Agreement = real.unavailable !== undefined || real.loads === null ? 'unavailable'
      : real.agreesWithPrediction === null ? 'not-comparable' : real.agreesWithPrediction ? 'agrees' : 'disagrees';
    rows.push({
      host, hostName: HOST_NAMES[host],
      predicted: { loads: verdict.loads, text: verdict.loads ? 'Loads' : failText(verdict.error) },
      real: { loads: real.loads, text: real.loads === null ? `Not asked: ${real.unavailable ?? real.error?.message ?? 'no agent'}` : real.loads ? 'Loads' : failText(real.error) },
      agreement,
      reason: agreement === 'not-comparable'
        ? 'The verdict assumes a different application folder than the agent\'s; the loader could not be asked in the same context.'
        : finding?.explanation ?? null,
      fix: finding?.fix ?? null,
      // The first line names the file and the runtime, shown apart.
      evidence: finding?.evidence.slice(1).filter((line) => !real.modules.includes(line)) ?? [],
      runtime: real.runtime,
    });
  }
  return rows;
}

export const AGREEMENT_WORDS: Record<Agreement, string> = {
  agrees: 'Agrees', disagrees: 'Disagrees', 'not-comparable': 'Not comparable', unavailable: 'Not asked',
};
