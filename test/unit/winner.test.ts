import { describe, expect, it } from 'vitest';
import { rankBids, type Bid } from '../../src/engine/auction/winner.js';

const bid = (buyerId: string, priceCents: number, priority = 0, latencyMs = 100, token?: string): Bid => ({ buyerId, priceCents, priority, latencyMs, token });
const ids = (bids: Bid[]) => bids.map((b) => b.buyerId);

describe('rankBids', () => {
  it('the highest bid wins and the rest follow as fallbacks, best first', () => {
    const { ranked } = rankBids([bid('a', 2100), bid('b', 2350), bid('c', 2200)], 500);
    expect(ids(ranked)).toEqual(['b', 'c', 'a']);
  });

  it('on equal prices the buyer with the better priority wins', () => {
    expect(ids(rankBids([bid('a', 2000, 1, 10), bid('b', 2000, 5, 200)], 0).ranked)).toEqual(['b', 'a']);
  });

  it('on equal price and priority the earlier response wins', () => {
    expect(ids(rankBids([bid('a', 2000, 1, 180), bid('b', 2000, 1, 40)], 0).ranked)).toEqual(['b', 'a']);
  });

  it('a full tie is broken by buyer id, whatever order the bids arrived in', () => {
    const bids = [bid('cheap', 2000), bid('acme', 2000), bid('bolt', 2000)];
    expect(ids(rankBids(bids, 0).ranked)).toEqual(['acme', 'bolt', 'cheap']);
    expect(ids(rankBids([...bids].reverse(), 0).ranked)).toEqual(['acme', 'bolt', 'cheap']);
  });

  it('a bid exactly at the floor is valid and one cent under is below the floor', () => {
    const { ranked, belowFloor } = rankBids([bid('at', 2000), bid('under', 1999)], 2000);
    expect(ids(ranked)).toEqual(['at']);
    expect(ids(belowFloor)).toEqual(['under']);
  });

  it('a bid with no usable price never ranks', () => {
    const { ranked, belowFloor } = rankBids([bid('nan', Number.NaN), bid('ok', 600)], 500);
    expect(ids(ranked)).toEqual(['ok']);
    expect(ids(belowFloor)).toEqual(['nan']);
  });

  it('an impossible floor leaves no bid standing', () => {
    expect(rankBids([bid('a', 1_000_000_00)], Number.MAX_SAFE_INTEGER).ranked).toEqual([]);
  });

  it("a buyer's price-lock token stays with its bid", () => {
    expect(rankBids([bid('a', 2000, 0, 100, 'lock-123')], 0).ranked[0].token).toBe('lock-123');
  });

  it('does not reorder the caller\'s array', () => {
    const bids = [bid('a', 100), bid('b', 200)];
    rankBids(bids, 0);
    expect(ids(bids)).toEqual(['a', 'b']);
  });
});
