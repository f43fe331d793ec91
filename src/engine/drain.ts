/** How long a stop waits for auctions in flight and open requests before it cuts connections. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 15_000;

export interface DrainSteps {
  /** Auctions and requests still being answered. */
  inFlight(): Promise<unknown>[];
  /** Stops accepting and resolves once every connection has ended. */
  closeListener(): Promise<void>;
  /** Cuts the connections still open (a stalled body, a slow client). */
  forceClose(): void;
}

/**
 * A bounded stop: wait for the work in flight, then for the listener's connections, all within
 * `timeoutMs`; past it, open connections are cut so a stalled client cannot hold the process.
 * Resolves with whether it had to cut.
 */
export async function drainWithin(timeoutMs: number, steps: DrainSteps): Promise<'drained' | 'forced'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeoutMs);
  });
  try {
    const work = await Promise.race([Promise.allSettled(steps.inFlight()).then(() => 'done' as const), expired]);
    const closed = steps.closeListener();
    const listener = work === 'expired' ? 'expired' : await Promise.race([closed.then(() => 'done' as const), expired]);
    if (listener === 'done') return 'drained';
    steps.forceClose();
    await closed;
    return 'forced';
  } finally {
    clearTimeout(timer);
  }
}
