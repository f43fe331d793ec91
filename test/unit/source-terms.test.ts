import { describe, expect, it } from 'vitest';
import { effectiveFloor } from '../../src/engine/auction/floor.js';
import { computePayout } from '../../src/engine/auction/payout.js';
import { payoutRuleFor } from '../../src/engine/auction/source-terms.js';
import { rankBids, type Bid } from '../../src/engine/auction/winner.js';
import { compileWorkspace } from '../../src/engine/workspace/compile.js';
import { validateWorkspace } from '../../src/engine/workspace/validate-workspace.js';
import type { RuntimeCampaign, RuntimePriceRule, RuntimeTier } from '../../src/engine/workspace/runtime.js';

const pct = (percent: number): RuntimePriceRule => ({ type: 'percent', value: Math.round(percent * 100) });
const usd = (cents: number): RuntimePriceRule => ({ type: 'fixed', value: cents });
const campaign = (payout: RuntimePriceRule, margin: RuntimePriceRule): RuntimeCampaign => ({ payout, margin, minPriceCents: 0 }) as RuntimeCampaign;
const tier = (floorCents: number): RuntimeTier => ({ index: 0, name: 'Tier 1', floorCents, buyerIds: [] });

describe('a source with its own payout terms', () => {
  it('a fixed $15 source payout with a $2 margin raises the floor to $17 where the campaign\'s 70% needed nothing', () => {
    const c = campaign(pct(70), usd(200));
    expect(effectiveFloor(c, tier(500)).floorCents).toBe(667);
    const floor = effectiveFloor(c, tier(500), usd(1500));
    expect(floor.floorCents).toBe(1700);
    expect(floor.reason).toBe('payout_margin');
  });

  it('a 50% revenue share source is paid half of a $30 sale where the campaign pays 70%', () => {
    const c = campaign(pct(70), usd(0));
    expect(computePayout({ payout: payoutRuleFor(c, { sources: new Map([['pub-2', { payout: pct(50) } as never]]) }, 'pub-2') }, 3000)).toEqual({ payoutCents: 1500, marginCents: 1500 });
    expect(computePayout({ payout: payoutRuleFor(c, { sources: new Map() }, 'pub-1') }, 3000)).toEqual({ payoutCents: 2100, marginCents: 900 });
  });

  it('a source without terms is paid under the campaign\'s rule', () => {
    const c = campaign(usd(800), usd(100));
    expect(payoutRuleFor(c, { sources: new Map([['pub-1', {} as never]]) }, 'pub-1')).toEqual(usd(800));
    expect(effectiveFloor(c, tier(0), payoutRuleFor(c, { sources: new Map() }, 'pub-1')).floorCents).toBe(900);
  });

  it('the workspace file carries source payout and buyer bid adjustment into the runtime in cents and percent', () => {
    const ws = validateWorkspace({
      version: 1,
      campaigns: [],
      sources: [{ id: 'pub-1', name: 'P', campaigns: [], payout: { type: 'fixed', value: 12.5 } }],
      buyers: [{ id: 'acme', name: 'Acme', post: { url: 'http://127.0.0.1:9/post' }, fixedPrice: 20, bidAdjustmentPercent: -20 }],
    });
    const rt = compileWorkspace(ws, 1);
    expect(rt.sources.get('pub-1')?.payout).toEqual(usd(1250));
    expect(rt.buyers.get('acme')?.bidAdjustmentPercent).toBe(-20);
  });
});

describe('bid adjustment ranks, the own bid is charged', () => {
  const bid = (buyerId: string, priceCents: number, adjustmentPercent = 0): Bid => ({ buyerId, priceCents, priority: 0, latencyMs: 100, adjustmentPercent });

  it('a −20% penalty ranks a $30 bid as $24, behind a clean $25 bid, and keeps its $30 price', () => {
    const { ranked } = rankBids([bid('returns-heavy', 3000, -20), bid('clean', 2500)], 0);
    expect(ranked.map((b) => b.buyerId)).toEqual(['clean', 'returns-heavy']);
    expect(ranked[1]?.priceCents).toBe(3000);
  });

  it('the same penalty still wins over a $23 bid', () => {
    const { ranked } = rankBids([bid('returns-heavy', 3000, -20), bid('clean', 2300)], 0);
    expect(ranked[0]).toMatchObject({ buyerId: 'returns-heavy', priceCents: 3000 });
  });

  it('the floor is checked on the bid itself, not on its adjusted value', () => {
    const { ranked, belowFloor } = rankBids([bid('penalised', 2000, -50), bid('boosted', 1500, 50)], 1800);
    expect(ranked.map((b) => b.buyerId)).toEqual(['penalised']);
    expect(belowFloor.map((b) => b.buyerId)).toEqual(['boosted']);
  });
});
