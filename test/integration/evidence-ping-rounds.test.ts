import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readZip, writeZip } from '../../src/engine/evidence/zip-file.js';
import { Store } from '../../src/engine/store/index.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, useTestRig, workspaceOf } from './fixtures/engine-harness.js';
import { pingdesk } from './fixtures/serve-process.js';
import { T0, makeAuction, makeLead, makePing, makePost } from './fixtures/store-records.js';

const rig = useTestRig();
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = makeDataDir(prefix);
  dirs.push(d);
  return d;
}

function bundleOf(dataDir: string, leadId: string): string {
  const out = path.join(tempDir('pingdesk-evidence-out-'), `${leadId}.zip`);
  const r = pingdesk('evidence', '--data-dir', dataDir, '--lead', leadId, '--out', out);
  expect(r.code, r.err).toBe(0);
  return out;
}

/** Edits deliveries.json and re-packs the bundle with a matching manifest, as a forger would. */
function editDeliveries(file: string, edit: (deliveries: { pings: Array<{ buyerId: string; outcome: string }> }) => void): void {
  const files = readZip(fs.readFileSync(file));
  const deliveries = JSON.parse((files.get('deliveries.json') as Buffer).toString('utf8'));
  edit(deliveries);
  files.set('deliveries.json', Buffer.from(JSON.stringify(deliveries)));
  const manifest = JSON.parse((files.get('manifest.json') as Buffer).toString('utf8'));
  manifest.files = {};
  for (const [name, data] of files) if (name !== 'manifest.json') manifest.files[name] = createHash('sha256').update(data).digest('hex');
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
  fs.writeFileSync(file, writeZip([...files].map(([name, data]) => ({ name, data }))));
}

describe('evidence bundles and ping events of either shape', { timeout: 120_000 }, () => {
  it('a bundle whose trail has one ping event per round verifies, and a ping the round does not name is caught', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const bolt = await rig.buyer({ bid: null });
    const dir = tempDir('pingdesk-evidence-round-');
    const h = await rig.engine({ dir, workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme', 'bolt'] }]), [buyerFor(acme, 'acme'), buyerFor(bolt, 'bolt')]) });
    const sold = await h.sendLead(leadBody());
    expect(sold.body.status).toBe('sold');
    const leadId = sold.body.lead_id as string;
    await rig.closeEngines();

    const file = bundleOf(dir, leadId);
    const files = readZip(fs.readFileSync(file));
    const trail = JSON.parse((files.get('trail.json') as Buffer).toString('utf8')) as { events: Array<{ type: string }> };
    expect(trail.events.filter((e) => e.type === 'ping')).toHaveLength(1);
    const ok = pingdesk('evidence', 'verify', file);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toContain(`evidence bundle for lead ${leadId} verified`);

    // deliveries.json says bolt bid; the round event says it did not.
    editDeliveries(file, (d) => {
      const boltPing = d.pings.find((p) => p.buyerId === 'bolt');
      if (boltPing) boltPing.outcome = 'BID';
    });
    const forged = pingdesk('evidence', 'verify', file);
    expect(forged.code).toBe(1);
    expect(forged.out).toContain('the ping to bolt (BID) has no ping event in the trail');
  });

  it('a bundle from a store written with one ping event per buyer (before rounds) still verifies', async () => {
    const dir = tempDir('pingdesk-evidence-old-');
    const store = Store.open({ dataDir: dir, now: () => T0 });
    const leadId = 'lead-old';
    store.insertLead(makeLead(leadId, { status: 'sold', priceCents: 2500, payoutCents: 1750, buyerId: 'acme' }));
    store.appendAudit({ leadId, type: 'received', actor: 'intake', at: T0, data: { sourceId: 'pub-1' } });
    store.insertAuction(makeAuction('auc-old', leadId, { status: 'sold', winnerBuyerId: 'acme', priceCents: 2500, endedAt: T0 + 300 }));
    store.insertPing(makePing('auc-old', leadId, 'acme'));
    store.insertPing(makePing('auc-old', leadId, 'bolt', { outcome: 'NO_BID', bidCents: null }));
    // The per-buyer shape earlier versions wrote: the buyer's outcome at the top level of each event.
    for (const [buyerId, outcome, bid] of [['acme', 'BID', 25], ['bolt', 'NO_BID', null]] as const) {
      store.appendAudit({ leadId, type: 'ping', actor: 'engine', at: T0 + 50, data: { auctionId: 'auc-old', buyerId, tier: 0, outcome, bid, latencyMs: 40, reason: null, sentHash: 'a'.repeat(64) } });
    }
    store.insertPost(makePost('auc-old', leadId, 'acme'));
    store.appendAudit({ leadId, type: 'post', actor: 'engine', at: T0 + 200, data: { auctionId: 'auc-old', buyerId: 'acme', attempt: 1, outcome: 'ACCEPTED', price: 25 } });
    store.appendAudit({ leadId, type: 'sold', actor: 'engine', at: T0 + 300, data: { auctionId: 'auc-old', buyerId: 'acme', price: 25 } });
    await store.flush();
    // Signed as a running engine signs its head when it stops.
    store.startAuditCheckpoints({ keyFile: path.join(tempDir('pingdesk-evidence-keys-'), 'signing.key') });
    store.close();

    const file = bundleOf(dir, leadId);
    const r = pingdesk('evidence', 'verify', file);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain(`evidence bundle for lead ${leadId} verified`);

    editDeliveries(file, (d) => d.pings.push({ ...d.pings[0], buyerId: 'carl' }));
    const forged = pingdesk('evidence', 'verify', file);
    expect(forged.code).toBe(1);
    expect(forged.out).toContain('the ping to carl (BID) has no ping event in the trail');
  });
});
