import type { StorageHealth } from '../../shared/console-api.js';
import type { StorageState } from '../store/write-queue.js';

/** The store's state as the console sees it (`session.info().health`, `health.changed`). */
export function toStorageHealth(state: StorageState): StorageHealth {
  return state.available
    ? { status: 'ok', reason: null, since: null, retainedWrites: 0 }
    : { status: 'storage_unavailable', reason: state.reason, since: state.since, retainedWrites: state.retained };
}

/**
 * The head of `/healthz`: `ok` (200), or 503 with `draining` or `storage_unavailable` and its reason,
 * e.g. `{"status":"storage_unavailable","reason":"SQLITE_FULL: database or disk is full"}`.
 */
export function healthStatus(state: StorageState, draining: boolean): { status: 'ok' | 'draining' | 'storage_unavailable'; reason?: string | null; since?: number | null; retainedWrites?: number } {
  if (draining) return { status: 'draining' };
  if (state.available) return { status: 'ok' };
  return { status: 'storage_unavailable', reason: state.reason, since: state.since, retainedWrites: state.retained };
}
