/**
 * Per-source token buckets. Written here rather than taken from a plugin because the limit of each
 * source is live configuration (it changes with the workspace) and is keyed by the authenticated
 * source, not by the client address.
 */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait before a token is free. */
  take(sourceId: string, perMinute: number): number {
    const t = this.now();
    const capacity = Math.max(1, perMinute);
    const perMs = capacity / 60_000;
    const b = this.buckets.get(sourceId) ?? { tokens: capacity, at: t };
    b.tokens = Math.min(capacity, b.tokens + (t - b.at) * perMs);
    b.at = t;
    this.buckets.set(sourceId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
  }
}
