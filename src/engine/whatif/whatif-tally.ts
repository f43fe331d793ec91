import type { WhatIfBuyerRow, WhatIfFigures, WhatIfSide, WhatIfTierRow, WhatIfUnknowns } from '../../shared/whatif-views.js';
import { toDollars, type Cents } from '../money.js';
import type { RecordedAuction } from '../store/index.js';
import type { RuntimeCampaign, RuntimeConfig } from '../workspace/runtime.js';
import type { ReplayOutcome } from './replay-auction.js';

interface Totals {
  auctions: number;
  sold: number;
  unconfirmed: number;
  revenueCents: Cents;
  payoutCents: Cents;
}

interface SideCents {
  sold: number;
  revenueCents: Cents;
  payoutCents: Cents;
}

const emptyTotals = (): Totals => ({ auctions: 0, sold: 0, unconfirmed: 0, revenueCents: 0, payoutCents: 0 });
const emptySide = (): SideCents => ({ sold: 0, revenueCents: 0, payoutCents: 0 });

/** Sums recorded and replayed auctions in integer cents; dollars only in the figures it hands out. */
export class WhatIfTally {
  private readonly recorded = emptyTotals();
  private readonly before = emptyTotals();
  private readonly after = emptyTotals();
  private readonly buyers = new Map<string, { before: SideCents; after: SideCents; unpinged: number }>();
  private readonly tiers = new Map<string, { before: SideCents; after: SideCents }>();
  readonly unknowns: WhatIfUnknowns = { unpinged: 0, assumedAccepted: 0, priceOrderAssumed: 0, beforeDiffersFromRecord: 0 };

  add(auction: RecordedAuction, before: ReplayOutcome, after: ReplayOutcome): void {
    this.recorded.auctions += 1;
    if (auction.status === 'sold') {
      this.recorded.sold += 1;
      this.recorded.revenueCents += auction.priceCents ?? 0;
      this.recorded.payoutCents += auction.payoutCents ?? 0;
    } else if (auction.status === 'unconfirmed') this.recorded.unconfirmed += 1;
    addOutcome(this.before, before);
    addOutcome(this.after, after);
    for (const [side, outcome] of [['before', before], ['after', after]] as const) {
      for (const sale of outcome.sales) {
        addSale(this.buyerRow(sale.buyerId)[side], sale.priceCents, sale.payoutCents);
        addSale(this.tierRow(sale.tierName)[side], sale.priceCents, sale.payoutCents);
      }
    }
    for (const buyerId of after.unpinged) this.buyerRow(buyerId).unpinged += 1;
    if (after.unpinged.length > 0) this.unknowns.unpinged += 1;
    if (after.assumedAccepted) this.unknowns.assumedAccepted += 1;
    if (after.priceOrderAssumed) this.unknowns.priceOrderAssumed += 1;
    if (before.status !== auction.status || (before.status === 'sold' && before.priceCents !== auction.priceCents)) this.unknowns.beforeDiffersFromRecord += 1;
  }

  figures(): { recorded: WhatIfFigures; before: WhatIfFigures; after: WhatIfFigures } {
    return { recorded: toFigures(this.recorded), before: toFigures(this.before), after: toFigures(this.after) };
  }

  buyerRows(config: RuntimeConfig): WhatIfBuyerRow[] {
    return [...this.buyers.entries()]
      .map(([buyerId, r]) => ({ buyerId, name: config.buyers.get(buyerId)?.spec.name ?? buyerId, before: toSide(r.before), after: toSide(r.after), unpinged: r.unpinged }))
      .sort((a, b) => a.buyerId.localeCompare(b.buyerId));
  }

  /** Every tier of either tree, in the changed tree's order, then any the change removed. */
  tierRows(before: RuntimeCampaign, after: RuntimeCampaign): WhatIfTierRow[] {
    const names = [...new Set([...after.tiers.map((t) => t.name), ...before.tiers.map((t) => t.name), ...this.tiers.keys()])];
    return names.map((name) => {
      const b = before.tiers.find((t) => t.name === name);
      const a = after.tiers.find((t) => t.name === name);
      const r = this.tiers.get(name) ?? { before: emptySide(), after: emptySide() };
      return {
        name,
        beforeIndex: b?.index ?? null,
        afterIndex: a?.index ?? null,
        beforeFloor: b ? toDollars(b.floorCents) : null,
        afterFloor: a ? toDollars(a.floorCents) : null,
        before: toSide(r.before),
        after: toSide(r.after),
      };
    });
  }

  private buyerRow(buyerId: string): { before: SideCents; after: SideCents; unpinged: number } {
    let row = this.buyers.get(buyerId);
    if (!row) this.buyers.set(buyerId, (row = { before: emptySide(), after: emptySide(), unpinged: 0 }));
    return row;
  }

  private tierRow(name: string): { before: SideCents; after: SideCents } {
    let row = this.tiers.get(name);
    if (!row) this.tiers.set(name, (row = { before: emptySide(), after: emptySide() }));
    return row;
  }
}

function addOutcome(t: Totals, o: ReplayOutcome): void {
  t.auctions += 1;
  if (o.status === 'sold') {
    t.sold += 1;
    t.revenueCents += o.priceCents;
    t.payoutCents += o.payoutCents;
  } else if (o.status === 'unconfirmed') t.unconfirmed += 1;
}

function addSale(side: SideCents, priceCents: Cents, payoutCents: Cents): void {
  side.sold += 1;
  side.revenueCents += priceCents;
  side.payoutCents += payoutCents;
}

function toFigures(t: Totals): WhatIfFigures {
  return {
    auctions: t.auctions,
    sold: t.sold,
    unconfirmed: t.unconfirmed,
    fillRate: t.auctions === 0 ? 0 : t.sold / t.auctions,
    revenue: toDollars(t.revenueCents),
    payout: toDollars(t.payoutCents),
    margin: toDollars(t.revenueCents - t.payoutCents),
  };
}

function toSide(s: SideCents): WhatIfSide {
  return { sold: s.sold, revenue: toDollars(s.revenueCents), payout: toDollars(s.payoutCents), margin: toDollars(s.revenueCents - s.payoutCents) };
}
