import type { AuctionStatus, OutcomeCode } from '../../shared/domain.js';

/**
 * Outcome code → badge classes, the one place where a code gets its colour: green for what sold or
 * was accepted, amber for timing trouble, red for errors and rejections, grey for no-bid and filtered.
 * Returns the full class list, e.g. `<span className={outcomeBadge(code)}>`.
 */
export function outcomeBadge(code: string): string {
  return `badge ${outcomeTone(code)}`;
}

const tones: Record<OutcomeCode, 'badge-ok' | 'badge-warn' | 'badge-bad' | 'badge-muted'> = {
  BID: 'badge-ok',
  FIXED_PRICE: 'badge-ok',
  ACCEPTED: 'badge-ok',
  TIMEOUT: 'badge-warn',
  LATE: 'badge-warn',
  POST_TIMEOUT: 'badge-warn',
  BAD_RESPONSE: 'badge-bad',
  HTTP_ERROR: 'badge-bad',
  UNREACHABLE: 'badge-bad',
  POST_REJECTED: 'badge-bad',
  POST_ERROR: 'badge-bad',
  CIRCUIT_OPEN: 'badge-bad',
  NO_BID: 'badge-muted',
  BELOW_FLOOR: 'badge-muted',
  FILTERED_STATE: 'badge-muted',
  FILTERED_ZIP: 'badge-muted',
  FILTERED_FIELD: 'badge-muted',
  FILTERED_CAMPAIGN: 'badge-muted',
  OUT_OF_SCHEDULE: 'badge-muted',
  CAP_REACHED: 'badge-muted',
  BUDGET_REACHED: 'badge-muted',
  CONSENT_NOT_NAMED: 'badge-muted',
  INACTIVE: 'badge-muted',
  PAUSED: 'badge-muted',
  NOT_REACHED: 'badge-muted',
  LATE_ACCEPTED: 'badge-bad',
  AUCTION_TIMEOUT: 'badge-warn',
  MAX_POST_ATTEMPTS: 'badge-muted',
  SETTLED_SOLD: 'badge-ok',
  BELOW_PROMISE: 'badge-muted',
};

const statusTones: Record<AuctionStatus, string> = {
  sold: 'badge-ok',
  open: 'badge-muted',
  unsold: 'badge-muted',
  interrupted: 'badge-bad',
  // A buyer may hold the lead: it waits for the operator to settle it.
  unconfirmed: 'badge-warn',
};

/** The tone class alone (`badge-ok|badge-warn|badge-bad|badge-muted`) for an outcome code or auction status. */
export function outcomeTone(code: string): string {
  return (tones as Record<string, string>)[code] ?? statusTones[code as AuctionStatus] ?? 'badge-muted';
}

/** "POST_REJECTED" → "Post rejected": how a code reads in prose and tooltips. */
export function outcomeLabel(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
