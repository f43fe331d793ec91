import { afterEach, describe, expect, it } from 'vitest';
import type { ConsoleServer } from '../../src/engine/console/http-transport.js';
import { startConsoleServer } from '../../src/engine/console/http-transport.js';
import type { AuctionDetail, BuyerView, Reply } from '../../src/shared/console-api.js';
import { TOKEN_HEADER } from '../../src/shared/transport.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, startTestEngine, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

/**
 * An auction page explains the auction as it ran: tier names, the floor's parts and the buyers' names
 * are recorded with the auction, so changing the configuration afterwards does not rewrite history.
 * Read through the console's HTTP transport, the way the browser console reads it.
 */
let h: TestEngine | null = null;
let server: ConsoleServer | null = null;
const buyers: TestBuyer[] = [];

afterEach(async () => {
  await server?.close();
  await h?.close();
  await Promise.all(buyers.splice(0).map((b) => b.close()));
  server = null;
  h = null;
});

async function viaHttp<T>(name: string, args: unknown): Promise<T> {
  if (!server) throw new Error('no console server');
  const res = await fetch(`http://127.0.0.1:${server.port}/api/call/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify(args ?? {}),
  });
  const reply = (await res.json()) as Reply<T>;
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`);
  return reply.value;
}

describe('an auction keeps the floor it ran with', () => {
  it('explains the floor with the tier floor, tier name and buyer name of auction time after all three change', async () => {
    const acme = await startBuyer({ bid: 25 });
    buyers.push(acme);
    // 70% payout and a $1.00 margin need $3.34; the $2.50 minimum and the $20 tier floor are below or above it.
    const campaign = autoCampaign([{ name: 'Gold', floor: 20, buyers: ['acme'] }], {
      payout: { type: 'percent', value: 70 },
      margin: { type: 'fixed', value: 1 },
      minPrice: 2.5,
    });
    h = await startTestEngine({ workspace: workspaceOf(campaign, [buyerFor(acme, 'acme', { name: 'Acme Insurance' })]) });
    server = await startConsoleServer({ host: h.engine.consoleHost, port: 0 });

    const sold = await h.sendLead(leadBody());
    expect(sold.body.status).toBe('sold');
    const auctions = await viaHttp<{ rows: Array<{ id: string; leadId: string }> }>('auctions.list', {});
    const auctionId = auctions.rows.find((a) => a.leadId === sold.body.lead_id)?.id;
    expect(auctionId).toBeTruthy();

    // Today's configuration: another tier name and floor, another minimum, another margin, another buyer name.
    await viaHttp('tiers.set', { campaignId: 'auto-insurance', tiers: [{ name: 'Platinum', floor: 40, buyers: ['acme'] }] });
    const saved = await viaHttp<Array<{ id: string; name: string }>>('campaigns.list', {});
    await viaHttp('campaigns.save', { campaign: { ...saved.find((c) => c.id === 'auto-insurance'), minPrice: 7, margin: { type: 'fixed', value: 5 } } });
    const acmeNow = (await viaHttp<BuyerView[]>('buyers.list', {})).find((b) => b.spec.id === 'acme');
    await viaHttp('buyers.save', { buyer: { ...acmeNow?.spec, name: 'Acme Holdings' } });

    const detail = await viaHttp<AuctionDetail>('auctions.get', { id: auctionId });
    expect(detail.tiers).toEqual([
      {
        tierIndex: 0,
        tierName: 'Gold',
        floor: 20,
        floorReason: 'tier',
        parts: [
          { reason: 'tier', label: 'Gold floor', amount: 20 },
          { reason: 'campaign_min', label: 'Campaign minimum', amount: 2.5 },
          { reason: 'payout_margin', label: 'Payout + margin need', amount: 3.34 },
        ],
      },
    ]);
    expect(detail.buyerNames).toEqual({ acme: 'Acme Insurance' });
    expect(detail.auction.floor).toBe(20);

    // And the next auction runs with (and records) today's values.
    acme.setBehaviour({ bid: 45 });
    const next = await h.sendLead(leadBody());
    expect(next.body.status).toBe('sold');
    const nextId = (await viaHttp<{ rows: Array<{ id: string; leadId: string }> }>('auctions.list', {})).rows.find((a) => a.leadId === next.body.lead_id)?.id;
    const nextDetail = await viaHttp<AuctionDetail>('auctions.get', { id: nextId });
    expect(nextDetail.tiers[0]).toMatchObject({ tierName: 'Platinum', floor: 40, parts: [{ amount: 40 }, { amount: 7 }, { amount: 16.67 }] });
    expect(nextDetail.buyerNames).toEqual({ acme: 'Acme Holdings' });
  });

  it('records an unreachable payout and margin need as null and sells nothing below it', async () => {
    const acme = await startBuyer({ bid: 25 });
    buyers.push(acme);
    const campaign = autoCampaign([{ name: 'Only', floor: 5, buyers: ['acme'] }], { payout: { type: 'percent', value: 80 }, margin: { type: 'percent', value: 30 } });
    h = await startTestEngine({ workspace: workspaceOf(campaign, [buyerFor(acme, 'acme')]) });
    server = await startConsoleServer({ host: h.engine.consoleHost, port: 0 });
    const res = await h.sendLead(leadBody());
    expect(res.body.status).toBe('unsold');
    const auctionId = (await viaHttp<{ rows: Array<{ id: string; leadId: string }> }>('auctions.list', {})).rows[0]?.id;
    const detail = await viaHttp<AuctionDetail>('auctions.get', { id: auctionId });
    expect(detail.tiers[0]).toMatchObject({ floorReason: 'payout_margin', parts: [{ amount: 5 }, { amount: 5 }, { reason: 'payout_margin', amount: null }] });
  });
});
