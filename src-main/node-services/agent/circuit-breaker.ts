// Per-DLL circuit breaker: a DLL that keeps killing the agent is refused until a probe succeeds.

export type BreakerState = 'closed' | 'open' | 'half-open';
export type Admission = 'ok' | 'probe' | 'reject';

export interface BreakerOptions {
  /** Failures (crashes, hangs) within `windowMs` that open the breaker. */
  threshold: number;
  windowMs: number;
  /** How long it stays open before one probe is let through. */
  cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 3, windowMs: 60_000, cooldownMs: 30_000 };

interface Entry {
  failures: number[];
  openedAt: number | null;
  probing: boolean;
}

export interface BreakerSnapshot {
  dll: string;
  state: BreakerState;
  recentFailures: number;
  /** When an open breaker lets the next probe through (ms since epoch), else null. */
  retryAt: number | null;
}

export class CircuitBreaker {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: BreakerOptions = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
    private readonly onChange: (dll: string, state: BreakerState) => void = () => undefined,
  ) {}

  state(dll: string): BreakerState {
    const entry = this.entries.get(dll);
    if (!entry || entry.openedAt === null) return 'closed';
    return entry.probing || this.now() - entry.openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a request for `dll` may run; in half-open state exactly one probe at a time. */
  admit(dll: string): Admission {
    const entry = this.entries.get(dll);
    if (!entry || entry.openedAt === null) return 'ok';
    if (entry.probing || this.now() - entry.openedAt < this.options.cooldownMs) return 'reject';
    entry.probing = true;
    this.onChange(dll, 'half-open');
    return 'probe';
  }

  success(dll: string): void {
    const entry = this.entries.get(dll);
    if (!entry?.probing) return;
    this.entries.delete(dll);
    this.onChange(dll, 'closed');
  }

  /** A probe that never ran gives its turn back. */
  release(dll: string): void {
    const entry = this.entries.get(dll);
    if (entry) entry.probing = false;
  }

  failure(dll: string): void {
    const now = this.now();
    const entry = this.entries.get(dll) ?? { failures: [], openedAt: null, probing: false };
    this.entries.set(dll, entry);
    entry.failures = entry.failures.filter((t) => now - t < this.options.windowMs);
    entry.failures.push(now);
    if (entry.probing || (entry.openedAt === null && entry.failures.length >= this.options.threshold)) {
      entry.openedAt = now;
      entry.probing = false;
      this.onChange(dll, 'open');
    }
  }

  reset(dll: string): void {
    if (this.entries.delete(dll)) this.onChange(dll, 'closed');
  }

  snapshot(): BreakerSnapshot[] {
    return [...this.entries].map(([dll, entry]) => ({
      dll,
      state: this.state(dll),
      recentFailures: entry.failures.filter((t) => this.now() - t < this.options.windowMs).length,
      retryAt: entry.openedAt === null ? null : entry.openedAt + this.options.cooldownMs,
    }));
  }
}
