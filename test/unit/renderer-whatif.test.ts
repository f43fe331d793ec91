import { describe, expect, it } from 'vitest';
import type { BuyerView } from '../../src/shared/console-api.js';
import type { CampaignSpec } from '../../src/shared/domain.js';
import { describeChange, moveTierOrder, parseDollars } from '../../src/renderer/features/whatif/change-list.js';
import { priceRejectsCsv } from '../../src/renderer/features/reports/price-rejects-panel.js';
import { describeConfigEvent } from '../../src/renderer/features/audit/config-changes-panel.js';

const campaign = {
  id: 'auto', minPrice: 5,
  tiers: [{ name: 'Premium', floor: 20, buyers: ['acme'] }, { name: 'Fallback', floor: 5, buyers: ['cheap'] }, { name: 'Last', floor: 1, buyers: [] }],
} as unknown as CampaignSpec;
const buyers = new Map([['acme', { spec: { id: 'acme', name: 'Acme Insurance' }, paused: false } as unknown as BuyerView]]);

describe('the what-if panel', () => {
  it('describes each change in the tree’s own names', () => {
    expect(describeChange({ kind: 'tierFloor', campaignId: 'auto', tierIndex: 0, floor: 25 }, campaign, buyers)).toBe('Premium floor $20.00 → $25.00');
    expect(describeChange({ kind: 'campaignMinPrice', campaignId: 'auto', minPrice: 7.5 }, campaign, buyers)).toBe('Campaign minimum $5.00 → $7.50');
    expect(describeChange({ kind: 'buyerPaused', buyerId: 'acme', paused: true }, campaign, buyers)).toBe('Pause Acme Insurance');
    expect(describeChange({ kind: 'buyerMove', campaignId: 'auto', buyerId: 'acme', toTier: null }, campaign, buyers)).toBe('Take Acme Insurance out of the tree');
    expect(describeChange({ kind: 'buyerMove', campaignId: 'auto', buyerId: 'ghost', toTier: 1 }, campaign, buyers)).toBe('Move ghost to Fallback');
    expect(describeChange({ kind: 'tierOrder', campaignId: 'auto', order: [1, 0, 2] }, campaign, buyers)).toBe('Tier order: Fallback → Premium → Last');
  });

  it('takes amounts in dollars with at most two decimals, and nothing else', () => {
    expect(['12', '$12.5', ' 0.99 ', '1000000'].map(parseDollars)).toEqual([12, 12.5, 0.99, 1_000_000]);
    expect(['', 'lots', '-1', '1.999', '1e3', '1000000.01'].map(parseDollars)).toEqual([null, null, null, null, null, null]);
  });

  it('moves one tier to a new position and keeps the others in order', () => {
    expect(moveTierOrder(3, 2, 0)).toEqual([2, 0, 1]);
    expect(moveTierOrder(3, 0, 2)).toEqual([1, 2, 0]);
    expect(moveTierOrder(3, 1, 1)).toEqual([0, 1, 2]);
  });

  it('writes the price-reject table as CSV with a header, quoting names that need it', () => {
    const csv = priceRejectsCsv([{ buyerId: 'acme', buyerName: 'Acme, Inc.', tierIndex: 0, tierName: 'Premium', bids: 5, belowFloor: 3, avgGap: 6.33, maxGap: 10, turnedAway: 23, gained: 0 }]);
    expect(csv).toBe('buyerId,buyerName,tierIndex,tierName,bids,belowFloor,avgGap,maxGap,turnedAway,gained\nacme,"Acme, Inc.",0,Premium,5,3,6.33,10,23,0\n');
  });

  it('names an applied what-if in Consent & audit with the replay it was priced with', () => {
    const data = { kind: 'tiers', id: 'auto', action: 'tree_changes', changes: [{ kind: 'tierFloor' }], whatif: { auctions: 2, before: { revenue: 16 }, after: { revenue: 36 } } };
    expect(describeConfigEvent(data)).toBe('tiers auto: 1 ping tree change applied from a what-if (replayed on 2 auctions: revenue $16.00 → $36.00)');
  });
});
