import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHAIN_PAGE } from '../../src/engine/store/audit-verify.js';
import { databasePath, Store } from '../../src/engine/store/index.js';
import { countLoopTurns } from './fixtures/loop-turns.js';
import { mainThreadStatements } from './fixtures/statement-spy.js';
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

/** `count` leads, each with its sealed `received` event and `more` events after it. */
async function writeLeads(target: Store, count: number, more: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const lead = makeLead(`lead-${String(i).padStart(4, '0')}`);
    target.insertLead(lead);
    const recordHash = target.sealLeadRecord(lead.id, lead.fields, lead.consent, ['phone', 'email']);
    target.appendAudit({ leadId: lead.id, type: 'received', actor: 'source:s', data: { recordHash } });
    for (let k = 0; k < more; k++) target.appendAudit({ leadId: lead.id, type: 'validated', actor: 'engine', data: { k } });
  }
  await target.flush();
}

describe('trail verify on a live store', () => {
  it('yields to the event loop every page of the chain and of the leads, and still finds the trail intact', async () => {
    store = Store.open({ dataDir: dir });
    const leads = 400;
    await writeLeads(store, leads, 4);

    const loop = countLoopTurns();
    const result = await store.verifyTrailAsync();
    const turns = loop.stop();

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
    const loop = countLoopTurns();
    const result = await store.verifyTrailAsync();
    const turns = loop.stop();

    expect(result).toMatchObject({ ok: true, count: checkpoints, checkpoints });
    // One page of events, no lead, then 300 signatures in pages of 50: the loop turned between them.
    expect(turns).toBeGreaterThanOrEqual(checkpoints / 50 - 1);
  });

  it('reads the chain and the leads in the read thread inside a running engine, and on its own connection when read-only', async () => {
    store = Store.open({ dataDir: dir });
    const leads = 120;
    await writeLeads(store, leads, 9);
    // The chain's pages, and the leads' pages (their received events, their rows).
    const isPage = (sql: string) => sql.includes('FROM audit_events WHERE seq > ?') || sql.includes("type = 'received' AND seq > ?") || sql.includes('FROM leads WHERE id IN');
    const spy = mainThreadStatements(new Database(databasePath(dir), { readonly: true }));
    try {
      const live = await store.verifyTrailAsync();
      expect(live).toMatchObject({ ok: true, count: leads * 10, leads: { intact: leads } });
      expect(spy.sql().filter(isPage)).toEqual([]);
      // Three pages of the chain and three of leads (50 a page), each one query of the thread.
      expect(store.readThreadStats()?.queries).toBeGreaterThanOrEqual(6);
      store.close();
      store = Store.open({ dataDir: dir, readonly: true });
      expect(await store.verifyTrailAsync()).toEqual(live);
      expect(spy.sql().filter(isPage).length).toBeGreaterThanOrEqual(6);
    } finally {
      spy.restore();
    }
  });

  it('still finds an event deleted from the tail when the pages come from the read thread', async () => {
    store = Store.open({ dataDir: dir });
    for (let i = 0; i < CHAIN_PAGE + 3; i++) store.appendAudit({ leadId: null, type: 'validated', actor: 'engine', data: { i } });
    await store.flush();
    // Tampering from outside: the append-only triggers dropped, the newest event deleted.
    const raw = new Database(databasePath(dir));
    for (const t of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'").pluck().all() as string[]) raw.exec(`DROP TRIGGER ${t}`);
    raw.prepare('DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)').run();
    raw.close();
    expect(await store.verifyTrailAsync()).toMatchObject({ ok: false, problem: 'gap', firstBadSeq: CHAIN_PAGE + 3 });
  });
});
