import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BuyerView, Overview } from '../../src/shared/console-api.js';
import { leadAuction } from './fixtures/auction-views.js';
import { auditRows, autoCampaign, buyerFor, leadBody, makeDataDir, useTestRig, workspaceOf } from './fixtures/engine-harness.js';

const rig = useTestRig();

const buyer = rig.buyer;

const wholeDay = () => ({ from: Date.now() - 3_600_000, to: Date.now() + 3_600_000 });

describe('caps, test leads and the circuit breaker, end to end', () => {
  it('holds an hourly cap of 3 under 20 concurrent leads', async () => {
    // Slow posts keep reservations open while the other auctions rank their bids.
    const capped = await buyer({ bid: 30, postDelayMs: 100 });
    const backup = await buyer({ bid: 10 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['capped', 'backup'] }]), [
        buyerFor(capped, 'capped', { caps: { hourly: 3 } }),
        buyerFor(backup, 'backup'),
      ]),
    });
    const replies = await Promise.all(Array.from({ length: 20 }, () => h.sendLead(leadBody())));
    expect(replies.map((r) => r.body.status)).toEqual(replies.map(() => 'sold'));
    // All 20 were pinged to the capped buyer at once, so the cap was enforced at reservation time.
    expect(capped.pings().length).toBeGreaterThan(3);
    expect(capped.posts()).toHaveLength(3);
    const winners = h.db().prepare("SELECT winner_buyer_id AS w, COUNT(*) AS n FROM auctions WHERE status = 'sold' GROUP BY w ORDER BY w").all();
    expect(winners).toEqual([{ w: 'backup', n: 17 }, { w: 'capped', n: 3 }]);
    expect(replies.map((r) => r.body.price as number).sort((a, b) => a - b)).toEqual([...Array(17).fill(7), 21, 21, 21]);

    const view = (await h.call<BuyerView[]>('buyers.list')).find((b) => b.spec.id === 'capped');
    expect(view?.usage.hourly).toBe(3);
    const next = await h.sendLead(leadBody());
    const auction = await leadAuction(h, next.body.lead_id);
    expect(auction.tiers[0].excluded).toEqual([{ buyerId: 'capped', code: 'CAP_REACHED', reason: expect.any(String) }]);
    expect(capped.posts()).toHaveLength(3);
  });

  it('keeps a reached cap reached after a restart', async () => {
    const capped = await buyer({ bid: 30 });
    const backup = await buyer({ bid: 10 });
    const dir = makeDataDir();
    try {
      const first = await rig.engine({
        dir,
        workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['capped', 'backup'] }]), [
          buyerFor(capped, 'capped', { caps: { hourly: 2, daily: 5 } }),
          buyerFor(backup, 'backup'),
        ]),
      });
      for (let i = 0; i < 2; i++) expect((await first.sendLead(leadBody())).body.price).toBe(21);
      await first.close();

      const restarted = await rig.engine({ dir });
      const view = (await restarted.call<BuyerView[]>('buyers.list')).find((b) => b.spec.id === 'capped');
      expect(view?.usage).toMatchObject({ hourly: 2, daily: 2, spend: 60 });
      const next = await restarted.sendLead(leadBody());
      expect(next.body).toMatchObject({ status: 'sold', price: 7 });
      const auction = await leadAuction(restarted, next.body.lead_id);
      expect(auction.tiers[0].excluded).toEqual([{ buyerId: 'capped', code: 'CAP_REACHED', reason: expect.any(String) }]);
    } finally {
      await rig.closeEngines();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks test leads in every ping and post, and charges neither caps nor revenue for them', async () => {
    const capped = await buyer({ bid: 30 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['capped'] }]), [buyerFor(capped, 'capped', { caps: { hourly: 1 } })]),
      metricsKey: 'metrics-key-1',
    });
    for (let i = 0; i < 3; i++) expect((await h.sendLead(leadBody({ test: true }))).body).toMatchObject({ status: 'sold', price: 21 });
    expect(capped.pings().map((r) => r.body.test)).toEqual([true, true, true]);
    expect(capped.posts().map((r) => r.body.test)).toEqual([true, true, true]);

    const real = await h.sendLead(leadBody());
    expect(real.body).toMatchObject({ status: 'sold', price: 21 });
    expect(capped.pings()[3].body).not.toHaveProperty('test');
    expect(capped.posts()[3].body).not.toHaveProperty('test');
    // The cap of 1 was only used by the real lead.
    const over = await h.sendLead(leadBody());
    expect(over.body.status).toBe('unsold');

    const overview = await h.call<Overview>('overview.get', wholeDay());
    expect(overview).toMatchObject({ leads: 2, sold: 1, unsold: 1, revenue: 30, payout: 21, margin: 9 });
    const withTest = await h.call<Overview>('overview.get', { ...wholeDay(), includeTest: true });
    expect(withTest).toMatchObject({ leads: 5, sold: 4, revenue: 120 });
    const metrics = (await h.get('/metrics', { authorization: 'Bearer metrics-key-1' })).body as string;
    expect(metrics).toMatch(/^pingdesk_revenue_cents_total\{campaign="auto-insurance"\} 3000$/m);
  });

  it('opens the circuit of a failing buyer, stops pinging it and audits the change', async () => {
    const dead = await buyer({ status: 500 });
    const alive = await buyer({ bid: 25 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['dead', 'alive'] }]), [buyerFor(dead, 'dead'), buyerFor(alive, 'alive')]),
    });
    for (let i = 0; i < 5; i++) expect((await h.sendLead(leadBody())).body.status).toBe('sold');
    expect(dead.pings()).toHaveLength(5);
    const circuit = auditRows(h.db(), 'circuit');
    expect(circuit.map((e) => [e.actor, JSON.parse(e.data)])).toEqual([['engine', { buyerId: 'dead', state: 'open' }]]);

    const next = await h.sendLead(leadBody());
    expect(next.body.status).toBe('sold');
    expect(dead.pings()).toHaveLength(5);
    const auction = await leadAuction(h, next.body.lead_id);
    expect(auction.tiers[0].excluded).toEqual([{ buyerId: 'dead', code: 'CIRCUIT_OPEN', reason: expect.any(String) }]);
    const view = (await h.call<BuyerView[]>('buyers.list')).find((b) => b.spec.id === 'dead');
    expect(view?.circuit).toBe('open');
    expect(await h.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
