import type { HostArch } from '../resolver/load-context.ts';

export type Severity = 'error' | 'warning' | 'info';

/** One thing a support engineer should know, with a stable code and an actionable fix. */
export interface Finding {
  /** Stable code, e.g. "THK-MISSING-DEPENDENCY". */
  code: string;
  severity: Severity;
  title: string;
  explanation: string;
  evidence: string[];
  fix: string;
  /** The host bitness this applies to, or null for both. */
  hostArch: HostArch | null;
  /** True for the finding that explains a verdict's failure (shown first). */
  rootCause: boolean;
}
