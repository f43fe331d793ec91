import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Overview } from '../../src/shared/console-api.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, SOURCE_KEY, useTestRig } from './fixtures/engine-harness.js';

const rig = useTestRig();

/** The next `figures.tick` the engine sends to the console. */
function nextTick(h: Awaited<ReturnType<typeof rig.engine>>): Promise<Overview> {
  return new Promise((resolve) => {
    const off = h.engine.consoleHost.subscribe((name, payload) => {
      if (name !== 'figures.tick') return;
      off();
      resolve(payload as Overview);
    });
  });
}

describe("Live's five-minute figures", () => {
  it('hold the window\'s auctions again after a restart on the same folder, test leads still left out', async () => {
    const dir = makeDataDir();
    const acme = await rig.buyer({ bid: 30 });
    const workspace = {
      version: 1 as const,
      campaigns: [autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }])],
      sources: [{ id: 'pub-1', name: 'Quotes Site', apiKey: SOURCE_KEY, campaigns: ['auto-insurance'] }],
      buyers: [buyerFor(acme, 'acme')],
    };
    const first = await rig.engine({ dir, workspace });
    for (let i = 0; i < 3; i++) expect((await first.sendLead(leadBody())).body.status).toBe('sold');
    expect((await first.sendLead(leadBody({ test: true }))).status).toBe(200);
    const before = await nextTick(first);
    expect(before).toMatchObject({ leads: 3, sold: 3, revenue: 90 });
    await rig.closeEngines();

    try {
      const second = await rig.engine({ dir });
      const after = await nextTick(second);
      expect(after).toMatchObject({ leads: 3, sold: 3, unsold: 0, revenue: 90, payout: before.payout, margin: before.margin });
      expect(after.leadsPerMinute).toBe(before.leadsPerMinute);
    } finally {
      await rig.closeEngines();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
