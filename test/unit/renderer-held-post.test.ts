import { describe, expect, it } from 'vitest';
import type { AuctionSummary, AuditEventView } from '../../src/shared/console-api.js';
import { heldPostOf, lateAcceptsOf } from '../../src/renderer/features/leads/held-post.js';

const event = (seq: number, type: AuditEventView['type'], data: Record<string, unknown>, at = 1000 * seq): AuditEventView => ({ seq, leadId: 'L1', at, type, actor: 'engine', data, hash: `h${seq}`, prevHash: `h${seq - 1}` });
const auction = (extra: Partial<AuctionSummary>): AuctionSummary => ({
  id: 'A1', leadId: 'L1', campaignId: 'c', sourceId: 's', state: 'TX', startedAt: 0, status: 'unconfirmed', tierReached: 0,
  winnerBuyerId: 'acme', price: 40, payout: null, margin: null, latencyMs: 500, test: false, reason: 'POST_TIMEOUT', ...extra,
});

describe('who may hold an unconfirmed lead', () => {
  it('names the buyer the auction names and when its post timed out', () => {
    const trail = [
      event(1, 'winner', { auctionId: 'A1', buyerId: 'acme', price: 40 }),
      event(2, 'post', { auctionId: 'A1', buyerId: 'acme', outcome: 'POST_TIMEOUT' }, 2500),
      event(3, 'unconfirmed', { auctionId: 'A1', buyerId: 'acme' }),
    ];
    expect(heldPostOf([auction({})], trail)).toEqual({ buyerId: 'acme', price: 40, outcome: 'POST_TIMEOUT', reason: null, at: 2500 });
  });

  it('falls back to the last winner event when a crash left no post and no unconfirmed auction', () => {
    const trail = [event(1, 'winner', { auctionId: 'A1', buyerId: 'bolt', price: 37.5 }, 1234)];
    expect(heldPostOf([auction({ status: 'interrupted', winnerBuyerId: null, price: null })], trail)).toEqual({ buyerId: 'bolt', price: 37.5, outcome: null, reason: null, at: 1234 });
    expect(heldPostOf([], [])).toBeNull();
  });

  it('lists late acceptances with the other buyer holding the lead', () => {
    expect(lateAcceptsOf([event(4, 'late_accept', { buyerId: 'acme', alsoSoldTo: 'bolt' })])).toEqual([{ buyerId: 'acme', alsoSoldTo: 'bolt', at: 4000 }]);
  });
});
