import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHAIN_PAGE } from '../../src/engine/store/audit-verify.js';
import { Store } from '../../src/engine/store/index.js';
import { makeLead, makeTempDir, removeDir } from './fixtures/store-records.js';

/**
 * A whole-trail verify runs inside a live engine (Consent & audit → Verify), so it must hand the event
 * loop back between small pages instead of hashing the whole trail in one go: intake keeps answering.
 */
let dir: string;
let store: Store | null = null;

beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => {
  store?.close();
  store = null;
  removeDir(dir);
});

describe('trail verify on a live store', () => {
  it('yields to the event loop every page of the chain and of the leads, and still finds the trail intact', async () => {
    store = Store.open({ dataDir: dir });
    const leads = 400;
    for (let i = 0; i < leads; i++) {
      const lead = makeLead(`lead-${String(i).padStart(4, '0')}`);
      store.insertLead(lead);
      const recordHash = store.sealLeadRecord(lead.id, lead.fields, lead.consent, ['phone', 'email']);
      store.appendAudit({ leadId: lead.id, type: 'received', actor: 'source:s', data: { recordHash } });
      for (let k = 0; k < 4; k++) store.appendAudit({ leadId: lead.id, type: 'validated', actor: 'engine', data: { k } });
    }
    await store.flush();

    let turns = 0;
    let running = true;
    const spin = (): void => {
      if (!running) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const result = await store.verifyTrailAsync();
    running = false;

    expect(result).toMatchObject({ ok: true, count: leads * 5 });
    expect((result as { leads?: { intact: number } }).leads?.intact).toBe(leads);
    // 2,000 events in pages of CHAIN_PAGE and 400 leads in pages of 50: the loop turned between pages.
    expect(turns).toBeGreaterThanOrEqual(Math.floor((leads * 5) / CHAIN_PAGE) + Math.floor(leads / 50) - 1);
  });

  it('yields between pages of signed checkpoints too (a long trail has thousands to check)', async () => {
    store = Store.open({ dataDir: dir });
    const signer = store.startAuditCheckpoints({ keyFile: path.join(dir, 'keys', 'signing.key'), schedule: { intervalMs: 3_600_000, everyEvents: 1_000_000, tickMs: 3_600_000 } });
    const checkpoints = 300;
    for (let i = 0; i < checkpoints; i++) {
      store.appendAudit({ leadId: null, type: 'validated', actor: 'engine', data: { i } });
      await store.flush();
      signer.checkpoint();
    }
    let turns = 0;
    let running = true;
    const spin = (): void => {
      if (!running) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const result = await store.verifyTrailAsync();
    running = false;

    expect(result).toMatchObject({ ok: true, count: checkpoints, checkpoints });
    // One page of events, no lead, then 300 signatures in pages of 50: the loop turned between them.
    expect(turns).toBeGreaterThanOrEqual(checkpoints / 50 - 1);
  });
});
