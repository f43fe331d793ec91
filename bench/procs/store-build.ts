import { performance } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import { Store } from '../../src/engine/store/index.js';
import { BENCH_CAMPAIGN, benchLead } from '../lib/bench-workspace.js';
import { childArgs, serveParent } from '../lib/child.js';
import { mulberry32 } from '../lib/random.js';

/**
 * Fills a fresh store through the Store API's batched hot-path writes (the calls the engine makes),
 * with leads whose trails look like real sold auctions: received, validated, eligible, one ping round
 * of ten buyers, winner, post, sold — 7 audit events, a lead row, an auction, ten ping rows and a post each.
 */

export interface BuildArgs {
  dataDir: string;
  events: number;
  /** How many leads to pick for the lookup samples. */
  samples: number;
}

export interface SampleLead {
  id: string;
  phone: string;
  email: string;
}

export interface BuildResult {
  leads: number;
  events: number;
  seconds: number;
  eventsPerSec: number;
  dbBytes: number;
  firstAt: number;
  lastAt: number;
  samples: SampleLead[];
}

export const EVENTS_PER_LEAD = 7;
const BUYERS = Array.from({ length: 10 }, (_, i) => `b${String(i + 1).padStart(2, '0')}`);
const SOURCE = 'bench-source';


function leadIdOf(i: number): string {
  return `L${String(i).padStart(10, '0')}`;
}

async function build(args: BuildArgs): Promise<BuildResult> {
  const leads = Math.ceil(args.events / EVENTS_PER_LEAD);
  // Thirty days of traffic ending now, so time-ranged exports and reports see a realistic spread.
  const lastAt = Date.now();
  const stepMs = Math.max(1, Math.floor((30 * 86_400_000) / leads));
  const firstAt = lastAt - leads * stepMs;
  let clock = firstAt;
  const store = Store.open({ dataDir: args.dataDir, now: () => clock });
  const rng = mulberry32(42);
  const capturedAt = new Date(lastAt).toISOString();
  const t0 = performance.now();
  for (let i = 0; i < leads; i++) {
    const at = firstAt + i * stepMs;
    clock = at;
    const body = benchLead(i, BUYERS, capturedAt);
    const leadId = leadIdOf(i);
    const auctionId = `A${String(i).padStart(10, '0')}`;
    const phoneHash = store.hashContact(body.fields.phone);
    const emailHash = store.hashContact(body.fields.email);
    store.insertLead({ id: leadId, campaignId: BENCH_CAMPAIGN, sourceId: SOURCE, receivedAt: at, test: false, status: 'received', fields: body.fields, consent: body.consent, phoneHash, emailHash, state: body.fields.state, zip: body.fields.zip });
    store.insertFingerprints(BENCH_CAMPAIGN, leadId, at, { phone: phoneHash, email: emailHash });
    store.appendAudit({ leadId, type: 'received', actor: `source:${SOURCE}`, at, data: { campaign: BENCH_CAMPAIGN, source: SOURCE, test: false, phone: phoneHash, email: emailHash, consent: { capturedAt, sellers: body.consent.sellers, trustedform: true, leadid: false, textHash: store.hashContact(body.consent.text) }, recordHash: store.sealLeadRecord(leadId, body.fields, body.consent, ['phone', 'email']) } });
    store.appendAudit({ leadId, type: 'validated', actor: 'engine', at, data: { fields: Object.keys(body.fields).sort(), dropped: [] } });
    store.insertAuction({ id: auctionId, leadId, campaignId: BENCH_CAMPAIGN, sourceId: SOURCE, startedAt: at, test: false, status: 'open' });
    store.appendAudit({ leadId, type: 'eligible', actor: 'engine', at, data: { auctionId, tier: 0, tierName: 'Tier 1', floor: 5, floorReason: 'tier', eligible: BUYERS, excluded: [] } });
    let best = { buyerId: BUYERS[0], cents: 0 };
    const pings: Array<{ buyerId: string; outcome: string; bid: number; latencyMs: number; reason: null }> = [];
    for (const buyerId of BUYERS) {
      const bidCents = 500 + Math.floor(rng() * 4500);
      if (bidCents > best.cents) best = { buyerId, cents: bidCents };
      const latencyMs = 1 + Math.floor(rng() * 20);
      store.insertPing({ auctionId, leadId, buyerId, tierIndex: 0, sentAt: at, latencyMs, outcome: 'BID', bidCents, floorCents: 500, reason: null, httpStatus: 200 });
      pings.push({ buyerId, outcome: 'BID', bid: bidCents / 100, latencyMs, reason: null });
    }
    store.appendAudit({ leadId, type: 'ping', actor: 'engine', at, data: { auctionId, tier: 0, sentHash: phoneHash, pings } });
    const price = best.cents / 100;
    store.appendAudit({ leadId, type: 'winner', actor: 'engine', at, data: { auctionId, buyerId: best.buyerId, tier: 0, price, floor: 5, attempt: 1 } });
    store.insertPost({ auctionId, leadId, buyerId: best.buyerId, attempt: 1, sentAt: at, latencyMs: 3, outcome: 'ACCEPTED', priceCents: best.cents, reason: null, buyerRef: `ref-${i}`, httpStatus: 200 });
    store.appendAudit({ leadId, type: 'post', actor: 'engine', at, data: { auctionId, buyerId: best.buyerId, attempt: 1, outcome: 'ACCEPTED', price, latencyMs: 3, reason: null, buyerRef: `ref-${i}`, sentHash: emailHash } });
    const payoutCents = Math.floor(best.cents * 0.7);
    store.updateAuction(auctionId, { status: 'sold', endedAt: at + 25, tierReached: 0, winnerBuyerId: best.buyerId, priceCents: best.cents, payoutCents, marginCents: best.cents - payoutCents, floorCents: 500, latencyMs: 25 });
    store.updateLead(leadId, { status: 'sold', priceCents: best.cents, payoutCents, buyerId: best.buyerId });
    store.appendAudit({ leadId, type: 'sold', actor: 'engine', at, data: { auctionId, buyerId: best.buyerId, price, payout: payoutCents / 100, margin: (best.cents - payoutCents) / 100, tier: 0 } });
  }
  await store.flush();
  store.close();
  const seconds = (performance.now() - t0) / 1000;

  const picked = new Set<number>();
  while (picked.size < Math.min(args.samples, leads)) picked.add(Math.floor(rng() * leads));
  const samples = [...picked].map((i) => {
    const c = benchLead(i, BUYERS, capturedAt).fields;
    return { id: leadIdOf(i), phone: c.phone, email: c.email };
  });
  const events = leads * EVENTS_PER_LEAD;
  return { leads, events, seconds, eventsPerSec: Math.round(events / seconds), dbBytes: statSync(store.file).size, firstAt, lastAt: firstAt + leads * stepMs, samples };
}

serveParent({ build: (a: BuildArgs) => build(a) }, childArgs<unknown>());
