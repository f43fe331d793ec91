/** The intake's work still running (auctions, posts), and whether the engine has begun to drain. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  draining = false;

  /** Follows `p` until it settles; returns it unchanged. */
  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => undefined);
    return p;
  }

  get size(): number {
    return this.running.size;
  }

  list(): Array<Promise<unknown>> {
    return [...this.running];
  }
}
