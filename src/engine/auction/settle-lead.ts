import { bookSale as bookLedgerSale } from '../ledger/book-sale.js';
import { PingdeskError } from '../../shared/errors.js';
import { toCents, toDollars, type Cents } from '../money.js';
import type { Store } from '../store/index.js';
import type { AuditEvent } from '../store/records.js';
import type { CapsLedger } from '../tree/caps-ledger.js';
import type { RuntimeConfig } from '../workspace/runtime.js';
import { payoutRuleFor } from './source-terms.js';
import { computePayout } from './payout.js';

export type SettleOutcome = 'sold' | 'released';

export interface SettleDeps {
  store: Store;
  caps: CapsLedger;
  config: () => RuntimeConfig;
}

export interface SettleInput {
  leadId: string;
  outcome: SettleOutcome;
  /** Which buyer took it, when several posts of the auction had unknown outcomes; default the first. */
  buyerId?: string;
  actor: string;
}

export interface Settlement {
  leadId: string;
  auctionId: string;
  status: 'sold' | 'unsold';
  buyerId: string;
  priceCents: Cents;
  payoutCents: Cents | null;
}

/** The post an unconfirmed lead waits on: which auction, which buyer, at what price. */
interface HeldPost {
  auctionId: string;
  buyerId: string;
  priceCents: Cents;
  tier: number | null;
  attempt: number;
  /** When the post started (its winner event): the sale is reported in that period. */
  at: number;
}

/**
 * Settles a lead left `unconfirmed` (a buyer may hold it: its post's outcome was unknown, or a crash
 * came after the post started). `sold`: the buyer kept it; caps and budget are charged, the source's
 * payout computed and the sale booked as any other. `released`: nobody holds it; the lead ends unsold
 * and its duplicate fingerprints go, so the source may send the consumer again. Either way the
 * decision is audited (`settled`) under the operator's name and committed before this resolves.
 *
 * The post is read from the trail, not from the posts table: a crash can leave a committed `winner`
 * event (written before every post) and no posts row.
 */
export class LeadSettler {
  /** Leads being settled now: a second click must not book the sale twice. */
  private readonly settling = new Set<string>();

  constructor(private readonly deps: SettleDeps) {}

  async settle(input: SettleInput): Promise<Settlement> {
    const { store } = this.deps;
    const lead = store.getLead(input.leadId);
    if (!lead) throw new PingdeskError('not_found', `No lead "${input.leadId}"`);
    if (lead.status !== 'unconfirmed' || this.settling.has(lead.id)) {
      throw new PingdeskError('conflict', `Lead "${lead.id}" is ${this.settling.has(lead.id) ? 'being settled' : lead.status}: only an unconfirmed lead can be settled`);
    }
    const held = heldPost(store.auditForLead(lead.id), input.buyerId);
    if (!held) throw new PingdeskError('conflict', `Lead "${lead.id}" has no post to settle${input.buyerId ? ` for buyer "${input.buyerId}"` : ''}`);
    this.settling.add(lead.id);
    try {
      const settlement = input.outcome === 'sold' ? this.bookSale(lead.id, lead.campaignId, lead.test, held, input.actor) : this.release(lead, held, input.actor);
      await store.flush();
      return settlement;
    } finally {
      this.settling.delete(lead.id);
    }
  }

  private bookSale(leadId: string, campaignId: string, test: boolean, held: HeldPost, actor: string): Settlement {
    const { store, caps, config } = this.deps;
    const runtime = config();
    const campaign = runtime.campaigns.get(campaignId);
    if (!campaign) throw new PingdeskError('conflict', `Campaign "${campaignId}" no longer exists: the payout cannot be computed`);
    const sourceId = store.getLead(leadId)?.sourceId ?? null;
    const { payoutCents, marginCents } = computePayout({ payout: payoutRuleFor(campaign, runtime, sourceId) }, held.priceCents);
    const buyer = runtime.buyers.get(held.buyerId);
    if (buyer && !test) for (const usage of caps.chargeSettled(buyer, held.priceCents)) store.upsertCapUsage(usage);
    const money = { price: toDollars(held.priceCents), payout: toDollars(payoutCents), margin: toDollars(marginCents) };
    store.updateAuction(held.auctionId, { status: 'sold', winnerBuyerId: held.buyerId, priceCents: held.priceCents, payoutCents, marginCents, reason: 'SETTLED' });
    // The sale's row beside the post it settles, so buyer reports and return rates count it like an accepted post.
    store.insertPost({ auctionId: held.auctionId, leadId, buyerId: held.buyerId, attempt: held.attempt, sentAt: held.at, latencyMs: null, outcome: 'SETTLED_SOLD', priceCents: held.priceCents, reason: `settled by ${actor}`, buyerRef: null, httpStatus: null });
    store.updateLead(leadId, { status: 'sold', priceCents: held.priceCents, payoutCents, buyerId: held.buyerId });
    bookLedgerSale(store, { leadId, auctionId: held.auctionId, buyerId: held.buyerId, sourceId: store.getLead(leadId)?.sourceId ?? '', priceCents: held.priceCents, payoutCents, test, at: Date.now(), actor });
    store.appendAudit({ leadId, type: 'settled', actor, data: { auctionId: held.auctionId, outcome: 'sold', buyerId: held.buyerId, ...money } });
    store.appendAudit({ leadId, type: 'sold', actor, data: { auctionId: held.auctionId, buyerId: held.buyerId, ...money, tier: held.tier, settled: true } });
    return { leadId, auctionId: held.auctionId, status: 'sold', buyerId: held.buyerId, priceCents: held.priceCents, payoutCents };
  }

  private release(lead: { id: string; campaignId: string; phoneHash: string | null; emailHash: string | null }, held: HeldPost, actor: string): Settlement {
    const { store } = this.deps;
    store.updateAuction(held.auctionId, { status: 'unsold', reason: 'RELEASED' });
    store.updateLead(lead.id, { status: 'unsold' });
    store.releaseLeadFingerprints(lead.campaignId, lead.id, { phone: lead.phoneHash, email: lead.emailHash });
    store.appendAudit({ leadId: lead.id, type: 'settled', actor, data: { auctionId: held.auctionId, outcome: 'released', buyerId: held.buyerId, price: toDollars(held.priceCents) } });
    return { leadId: lead.id, auctionId: held.auctionId, status: 'unsold', buyerId: held.buyerId, priceCents: held.priceCents, payoutCents: null };
  }
}

/**
 * The post the lead waits on. Without a named buyer: the one the engine's `unconfirmed` event names,
 * else (a crash, no such event) the buyer of the last `winner` event.
 */
function heldPost(trail: readonly AuditEvent[], buyerId: string | undefined): HeldPost | null {
  const winners = trail.filter((e) => e.type === 'winner' && typeof e.data.auctionId === 'string' && typeof e.data.buyerId === 'string');
  if (winners.length === 0) return null;
  const lastAuction = winners[winners.length - 1].data.auctionId;
  const inAuction = winners.filter((e) => e.data.auctionId === lastAuction);
  const named = buyerId ?? [...trail].reverse().find((e) => e.type === 'unconfirmed' && e.data.auctionId === lastAuction)?.data.buyerId;
  const winner = named === undefined ? inAuction[inAuction.length - 1] : [...inAuction].reverse().find((e) => e.data.buyerId === named);
  if (!winner) return null;
  return {
    auctionId: String(winner.data.auctionId),
    buyerId: String(winner.data.buyerId),
    priceCents: toCents(Number(winner.data.price)),
    tier: typeof winner.data.tier === 'number' ? winner.data.tier : null,
    attempt: typeof winner.data.attempt === 'number' ? winner.data.attempt : 1,
    at: winner.at,
  };
}
