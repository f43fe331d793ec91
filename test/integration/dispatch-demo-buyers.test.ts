import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/engine/auction/dispatch.js';
import { buildPingRequest } from '../../src/engine/deliver/build-ping.js';
import { buildPostRequest } from '../../src/engine/deliver/build-post.js';
import type { DemoBuyers } from '../../src/engine/demo/demo-buyers.js';
import { demoLead, demoWorkspace, startDemoBuyers } from '../../src/engine/demo/demo-buyers.js';
import { compileBuyer, compileWorkspace } from '../../src/engine/workspace/compile.js';
import type { RuntimeBuyer, RuntimeCampaign } from '../../src/engine/workspace/runtime.js';
import { validateWorkspace } from '../../src/engine/workspace/validate-workspace.js';
import { normaliseSellerName } from '../../src/engine/compliance/seller-name.js';

function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function unhurried(b: RuntimeBuyer): RuntimeBuyer {
  return b.spec.ping ? compileBuyer({ ...b.spec, ping: { ...b.spec.ping, timeoutMs: 5000 } }) : b;
}

let demo: DemoBuyers;
let dispatcher: Dispatcher;
beforeAll(async () => {
  demo = await startDemoBuyers({ rng: seeded(7) });
  dispatcher = new Dispatcher();
});
afterAll(async () => {
  await dispatcher.close();
  await demo.close();
});

describe('demo buyers', () => {
  it('make a workspace that imports as it stands', () => {
    const ws = validateWorkspace(demoWorkspace(demo.buyers));
    expect(ws.buyers.map((b) => b.id)).toEqual(demo.buyers.map((b) => b.id));
    expect(ws.sources[0]).toMatchObject({ id: 'demo-source', apiKey: 'src_demo_key_0001' });
    expect(ws.campaigns.map((c) => c.id)).toEqual(['auto-insurance', 'home-services']);
    expect(demo.buyers.filter((b) => !b.ping).map((b) => b.id)).toEqual(['demo-budget']);
  });

  it('demo leads carry valid US phones and consent naming demo sellers', () => {
    const rng = seeded(42);
    const consentNames = new Set(demo.buyers.map((b) => normaliseSellerName(b.consentName ?? b.name)));
    for (let i = 0; i < 300; i++) {
      const lead = demoLead(rng, { now: () => Date.UTC(2026, 10, 27) });
      const phone = parsePhoneNumberFromString(String(lead.fields.phone));
      expect(phone?.isValid(), String(lead.fields.phone)).toBe(true);
      expect(phone?.country).toBe('US');
      for (const seller of lead.consent.sellers) {
        expect(consentNames.has(normaliseSellerName(seller))).toBe(true);
        expect(lead.consent.text).toContain(seller);
      }
    }
  });

  // Protocol, not timing: deadlines are generous so a loaded machine cannot turn answers into timeouts.
  it('answer pings and posts through the dispatcher, templated ones included', async () => {
    const config = compileWorkspace(validateWorkspace(demoWorkspace(demo.buyers)), 1);
    const rng = seeded(3);
    const outcomes = new Map<string, Set<string>>();
    const posts = new Map<string, Set<string>>();
    const auction = async (i: number, campaign: RuntimeCampaign) => {
      const lead = demoLead(rng, { campaign: campaign.id as 'auto-insurance' | 'home-services' });
      const fields = Object.fromEntries(campaign.pingFields.map((f) => [f, lead.fields[f]]));
      const buyers = campaign.tiers.flatMap((t) => t.buyerIds).map((id) => unhurried(config.buyers.get(id)!)).filter((b) => b.spec.ping);
      const results = await dispatcher.pingAll(
        buyers,
        (b) => buildPingRequest(b, { pingId: `p${i}.${b.id}`, campaign: campaign.id, vertical: campaign.spec.vertical, fields, test: false }),
        Date.now() + 5000,
      );
      for (const r of results) {
        outcomes.set(r.buyerId, (outcomes.get(r.buyerId) ?? new Set()).add(r.outcome));
        if (r.outcome !== 'BID') continue;
        const buyer = config.buyers.get(r.buyerId)!;
        const post = await dispatcher.post(
          buyer,
          buildPostRequest(buyer, { pingId: `p${i}.${buyer.id}`, token: r.token, priceCents: r.bidCents!, lead: lead.fields, consent: lead.consent, test: false, leadId: `l${i}` }),
          2000,
        );
        posts.set(r.buyerId, (posts.get(r.buyerId) ?? new Set()).add(post.outcome));
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => [...config.campaigns.values()].map((c) => auction(i, c))).flat());
    const allowed = new Set(['BID', 'NO_BID']);
    expect(outcomes.get('demo-flaky')).toContain('BID');
    for (const [id, seen] of outcomes) expect([...seen].every((o) => allowed.has(o)), `${id}: ${[...seen].join(',')}`).toBe(true);
    expect(outcomes.get('demo-harbor')).toContain('BID');
    expect(outcomes.get('demo-homepro')).toContain('BID');
    expect(outcomes.get('demo-acme')).toContain('BID');
    for (const [id, seen] of posts) expect([...seen].every((o) => o === 'ACCEPTED' || o === 'POST_REJECTED'), `${id}: ${[...seen].join(',')}`).toBe(true);
    expect(posts.get('demo-harbor')).toContain('ACCEPTED');
    expect(posts.get('demo-homepro')).toContain('ACCEPTED');
  });

  it('a fixed-price demo buyer takes posts', async () => {
    const buyer = compileWorkspace(demoWorkspace(demo.buyers), 1).buyers.get('demo-budget')!;
    const lead = demoLead(seeded(9), { campaign: 'auto-insurance' });
    const r = await dispatcher.post(buyer, buildPostRequest(buyer, { pingId: 'p', token: null, priceCents: 800, lead: lead.fields, consent: lead.consent, test: false, leadId: 'l' }), 2000);
    expect(r.outcome).toBe('ACCEPTED');
    expect(r.buyerRef).toMatch(/^BUD-/);
  });
});
