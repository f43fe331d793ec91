import { statusFor } from '../../shared/errors.js';
import type { Store } from '../store/index.js';
import { isStorageFault } from '../store/storage-fault.js';
import type { IntakeAnswer } from './lead-intake.js';

/** How long a source is asked to wait before retrying while the storage is unavailable. */
const RETRY_AFTER_SECONDS = '5';

function unavailableAnswer(message: string): IntakeAnswer {
  return { status: statusFor('storage_unavailable'), body: { error: 'storage_unavailable', message }, headers: { 'retry-after': RETRY_AFTER_SECONDS } };
}

/** While the storage is unavailable nothing new is admitted: a 503 at once, before any work. */
export function refuseWhileStorageUnavailable(store: Store): IntakeAnswer | null {
  const state = store.storageState();
  if (state.available) return null;
  return unavailableAnswer(`Storage is unavailable (${state.reason ?? 'unknown'}); nothing was stored: retry shortly`);
}

/**
 * Flushes the store; null once everything is committed, or the 503 answer (`message` and the storage
 * error) when the storage failed. Any other failure is not the storage's and propagates as before.
 */
export async function flushOrRefuse(store: Store, message: string): Promise<IntakeAnswer | null> {
  try {
    await store.flush();
    return null;
  } catch (err) {
    if (!isStorageFault(err)) throw err;
    const reason = store.storageState().reason ?? (err as Error).message;
    return unavailableAnswer(`${message} (${reason}): retry shortly`);
  }
}

export const NOT_ADMITTED = 'Storage is unavailable; the lead was not stored and no buyer saw it';
export const OUTCOME_NOT_STORED = 'Storage is unavailable; the outcome of this lead could not be stored yet';
