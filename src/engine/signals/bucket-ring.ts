/** A ring of time buckets; a bucket whose slot has passed is reused from zero. */
export class BucketRing<B extends { slot: number }> {
  private readonly buckets: B[] = [];

  constructor(
    private readonly size: number,
    private readonly slotMs: number,
    private readonly make: (slot: number) => B,
  ) {}

  /** The bucket for an instant, or null when that instant is older than the ring remembers. */
  at(atMs: number): B | null {
    const slot = Math.floor(atMs / this.slotMs);
    const index = ((slot % this.size) + this.size) % this.size;
    const bucket = this.buckets[index];
    if (bucket && bucket.slot === slot) return bucket;
    if (bucket && bucket.slot > slot) return null;
    const fresh = this.make(slot);
    this.buckets[index] = fresh;
    return fresh;
  }

  /** Buckets within the window ending at `nowMs`. */
  *within(nowMs: number): Iterable<B> {
    const current = Math.floor(nowMs / this.slotMs);
    for (const b of this.buckets) if (b && b.slot > current - this.size && b.slot <= current) yield b;
  }
}

/** How many buckets of `bucketMs` cover `windowMs`. */
export function bucketCount(windowMs: number, bucketMs: number): number {
  return Math.max(1, Math.ceil(windowMs / bucketMs));
}

export function ratio(n: number, d: number): number {
  return d > 0 ? n / d : 0;
}
