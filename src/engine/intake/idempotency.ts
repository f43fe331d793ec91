import { createHash } from 'node:crypto';
import { statusFor } from '../../shared/errors.js';
import type { Store } from '../store/index.js';
import type { IdempotentRoute, StoredAnswer } from '../store/index.js';
import { canonicalJson } from '../store/index.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** How long a key keeps its answer; pruned with the duplicate fingerprints. */
export const IDEMPOTENCY_TTL_MS = 30 * 86_400_000;

/** Holds one (source, key) for the request being served; give it back with `release`. */
export interface IdempotencyTicket {
  sourceId: string;
  key: string;
  route: IdempotentRoute;
  bodyHash: string;
  admitted: boolean;
}

interface Running {
  bodyHash: string;
  done: Promise<void>;
  finish: () => void;
}

/** "The same request": the route and the body as canonical JSON (key order and spacing do not matter). */
export function hashRequest(route: IdempotentRoute, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(canonicalJson(body)).digest('hex');
}

function refusal(error: string, message: string, status: number, details?: Array<{ field: string; message: string }>): StoredAnswer {
  return { status, body: details ? { error, message, details } : { error, message } };
}

/**
 * `Idempotency-Key` for intake routes: per source, the same key with the same body gets the first
 * answer again (status and body, from the store, so also after a restart); with another body,
 * `409 idempotency_conflict`. A retry that arrives while the first request with its key is still
 * being served in this process waits for it and then replays its answer.
 *
 * Only requests that admitted a lead are remembered: a refusal (validation, duplicate, rate limit…)
 * stores nothing, so a retry is judged again. The key row is queued in the lead's own batch
 * (`admitted`), its answer before the source is answered (`answered`).
 */
export class IdempotencyGate {
  private readonly running = new Map<string, Running>();

  constructor(private readonly store: Store, private readonly now: () => number, private readonly ttlMs = IDEMPOTENCY_TTL_MS) {}

  /** The answer to give at once (replay, conflict, bad key), or a ticket holding the key for this request. */
  async claim(sourceId: string, route: IdempotentRoute, key: string, body: unknown): Promise<StoredAnswer | IdempotencyTicket> {
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      return refusal('validation_failed', `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, statusFor('validation_failed'), [
        { field: 'Idempotency-Key', message: `${key.length} characters; at most ${MAX_IDEMPOTENCY_KEY_LENGTH}` },
      ]);
    }
    const bodyHash = hashRequest(route, body);
    const id = `${sourceId}\u0000${key}`;
    for (;;) {
      const running = this.running.get(id);
      if (running) {
        if (running.bodyHash !== bodyHash) return conflict(key);
        await running.done;
        continue;
      }
      const stored = this.store.findIdempotencyKey(sourceId, key, this.now() - this.ttlMs);
      if (stored) {
        if (stored.bodyHash !== bodyHash) return conflict(key);
        if (stored.answer) return stored.answer;
        // Unanswered and not running here: start-up recovery answers or drops these, so this is a request
        // that failed inside the engine; say so rather than guess.
        return refusal('idempotency_in_progress', `The request with Idempotency-Key "${key}" has no answer yet; retry shortly`, 409);
      }
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (finish = resolve));
      this.running.set(id, { bodyHash, done, finish });
      return { sourceId, key, route, bodyHash, admitted: false };
    }
  }

  /** Queues the key row; call right after the lead is queued so both land in one batch. */
  admitted(ticket: IdempotencyTicket, leadId: string): void {
    ticket.admitted = true;
    this.store.insertIdempotencyKey({ sourceId: ticket.sourceId, key: ticket.key, route: ticket.route, bodyHash: ticket.bodyHash, leadId, createdAt: this.now() });
  }

  /** Queues the answer; the caller flushes before the source hears it. */
  answered(ticket: IdempotencyTicket, answer: StoredAnswer): void {
    if (ticket.admitted) this.store.answerIdempotencyKey(ticket.sourceId, ticket.key, answer, this.now());
  }

  /** The request failed after admission (the source gets a 500): forget the key so a retry is judged again. */
  abandon(ticket: IdempotencyTicket): void {
    if (!ticket.admitted) return;
    ticket.admitted = false;
    try {
      this.store.removeIdempotencyKey(ticket.sourceId, ticket.key);
    } catch {
      // The store refuses writes (closed or failing); the row stays unanswered and recovery settles it.
    }
  }

  /** Lets retries waiting on this key go on. Always call once the request is over. */
  release(ticket: IdempotencyTicket): void {
    const id = `${ticket.sourceId}\u0000${ticket.key}`;
    const running = this.running.get(id);
    if (!running || running.bodyHash !== ticket.bodyHash) return;
    this.running.delete(id);
    running.finish();
  }
}

function conflict(key: string): StoredAnswer {
  return refusal('idempotency_conflict', `Idempotency-Key "${key.slice(0, 40)}" was already used with another request body`, statusFor('idempotency_conflict'));
}

export function isTicket(claim: StoredAnswer | IdempotencyTicket): claim is IdempotencyTicket {
  return 'bodyHash' in claim;
}
