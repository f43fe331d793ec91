/**
 * Pauses a buyer that keeps failing (timeouts, unreachable, HTTP errors, bad answers), so one dead
 * endpoint does not cost every auction its full deadline. The caller decides what counts as a
 * failure; NO_BID and BID are successes, a buyer that answers is healthy.
 *
 * closed ──N consecutive failures──▶ open ──cool-down──▶ half-open (one trial ping)
 *   ▲                                  ▲                      │
 *   └────────── trial succeeds ────────┼──── trial fails ─────┘
 *
 * Pure: the clock is injected and nothing here does I/O.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  threshold?: number;
  coolDownMs?: number;
  now: () => number;
}

interface Entry {
  state: CircuitState;
  failures: number;
  openedAt: number;
  /** When the half-open trial was handed out; a trial whose result never comes is re-issued after a cool-down. */
  trialAt: number;
}

export class CircuitBreaker {
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();

  constructor(opts: CircuitBreakerOptions) {
    this.threshold = Math.max(1, opts.threshold ?? 5);
    this.coolDownMs = opts.coolDownMs ?? 30_000;
    this.now = opts.now;
  }

  /** Returns 'closed' when this success ended a half-open trial, so the caller can record it. */
  recordSuccess(buyerId: string): 'closed' | null {
    const entry = this.entries.get(buyerId);
    if (!entry) return null;
    // A success while open comes from a request sent before the circuit opened: it proves little.
    if (entry.state === 'open') return null;
    const wasTrial = entry.state === 'half-open';
    this.entries.delete(buyerId);
    return wasTrial ? 'closed' : null;
  }

  /** Returns 'opened' when this failure opened (or re-opened) the circuit. */
  recordFailure(buyerId: string): 'opened' | null {
    const entry = this.entries.get(buyerId) ?? { state: 'closed', failures: 0, openedAt: 0, trialAt: 0 };
    this.entries.set(buyerId, entry);
    if (entry.state === 'open') return null;
    entry.failures += 1;
    if (entry.state === 'half-open' || entry.failures >= this.threshold) {
      entry.state = 'open';
      entry.openedAt = this.now();
      return 'opened';
    }
    return null;
  }

  /**
   * Whether the buyer must be skipped now. Once the cool-down has passed this hands out exactly
   * one trial (returns false once, then true until the trial's result is recorded).
   */
  isOpen(buyerId: string): boolean {
    const entry = this.entries.get(buyerId);
    if (!entry || entry.state === 'closed') return false;
    const now = this.now();
    if (entry.state === 'open') {
      if (now - entry.openedAt < this.coolDownMs) return true;
      entry.state = 'half-open';
      entry.trialAt = now;
      return false;
    }
    if (now - entry.trialAt >= this.coolDownMs) {
      entry.trialAt = now;
      return false;
    }
    return true;
  }

  /** The state as an operator would see it; reading it grants no trial. */
  state(buyerId: string): CircuitState {
    const entry = this.entries.get(buyerId);
    if (!entry) return 'closed';
    if (entry.state === 'open' && this.now() - entry.openedAt >= this.coolDownMs) return 'half-open';
    return entry.state;
  }

  failures(buyerId: string): number {
    return this.entries.get(buyerId)?.failures ?? 0;
  }

  /** An operator's "resume now": forget failures and close the circuit. */
  reset(buyerId: string): void {
    this.entries.delete(buyerId);
  }
}
