import { describe, expect, it } from 'vitest';
import { impactWindows, windowFigures } from '../../src/engine/changes/change-impact.js';
import { describeConfigEvent, diffTiers } from '../../src/engine/changes/describe-change.js';
import type { AuditEvent } from '../../src/engine/store/records.js';

const MIN = 60_000;
const names: Record<string, string> = { acme: 'Acme Insurance', bolt: 'Bolt Auto', cheap: 'Cheap Leads' };
const nameOf = (id: string) => names[id] ?? id;
const event = (data: Record<string, unknown>, actor = 'console'): AuditEvent => ({ seq: 7, leadId: null, at: 1000, type: 'config', actor, data, prevHash: '', hash: '' });

describe('the windows a change is judged on', () => {
  it('compares equal lengths: since runs to now, before is as long and ends at the change', () => {
    expect(impactWindows(10 * MIN, 60 * MIN, 12 * MIN, null)).toEqual({ before: { from: 8 * MIN, to: 10 * MIN }, since: { from: 10 * MIN, to: 12 * MIN }, cutByNextChange: false });
  });

  it('stops since at the end of the chosen window', () => {
    expect(impactWindows(10 * MIN, 5 * MIN, 60 * MIN, null)).toMatchObject({ before: { from: 5 * MIN, to: 10 * MIN }, since: { from: 10 * MIN, to: 15 * MIN } });
  });

  it('stops since at the next change, and says so', () => {
    expect(impactWindows(10 * MIN, 60 * MIN, 60 * MIN, 13 * MIN)).toEqual({ before: { from: 7 * MIN, to: 10 * MIN }, since: { from: 10 * MIN, to: 13 * MIN }, cutByNextChange: true });
    // A next change after the window's end does not cut it.
    expect(impactWindows(10 * MIN, 5 * MIN, 60 * MIN, 30 * MIN).cutByNextChange).toBe(false);
  });

  it('a change made this instant has nothing to compare yet', () => {
    expect(impactWindows(10 * MIN, 5 * MIN, 10 * MIN, null)).toMatchObject({ before: { from: 10 * MIN, to: 10 * MIN }, since: { from: 10 * MIN, to: 10 * MIN } });
  });

  it('turns cents into dollars and leaves rates empty rather than dividing by zero', () => {
    expect(windowFigures({ auctions: 8, sold: 3, revenueCents: 7501 }, 1, 2)).toEqual({ from: 1, to: 2, auctions: 8, sold: 3, fillRate: 3 / 8, revenue: 75.01, avgPrice: 25 });
    expect(windowFigures({ auctions: 0, sold: 0, revenueCents: 0 }, 1, 2)).toMatchObject({ fillRate: null, avgPrice: null, revenue: 0 });
  });
});

describe('a config event in the operator’s words', () => {
  it('names the tier and both prices of a floor change, with the reason of an automatic one', () => {
    const c = describeConfigEvent(event({ kind: 'tiers', id: 'auto', action: 'floor', tier: 'Premium', before: 20, after: 25, reason: 'p50 of winning bids rose' }, 'engine:dynamic-floor'), nameOf);
    expect(c).toMatchObject({ seq: 7, campaignId: 'auto', subject: 'floor', summary: 'Premium floor $20.00 → $25.00', reason: 'p50 of winning bids rose', actor: 'engine:dynamic-floor' });
  });

  it('tells every difference of a saved tree: tiers added, removed, reordered, floors and buyers', () => {
    const before = [
      { name: 'Premium', floor: 20, buyers: ['acme', 'bolt'] },
      { name: 'Fallback', floor: 5, buyers: ['cheap'] },
      { name: 'Old', floor: 1, buyers: [] },
    ];
    const after = [
      { name: 'Fallback', floor: 6, buyers: ['cheap', 'bolt'] },
      { name: 'Premium', floor: 20, buyers: [] },
      { name: 'Tier 3', floor: 5, buyers: ['acme'] },
    ];
    expect(diffTiers(before, after, nameOf)).toEqual([
      'Tier 3 added (floor $5.00)',
      'Old removed',
      'Tier order Fallback, Premium (was Premium, Fallback)',
      'Fallback floor $5.00 → $6.00',
      'Acme Insurance moved Premium → Tier 3',
      'Bolt Auto moved Premium → Fallback',
    ]);
    expect(diffTiers([{ name: 'A', floor: 1, buyers: ['acme'] }], [{ name: 'A', floor: 1, buyers: ['bolt'] }], nameOf)).toEqual(['Acme Insurance taken out of A', 'Bolt Auto added to A']);
  });

  it('calls a tree save that only moved floors a floor change', () => {
    const c = describeConfigEvent(event({ kind: 'tiers', id: 'auto', action: 'tiers', before: [{ name: 'A', floor: 1, buyers: [] }], after: [{ name: 'A', floor: 2, buyers: [] }] }), nameOf);
    expect(c).toMatchObject({ subject: 'floor', summary: 'A floor $1.00 → $2.00' });
  });

  it('names a buyer’s own switch and the campaign minimum; leaves out keys and sources', () => {
    expect(describeConfigEvent(event({ kind: 'buyer', id: 'acme', action: 'pause' }), nameOf)).toMatchObject({ subject: 'buyer', buyerId: 'acme', campaignId: null, summary: 'Acme Insurance paused' });
    expect(describeConfigEvent(event({ kind: 'campaign', id: 'auto', action: 'save', minPriceBefore: 5, minPriceAfter: 7.5 }), nameOf)?.details).toEqual(['Campaign auto saved', 'Campaign minimum $5.00 → $7.50']);
    expect(describeConfigEvent(event({ kind: 'buyer', id: 'acme', action: 'key_created' }), nameOf)).toBeNull();
    expect(describeConfigEvent(event({ kind: 'source', id: 'pub-1', action: 'save' }), nameOf)).toBeNull();
  });

  it('says what a dynamic floor followed, and when one is switched on or off', () => {
    const auto = event({ kind: 'tiers', id: 'auto', action: 'floor', tier: 'Premium', before: 20, after: 21, reason: 'dynamicFloor', basis: 'winningBids', percentile: 25, samples: 40, limitedBy: 'step' }, 'engine:dynamic-floor');
    expect(describeConfigEvent(auto, nameOf)).toMatchObject({ summary: 'Premium floor $20.00 → $21.00', reason: 'dynamic floor: p25 of winning bids, 40 samples, held to its step' });
    expect(describeConfigEvent(event({ kind: 'tiers', id: 'auto', action: 'dynamicFloor', tier: 'Premium', before: null, after: { enabled: true } }), nameOf)?.summary).toBe('Premium dynamic floor switched on');
    expect(describeConfigEvent(event({ kind: 'tiers', id: 'auto', action: 'dynamicFloor', tier: 'Premium', before: { enabled: true }, after: null }), nameOf)?.summary).toBe('Premium dynamic floor removed');
  });

  it('reads a floor set by a policy under its own action name, and an unknown buyer action that gives a reason', () => {
    expect(describeConfigEvent(event({ kind: 'tiers', id: 'auto', action: 'dynamic_floor', tierIndex: 1, before: 5, after: 6.5, reason: 'p60 of winning bids' }, 'engine'), nameOf)).toMatchObject({
      subject: 'floor',
      summary: 'Tier 2 floor $5.00 → $6.50',
      reason: 'p60 of winning bids',
    });
    expect(describeConfigEvent(event({ kind: 'buyer', id: 'acme', action: 'auto_demote', reason: 'conversion 6% < 8%' }, 'engine'), nameOf)).toMatchObject({ summary: 'Acme Insurance: auto demote', reason: 'conversion 6% < 8%' });
  });
});
