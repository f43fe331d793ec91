/**
 * A memo that forgets everything once it holds `limit` entries, for values that are cheap to compute
 * again after a reset (parsed URLs, normalised names, authenticated keys): no per-entry bookkeeping on
 * the hot path, and no way for a stream of distinct keys to grow it without bound.
 */
export class BoundedMemo<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): V {
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  /** The value for `key`, computed once until the memo resets. */
  of(key: K, compute: (key: K) => V): V {
    const known = this.entries.get(key);
    return known === undefined ? this.set(key, compute(key)) : known;
  }

  clear(): void {
    this.entries.clear();
  }
}
