import { describe, expect, it } from 'vitest';
import type { ChangeImpact, ChangeList } from '../../src/shared/change-views.js';
import type { Workspace } from '../../src/shared/domain.js';
import { auditRows, autoCampaign, buyerFor, leadBody, useTestRig } from './fixtures/engine-harness.js';

const rig = useTestRig();

/** A clock the test moves: auctions and config events land at the instants the test chooses. */
function testClock(start: number) {
  let t = start;
  return { now: () => t, set: (v: number) => void (t = v) };
}

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const MIN = 60_000;

async function twoCampaignRig(now: () => number) {
  const acme = await rig.buyer({ bid: 30 });
  const cheap = await rig.buyer({ bid: 8 });
  const ws: Workspace = {
    version: 1,
    campaigns: [
      autoCampaign([{ name: 'Premium', floor: 20, buyers: ['acme'] }, { name: 'Fallback', floor: 5, buyers: ['cheap'] }]),
      autoCampaign([{ name: 'Only', floor: 5, buyers: ['cheap'] }], { id: 'home', name: 'Home' }),
    ],
    sources: [{ id: 'pub-1', name: 'Quotes Site', apiKey: 'src_test_key_1', campaigns: ['auto-insurance', 'home'] }],
    buyers: [buyerFor(acme, 'acme', { name: 'Acme Insurance' }), buyerFor(cheap, 'cheap', { name: 'Cheap Leads' })],
  };
  return rig.engine({ workspace: ws, now });
}

describe('changes.list: the ping tree changes behind the markers on Live and Reports', () => {
  it('says who changed which floor, tier or buyer, in plain words, oldest first', async () => {
    const clock = testClock(T0);
    const h = await twoCampaignRig(clock.now);
    clock.set(T0 + MIN);
    await h.call('tiers.setFloor', { campaignId: 'auto-insurance', tierIndex: 0, floor: 25 }, 'console:browser');
    clock.set(T0 + 2 * MIN);
    await h.call('tiers.set', {
      campaignId: 'auto-insurance',
      tiers: [{ name: 'Premium', floor: 25, buyers: ['acme', 'cheap'] }, { name: 'Fallback', floor: 5, buyers: [] }],
    });
    clock.set(T0 + 3 * MIN);
    await h.call('buyers.setPaused', { id: 'acme', paused: true });
    clock.set(T0 + 4 * MIN);
    await h.call('sources.createKey', { sourceId: 'pub-1' });
    await h.call('tiers.setFloor', { campaignId: 'home', tierIndex: 0, floor: 7 });

    const all = await h.call<ChangeList>('changes.list', { from: T0 + 1, to: T0 + 10 * MIN });
    expect(all.truncated).toBe(false);
    expect(all.changes.map((c) => [c.at - T0, c.actor, c.campaignId, c.subject, c.summary])).toEqual([
      [MIN, 'console:browser', 'auto-insurance', 'floor', 'Premium floor $20.00 → $25.00'],
      [2 * MIN, 'test', 'auto-insurance', 'tiers', 'Cheap Leads moved Fallback → Premium'],
      [3 * MIN, 'test', null, 'buyer', 'Acme Insurance paused'],
      // An API key changes nobody's price: no marker.
      [4 * MIN, 'test', 'home', 'floor', 'Only floor $5.00 → $7.00'],
    ]);

    // One campaign: its own changes and the switches of buyers in its tree, not another campaign's floor.
    const home = await h.call<ChangeList>('changes.list', { from: T0 + 1, to: T0 + 10 * MIN, campaignId: 'home' });
    expect(home.changes.map((c) => c.summary)).toEqual(['Only floor $5.00 → $7.00']);
    const auto = await h.call<ChangeList>('changes.list', { from: T0 + 1, to: T0 + 10 * MIN, campaignId: 'auto-insurance' });
    expect(auto.changes.map((c) => c.summary)).toEqual(['Premium floor $20.00 → $25.00', 'Cheap Leads moved Fallback → Premium', 'Acme Insurance paused']);

    // The range is from inclusive, to exclusive, like every report range.
    const window = await h.call<ChangeList>('changes.list', { from: T0 + 2 * MIN, to: T0 + 3 * MIN });
    expect(window.changes.map((c) => c.at - T0)).toEqual([2 * MIN]);
    // Each marker is the audited event: its seq finds it in the trail.
    const seqs = auditRows(h.db(), 'config').map((r) => r.seq);
    expect(all.changes.every((c) => seqs.includes(c.seq))).toBe(true);
  });

  it('is bounded: a long history answers with the first page and says it was cut', async () => {
    const clock = testClock(T0);
    const h = await twoCampaignRig(clock.now);
    for (let i = 1; i <= 12; i += 1) {
      clock.set(T0 + i * 1000);
      await h.call('tiers.setFloor', { campaignId: 'auto-insurance', tierIndex: 1, floor: 5 + i });
    }
    const page = await h.call<ChangeList>('changes.list', { from: T0 + 1, to: T0 + MIN, limit: 10 });
    expect(page.truncated).toBe(true);
    expect(page.changes).toHaveLength(10);
    expect(page.changes[9].summary).toBe('Fallback floor $14.00 → $15.00');
  });

  it('puts the same length of time before and since a floor change, in that campaign only', async () => {
    const clock = testClock(T0);
    const h = await twoCampaignRig(clock.now);
    // Consent captured a minute before the engine's (test) clock, whatever the real date is.
    const leadNow = (o: { campaign?: string } = {}) => leadBody({ ...o, consent: { captured_at: new Date(clock.now() - 60_000).toISOString() } });
    // Before: Premium's $20 floor lets Acme's $30 bid win: 3 leads, 3 sold at $30.
    for (let i = 0; i < 3; i += 1) {
      clock.set(T0 + i * 1000);
      expect((await h.sendLead(leadNow())).body.status).toBe('sold');
    }
    // Another campaign's sale does not count in this campaign's readout.
    clock.set(T0 + 5000);
    expect((await h.sendLead(leadNow({ campaign: 'home' }))).body.status).toBe('sold');
    clock.set(T0 + 10 * MIN);
    await h.call('tiers.setFloor', { campaignId: 'auto-insurance', tierIndex: 0, floor: 35 });
    // Since: $35 is above Acme's $30 bid, so Premium sells nothing and Fallback sells all four at Cheap Leads' $8.
    for (let i = 1; i <= 4; i += 1) {
      clock.set(T0 + 10 * MIN + i * 1000);
      expect((await h.sendLead(leadNow())).body.status).toBe('sold');
    }
    clock.set(T0 + 12 * MIN);
    const [impact] = await h.call<ChangeImpact[]>('changes.impact', { from: T0, to: T0 + 60 * MIN, campaignId: 'auto-insurance', windowMs: 60 * MIN });
    expect(impact.change.summary).toBe('Premium floor $20.00 → $35.00');
    expect(impact.campaignId).toBe('auto-insurance');
    // Two minutes since the change (now), so two minutes before it: the first three leads are 10 minutes earlier.
    expect(impact.since).toEqual({ from: T0 + 10 * MIN, to: T0 + 12 * MIN, auctions: 4, sold: 4, fillRate: 1, revenue: 32, avgPrice: 8 });
    expect(impact.before).toEqual({ from: T0 + 8 * MIN, to: T0 + 10 * MIN, auctions: 0, sold: 0, fillRate: null, revenue: 0, avgPrice: null });

    // A five-minute window reaching back before the first leads: 15 minutes since, so 15 before.
    clock.set(T0 + 25 * MIN);
    const [wide] = await h.call<ChangeImpact[]>('changes.impact', { from: T0, to: T0 + 60 * MIN, campaignId: 'auto-insurance', windowMs: 15 * MIN });
    expect(wide.before).toMatchObject({ from: T0 - 5 * MIN, to: T0 + 10 * MIN, auctions: 3, sold: 3, fillRate: 1, revenue: 90, avgPrice: 30 });
    expect(wide.since).toMatchObject({ from: T0 + 10 * MIN, to: T0 + 25 * MIN, auctions: 4, revenue: 32 });
    expect(wide.cutByNextChange).toBe(false);

    // The next change in the campaign ends the first one's "since".
    clock.set(T0 + 30 * MIN);
    await h.call('tiers.setFloor', { campaignId: 'auto-insurance', tierIndex: 0, floor: 20 });
    clock.set(T0 + 40 * MIN);
    const both = await h.call<ChangeImpact[]>('changes.impact', { from: T0, to: T0 + 60 * MIN, campaignId: 'auto-insurance', windowMs: 60 * MIN, latest: 2 });
    expect(both.map((x) => x.change.summary)).toEqual(['Premium floor $20.00 → $35.00', 'Premium floor $35.00 → $20.00']);
    expect(both[0].since).toMatchObject({ to: T0 + 30 * MIN, auctions: 4 });
    expect(both[0].cutByNextChange).toBe(true);
    expect(both[1].since).toMatchObject({ from: T0 + 30 * MIN, to: T0 + 40 * MIN, auctions: 0 });
  });
});
