import type { DeliveryTemplate } from '../../shared/domain.js';
import type { Cents } from '../money.js';
import { truncateToCents } from '../money.js';
import type { RuntimeBuyer } from '../workspace/runtime.js';
import type { ResponseFormat } from './read-path.js';
import { parseBody, readPath, readText, responseFormat } from './read-path.js';

export type BidParse =
  | { outcome: 'BID'; bidCents: Cents; token: string | null }
  | { outcome: 'NO_BID' | 'BAD_RESPONSE' | 'HTTP_ERROR'; reason: string };

/**
 * ACCEPTED and POST_REJECTED are explicit answers; POST_ERROR is an unknown outcome (a 5xx, an
 * unreadable answer): the buyer may have kept the lead, so nobody else gets it by default.
 */
export type PostParse =
  | { outcome: 'ACCEPTED'; buyerRef: string | null }
  | { outcome: 'POST_REJECTED'; reason: string }
  | { outcome: 'POST_ERROR'; reason: string };

/** A bid above $100,000 is a buyer's bug (cents sent as dollars, a misplaced field), not a price. */
export const MAX_BID_CENTS: Cents = 10_000_000;

const DEFAULT_ACCEPTED = ['true', 'accepted', 'success', 'ok', '1'];
const NUMERIC = /^\$?\s*-?\d+(\.\d+)?$/;

type Rules = NonNullable<DeliveryTemplate['response']>;

/**
 * Reads a buyer's answer to a ping. Never throws: whatever the buyer sent becomes a coded outcome.
 * Native answers (DESIGN.md §4) are JSON objects; a template's response rules say where to look.
 */
export function parseBidResponse(buyer: RuntimeBuyer, status: number, contentType: string | undefined, bodyText: string): BidParse {
  if (status === 204) return { outcome: 'NO_BID', reason: 'no content' };
  if (status < 200 || status > 299) return { outcome: 'HTTP_ERROR', reason: `HTTP ${status}` };
  if (!bodyText.trim()) return { outcome: 'NO_BID', reason: 'empty response' };
  const template = buyer.spec.ping?.template;
  const rules: Rules = template?.response ?? {};
  const format: ResponseFormat = template ? responseFormat(rules.format, contentType, bodyText) : 'json';
  const parsed = parseBody(format, bodyText);
  if (!parsed.ok) return { outcome: 'BAD_RESPONSE', reason: parsed.reason };
  const root = parsed.value;
  if (!template && !isObject(root)) return { outcome: 'BAD_RESPONSE', reason: 'not a JSON object' };
  const buyerReason = format === 'text' ? null : readText(readPath(root, rules.reasonPath ?? 'reason'), 200);
  if (!template && (root as Record<string, unknown>).decline === true) return { outcome: 'NO_BID', reason: withReason('declined', buyerReason) };

  const amount = readAmount(format === 'text' ? root : readPath(root, rules.bidPath ?? 'bid'));
  if (amount === undefined) return { outcome: 'NO_BID', reason: withReason('no bid', buyerReason) };
  if (amount === null) return { outcome: 'BAD_RESPONSE', reason: 'bid is not a number' };
  // Sub-cent bids are cut to the cent, never rounded up (docs/API.md).
  const bidCents = truncateToCents(amount);
  if (bidCents <= 0) return { outcome: 'NO_BID', reason: withReason('no bid', buyerReason) };
  if (bidCents > MAX_BID_CENTS) return { outcome: 'BAD_RESPONSE', reason: `bid of ${amount} is beyond the $100,000 limit` };
  const token = format === 'text' ? null : readText(readPath(root, rules.tokenPath ?? 'token'));
  return { outcome: 'BID', bidCents, token };
}

/**
 * Reads a buyer's answer to a post (DESIGN.md §3): a 2xx with a verdict that is not "accepted", or a
 * 4xx, is an explicit rejection; any other status or an unreadable answer is an unknown outcome.
 */
export function parsePostResponse(buyer: RuntimeBuyer, status: number, contentType: string | undefined, bodyText: string): PostParse {
  if (status >= 400 && status <= 499) return { outcome: 'POST_REJECTED', reason: `HTTP ${status}` };
  if (status < 200 || status > 299) return { outcome: 'POST_ERROR', reason: `HTTP ${status}` };
  const template = buyer.spec.post.template;
  const rules: Rules = template?.response ?? {};
  const format: ResponseFormat = template ? responseFormat(rules.format, contentType, bodyText) : 'json';
  const parsed = parseBody(format, bodyText);
  if (!parsed.ok) return { outcome: 'POST_ERROR', reason: 'unreadable answer' };
  const root = parsed.value;
  const verdict = format === 'text' && !rules.acceptedPath ? root : readPath(root, rules.acceptedPath ?? 'accepted');
  if (verdict === undefined || verdict === null || verdict === '') return { outcome: 'POST_ERROR', reason: 'answer without a verdict' };
  const accepted = rules.acceptedValue !== undefined ? sameValue(verdict, rules.acceptedValue) : DEFAULT_ACCEPTED.includes(normalise(verdict));
  if (accepted) {
    const buyerRef = format === 'text' ? null : readText(readPath(root, rules.buyerRefPath ?? 'buyer_ref'), 200);
    return { outcome: 'ACCEPTED', buyerRef };
  }
  const reason = format === 'text' ? null : readText(readPath(root, rules.reasonPath ?? 'reason'), 200);
  return { outcome: 'POST_REJECTED', reason: reason ?? `not accepted (${readText(verdict, 60) ?? 'unreadable'})` };
}

/** A bid amount in dollars; `undefined` when absent, `null` when present but not a number. */
function readAmount(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text) return undefined;
    return NUMERIC.test(text) ? Number(text.replace(/^\$\s*/, '')) : null;
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function normalise(value: unknown): string {
  return typeof value === 'object' ? '' : String(value).trim().toLowerCase();
}

function sameValue(actual: unknown, expected: string | number | boolean): boolean {
  return normalise(actual) === normalise(expected);
}

function withReason(base: string, buyerReason: string | null): string {
  return buyerReason ? `${base}: ${buyerReason}` : base;
}
