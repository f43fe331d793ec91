import type { PingdeskError } from '../../shared/errors.js';
import { BUSY_TIMEOUT_MS } from './open-database.js';
import { describeFault, storageUnavailable } from './storage-fault.js';
import type { StoreLog } from './write-queue.js';

/** Whether the store can commit, and why not. */
export interface StorageState {
  available: boolean;
  /** The storage error that made it unavailable, e.g. "SQLITE_FULL: database or disk is full". */
  reason: string | null;
  /** When it became unavailable (epoch ms). */
  since: number | null;
  /** Writes held in order until the storage takes them. */
  retained: number;
}

/** busy_timeout while retrying: a locked file must not hold the event loop for long on every probe. */
const PROBE_BUSY_TIMEOUT_MS = 50;

/**
 * The write queue's view of its storage: available, or unavailable since a time for a reason. Each
 * change is logged and told to the listeners (the engine turns it into `health.changed`); a repeat of
 * the same fault changes nothing.
 */
export class StorageStatus {
  private fault: { reason: string; since: number; error: PingdeskError } | null = null;
  private readonly listeners = new Set<(state: StorageState) => void>();

  constructor(private readonly writer: { pragma(sql: string): unknown }, private readonly opts: { log: StoreLog; now: () => number }) {}

  get available(): boolean {
    return this.fault === null;
  }

  /** What writers get while unavailable; null while available. */
  get error(): PingdeskError | null {
    return this.fault?.error ?? null;
  }

  state(retained: number): StorageState {
    return this.fault
      ? { available: false, reason: this.fault.reason, since: this.fault.since, retained }
      : { available: true, reason: null, since: null, retained: 0 };
  }

  onChange(listener: (state: StorageState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The storage refused a batch; returns the error its waiters get. */
  fail(cause: unknown, retained: number): PingdeskError {
    const reason = describeFault(cause);
    if (this.fault?.reason === reason) return this.fault.error;
    const first = this.fault === null;
    this.fault = { reason, since: this.fault?.since ?? this.opts.now(), error: storageUnavailable(reason, cause) };
    if (first) {
      this.setBusyTimeout(PROBE_BUSY_TIMEOUT_MS);
      this.opts.log('error', 'storage unavailable: writes are retained and retried', { reason, retained });
    }
    this.announce(retained);
    return this.fault.error;
  }

  /** A batch committed: whatever was retained is stored. */
  recover(): void {
    if (!this.fault) return;
    const { reason, since } = this.fault;
    this.fault = null;
    this.setBusyTimeout(BUSY_TIMEOUT_MS);
    this.opts.log('info', 'storage available again', { after: reason, unavailableMs: this.opts.now() - since });
    this.announce(0);
  }

  private setBusyTimeout(ms: number): void {
    try {
      this.writer.pragma(`busy_timeout = ${ms}`);
    } catch {
      // A pragma on a broken connection changes nothing that matters here.
    }
  }

  private announce(retained: number): void {
    const state = this.state(retained);
    for (const l of this.listeners) {
      try {
        l(state);
      } catch (err) {
        this.opts.log('warn', 'storage state listener failed', { err: String(err) });
      }
    }
  }
}
