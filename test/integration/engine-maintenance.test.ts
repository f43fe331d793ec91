import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { autoCampaign, buyerFor, makeDataDir, useTestRig, workspaceOf } from './fixtures/engine-harness.js';

const DAY = 86_400_000;
const rig = useTestRig();

describe('engine upkeep', () => {
  it('drops duplicate fingerprints older than the longest campaign window at start, and keeps recent ones', async () => {
    const buyer = await rig.buyer({ bid: 20 });
    const dir = makeDataDir();
    const workspace = workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], { duplicateWindowDays: 30 }), [buyerFor(buyer, 'acme')]);
    const seed = Store.open({ dataDir: dir });
    seed.insertFingerprints('auto-insurance', 'L-old', Date.now() - 40 * DAY, { phone: seed.hashContact('+15122400142') });
    seed.insertFingerprints('auto-insurance', 'L-recent', Date.now() - 2 * DAY, { phone: seed.hashContact('+15122400143') });
    await seed.flush();
    seed.close();

    const workspaceFile = path.join(dir, 'workspace.json');
    fs.writeFileSync(workspaceFile, JSON.stringify(workspace));
    const h = await rig.engine({ dir, workspaceFile });
    const rows = h.db().prepare('SELECT lead_id FROM fingerprints ORDER BY lead_id').all();
    expect(rows).toEqual([{ lead_id: 'L-recent' }]);
  });
});
