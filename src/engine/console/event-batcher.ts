import type { AuctionSummary, ConsoleEvents, EventName } from '../../shared/console-api.js';
import type { ConsoleHost, EventListener } from './console-host.js';

export interface EventBatcherOptions {
  /** Minimum gap between two `auctions.batch` emissions (default 250 ms: at most 4 a second). */
  intervalMs?: number;
  /** Most summaries in one emitted batch; older ones are dropped and counted (default 500). */
  maxBatch?: number;
  now?: () => number;
  /** A throwing listener is isolated from the others; this hears about it. */
  onListenerError?: (err: unknown) => void;
}

export interface EventBatcherStats {
  batches: number;
  summaries: number;
  dropped: number;
}

/** The console event stream as transports carry it: auctions coalesced, everything else as it comes. */
export interface EventBatcher {
  subscribe(listener: EventListener): () => void;
  /** Emits the pending auctions now, whatever the interval. */
  flush(): void;
  stats(): EventBatcherStats;
  /** Stops listening to the source; pending auctions are discarded. */
  close(): void;
}

/**
 * Wraps a host's events for a transport. However fast the engine produces `auctions.batch`
 * payloads, listeners receive them merged, at most once per `intervalMs`, holding only the newest
 * `maxBatch` summaries: a console cannot show more, and a renderer flooded with IPC messages or
 * SSE frames would fall behind the exchange it watches. The first batch after a quiet period goes
 * out on the next tick, so a lone auction shows at once.
 */
export function createEventBatcher(source: Pick<ConsoleHost, 'subscribe'>, opts: EventBatcherOptions = {}): EventBatcher {
  const intervalMs = opts.intervalMs ?? 250;
  const maxBatch = opts.maxBatch ?? 500;
  const now = opts.now ?? Date.now;
  const listeners = new Set<EventListener>();
  const stats: EventBatcherStats = { batches: 0, summaries: 0, dropped: 0 };
  let pending: AuctionSummary[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastEmitAt = Number.NEGATIVE_INFINITY;
  let closed = false;

  function emit<E extends EventName>(name: E, payload: ConsoleEvents[E]): void {
    for (const listener of [...listeners]) {
      try {
        listener(name, payload);
      } catch (err) {
        opts.onListenerError?.(err);
      }
    }
  }

  /** Keeps the newest `keep` pending summaries, counting the rest as dropped. */
  function trimPending(keep: number): void {
    if (pending.length <= keep) return;
    const drop = pending.length - keep;
    stats.dropped += drop;
    pending = pending.slice(drop);
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    trimPending(maxBatch);
    const batch = pending;
    pending = [];
    lastEmitAt = now();
    stats.batches += 1;
    stats.summaries += batch.length;
    emit('auctions.batch', batch);
  }

  function addAuctions(rows: AuctionSummary[]): void {
    if (listeners.size === 0) return;
    for (const row of rows) pending.push(row);
    // Bounded memory between flushes: twice the batch size, trimmed in bulk rather than per row.
    if (pending.length > maxBatch * 2) trimPending(maxBatch);
    if (timer) return;
    const wait = Math.max(0, lastEmitAt + intervalMs - now());
    timer = setTimeout(flush, wait);
    timer.unref?.();
  }

  const unsubscribeSource = source.subscribe((name, payload) => {
    if (closed) return;
    if (name === 'auctions.batch') addAuctions(payload as AuctionSummary[]);
    else emit(name, payload);
  });

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    flush,
    stats: () => ({ ...stats }),
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      pending = [];
      listeners.clear();
      unsubscribeSource();
    },
  };
}
