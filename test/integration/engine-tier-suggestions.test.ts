import { describe, expect, it } from 'vitest';
import type { BuyerView } from '../../src/shared/console-api.js';
import { autoCampaign, buyerFor, leadBody, useTestRig, workspaceOf } from './fixtures/engine-harness.js';

const rig = useTestRig();

describe('tier suggestions from performance signals', () => {
  it('a tier-1 buyer that times out on a third of its pings is suggested for tier 2, with the reason', async () => {
    let pings = 0;
    // Every third ping hangs: never five failures in a row, so the circuit stays closed and the signal builds up.
    // The ping timeout is generous so that on a busy machine only the hanging pings time out.
    const slow = await rig.buyer((req) => (req.path.includes('ping') && ++pings % 3 === 0 ? { hang: true } : { bid: 20 }));
    const steady = await rig.buyer({ bid: 10 });
    const h = await rig.engine({
      workspace: workspaceOf(
        autoCampaign(
          [
            { name: 'Tier 1', floor: 5, buyers: ['slow'] },
            { name: 'Tier 2', floor: 5, buyers: ['steady'] },
          ],
          { pingTimeoutMs: 1000, duplicateWindowDays: 0, tierPlacement: { mode: 'suggest', promoteConversionPercent: 12, demoteConversionPercent: 8, maxTimeoutPercent: 20, minSamples: 50, cooldownMs: 3_600_000 } },
        ),
        [buyerFor(slow, 'slow'), buyerFor(steady, 'steady')],
      ),
    });
    for (let wave = 0; wave < 6; wave += 1) await Promise.all(Array.from({ length: 10 }, () => h.sendLead(leadBody())));

    const buyers = await h.call<BuyerView[]>('buyers.list', {});
    const slowView = buyers.find((b) => b.spec.id === 'slow');
    expect(slowView?.placements).toEqual([
      {
        campaignId: 'auto-insurance',
        tierIndex: 0,
        suggestion: { action: 'demote', tier: 1, reasons: [expect.stringMatching(/^timeout rate \d+(\.\d)?% is above 20% over 60 pings$/)] },
        figures: expect.objectContaining({ pings: 60, timeouts: expect.any(Number) }),
      },
    ]);
    const steadyView = buyers.find((b) => b.spec.id === 'steady');
    expect(steadyView?.placements[0]).toMatchObject({ campaignId: 'auto-insurance', tierIndex: 1, suggestion: { action: 'stay' } });
  });

  it('a campaign whose tier placement is off proposes nothing', async () => {
    const steady = await rig.buyer({ bid: 10 });
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['steady'] }]), [buyerFor(steady, 'steady')]) });
    const [view] = await h.call<BuyerView[]>('buyers.list', {});
    expect(view.placements[0].suggestion).toEqual({ action: 'stay', tier: 0, reasons: ['tier placement is off for this campaign'] });
    expect(await h.call('placement.proposals', {})).toEqual({ proposals: [], moves: [] });
  });
});
