import { describe, expect, it, vi } from 'vitest';
import type { SourceStat } from '../../src/shared/console-api.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, SOURCE_KEY, useTestRig, type TestEngine } from './fixtures/engine-harness.js';

const rig = useTestRig();
const OTHER_KEY = 'src_other_key_2';

async function sourcesTable(h: TestEngine): Promise<SourceStat[]> {
  return h.call<SourceStat[]>('stats.sources', { from: Date.now() - 3_600_000, to: Date.now() + 60_000 });
}

describe('every lead a source sends is accounted for', () => {
  it('counts refusals per source and reason through HTTP, shows received = accepted + refused, and keeps the counts over a restart', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const dir = makeDataDir();
    const workspace = {
      version: 1 as const,
      campaigns: [autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), autoCampaign([], { id: 'closed', name: 'Closed' })],
      sources: [
        { id: 'pub-1', name: 'Quotes', apiKey: SOURCE_KEY, campaigns: ['auto-insurance'], rateLimitPerMinute: 6 },
        { id: 'pub-2', name: 'Other', apiKey: OTHER_KEY, campaigns: ['auto-insurance'] },
      ],
      buyers: [buyerFor(acme, 'acme')],
    };
    const h = await rig.engine({ workspace, dir });

    const first = leadBody();
    const statuses: number[] = [];
    statuses.push((await h.sendLead(first)).status); // accepted
    statuses.push((await h.sendLead(leadBody())).status); // accepted
    statuses.push((await h.sendLead(first)).status); // duplicate
    statuses.push((await h.sendLead(leadBody({ fields: { zip: 'nope' } }))).status); // invalid
    statuses.push((await h.sendLead(leadBody({ campaign: 'closed' }))).status); // not this source's campaign
    statuses.push((await h.sendLead(leadBody())).status); // accepted (6th of 6 a minute)
    statuses.push((await h.sendLead(leadBody())).status); // rate limited
    statuses.push((await h.sendLead(leadBody(), 'src_nobody_knows_this')).status); // unknown key: no source to count
    statuses.push((await h.sendLead(leadBody(), OTHER_KEY)).status); // pub-2 accepted
    expect(statuses).toEqual([200, 200, 409, 422, 403, 200, 429, 401, 200]);

    const expected = [
      { sourceId: 'pub-1', leads: 3, refused: 4, received: 7, refusedBy: { duplicate: 1, validation_failed: 1, forbidden: 1, rate_limited: 1 } },
      { sourceId: 'pub-2', leads: 1, refused: 0, received: 1, refusedBy: {} },
    ];
    // Refusal counts are batched with the other hot-path writes: they land within one batch.
    await vi.waitFor(async () => expect(await sourcesTable(h)).toMatchObject(expected), { timeout: 3000, interval: 50 });
    const table = await sourcesTable(h);
    for (const row of table) expect(row.received).toBe(row.leads + row.refused);

    // Counts only: the stored rows hold source, reason, hour and a number, no lead data.
    const rows = h.db().prepare('SELECT * FROM intake_refusals ORDER BY reason').all() as Array<Record<string, unknown>>;
    expect(rows.map((r) => Object.keys(r).sort())).toEqual(Array(4).fill(['count', 'hour_start', 'reason', 'source_id']));
    expect(rows.every((r) => Number(r.hour_start) % 3_600_000 === 0)).toBe(true);

    await rig.closeEngines();
    const again = await rig.engine({ workspace, dir });
    expect(await sourcesTable(again)).toMatchObject(expected);
  });

  it('a period before the refusals counts none of them', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const h = await rig.engine({ workspace: { version: 1, campaigns: [autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }])], sources: [{ id: 'pub-1', name: 'Q', apiKey: SOURCE_KEY, campaigns: ['auto-insurance'] }], buyers: [buyerFor(acme, 'acme')] } });
    const body = leadBody();
    await h.sendLead(body);
    expect((await h.sendLead(body)).status).toBe(409);
    await vi.waitFor(async () => expect((await sourcesTable(h))[0]?.refused).toBe(1), { timeout: 3000, interval: 50 });
    const earlier = await h.call<SourceStat[]>('stats.sources', { from: Date.now() - 10 * 3_600_000, to: Date.now() - 5 * 3_600_000 });
    expect(earlier).toEqual([]);
  });
});
