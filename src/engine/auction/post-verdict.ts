import type { OutcomeCode } from '../../shared/domain.js';

/**
 * What a post's outcome means for the lead's record (DESIGN.md §3):
 * - `accepted`: the buyer holds the lead; sold.
 * - `rejected`: an explicit refusal (2xx with `accepted: false`, or a 4xx); the next bid may have it.
 * - `unknown`: a timeout, a 5xx, a dropped connection or an unreadable answer. The buyer may have
 *   kept the lead, so by default nobody else gets the record and the lead ends `unconfirmed`.
 */
export type PostVerdict = 'accepted' | 'rejected' | 'unknown';

export function postVerdict(outcome: OutcomeCode): PostVerdict {
  if (outcome === 'ACCEPTED') return 'accepted';
  if (outcome === 'POST_REJECTED') return 'rejected';
  return 'unknown';
}
