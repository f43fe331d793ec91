import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import type { SessionInfo, StorageHealth } from '../../src/shared/console-api.js';
import { autoCampaign, auditRows, buyerFor, leadBody, makeDataDir, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

/**
 * Storage faults on a running engine, without root: a second connection that holds the database's
 * write lock makes every commit of the engine fail with a real SQLITE_BUSY, exactly as a stuck
 * process would. (test/integration/engine-disk-full.test.ts fills a real tmpfs when run as root.)
 */
const rig = useTestRig();
const dirs: string[] = [];
const lockers: Database.Database[] = [];
afterEach(() => {
  for (const l of lockers.splice(0)) if (l.open) l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function lockDatabase(dir: string): Database.Database {
  const locker = new Database(databasePath(dir));
  lockers.push(locker);
  locker.exec('BEGIN IMMEDIATE');
  return locker;
}

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function timedHealth(e: TestEngine): Promise<{ ms: number; status: number; body: { status: string; reason?: string } }> {
  const started = Date.now();
  const r = await e.get('/healthz');
  return { ms: Date.now() - started, status: r.status, body: r.body as { status: string; reason?: string } };
}

async function startOnFolder(writerThread: boolean, bid = 30) {
  const buyer = await rig.buyer({ bid });
  const dir = makeDataDir();
  dirs.push(dir);
  const workspace = workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(buyer, 'acme')]);
  const engine = await rig.engine({ dir, workspace, writerThread });
  const events: StorageHealth[] = [];
  engine.engine.consoleHost.subscribe((name, payload) => {
    if (name === 'health.changed') events.push(payload as StorageHealth);
  });
  return { buyer, dir, engine, events };
}

function leadIdOf(buyerRequest: { body: { lead?: { phone?: string } } }): string | undefined {
  return buyerRequest.body.lead?.phone;
}

describe.each([
  { where: 'writer thread', writerThread: true },
  { where: 'main thread', writerThread: false },
])('storage faults on a running engine, writes committed in the $where', ({ writerThread }) => {
  it('a locked database: the lead being admitted gets 503, healthz and the console say why, and its retry is sold once the lock goes', async () => {
    const { buyer, dir, engine, events } = await startOnFolder(writerThread);
    const first = leadBody();
    const sold = await engine.sendLead(first);
    expect(sold.status).toBe(200);
    expect(sold.body.status).toBe('sold');

    const locker = lockDatabase(dir);
    const caught = leadBody();
    const started = Date.now();
    const refused = await engine.sendLead(caught);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toBe('storage_unavailable');
    expect(refused.body.message).toMatch(/SQLITE_BUSY/);
    expect(refused.headers['retry-after']).toBe('5');
    // The refused lead never reached a buyer.
    expect(buyer.pings()).toHaveLength(1);

    const health = await timedHealth(engine);
    expect(health.ms).toBeLessThan(1000);
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('storage_unavailable');
    expect(health.body.reason).toMatch(/^SQLITE_BUSY: database is locked/);
    expect((await engine.engine.metrics()).body).toMatch(/^pingdesk_storage_available 0$/m);

    // New leads are refused at once while the fault lasts, and so is buyer feedback.
    const quick = Date.now();
    const next = await engine.sendLead(leadBody());
    expect(next.status).toBe(503);
    expect(next.body.error).toBe('storage_unavailable');
    expect(Date.now() - quick).toBeLessThan(1000);
    const feedback = await engine.post('/v1/feedback', { lead_id: sold.body.lead_id, event: 'converted' }, { key: 'whatever' });
    expect(feedback.status).toBe(503);

    // The console hears of it, and a configuration edit gets a clear error rather than a crash.
    const session = await engine.call<SessionInfo>('session.info', {});
    expect(session.health).toMatchObject({ status: 'storage_unavailable' });
    expect(session.health?.reason).toMatch(/^SQLITE_BUSY/);
    expect(events.map((e) => e.status)).toEqual(['storage_unavailable']);
    const edit = await engine.callReply('sources.save', { source: { id: 'pub-2', name: 'Other', campaigns: ['auto-insurance'] } });
    expect(edit).toMatchObject({ ok: false, error: { code: 'storage_unavailable' } });

    // The lock goes: the engine resumes by itself.
    locker.exec('ROLLBACK');
    await until(async () => (await engine.get('/healthz')).status === 200);
    expect(events.map((e) => e.status)).toEqual(['storage_unavailable', 'ok']);
    expect((await engine.engine.metrics()).body).toMatch(/^pingdesk_storage_available 1$/m);
    expect((await engine.call<SessionInfo>('session.info', {})).health).toMatchObject({ status: 'ok', reason: null });

    // The source's retry of the refused lead is auctioned and sold, not refused as its own duplicate.
    const retry = await engine.sendLead(caught);
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('sold');
    expect(buyer.posts()).toHaveLength(2);

    await rig.closeEngines();
    const store = Store.open({ dataDir: dir });
    try {
      expect(store.verifyAudit()).toMatchObject({ ok: true });
      expect(store.getLead(sold.body.lead_id)?.status).toBe('sold');
      expect(store.getLead(retry.body.lead_id)?.status).toBe('sold');
      // The refused attempt is closed, with the reason in its trail, not left `received`.
      const attempts = store.findLeads({ emailHash: store.hashContact(caught.fields.email), limit: 10 }).map((l) => l.id);
      expect(attempts).toHaveLength(2);
      const refusedId = attempts.find((id) => id !== retry.body.lead_id);
      expect(refusedId).toBeDefined();
      expect(store.getLead(refusedId ?? '')?.status).toBe('interrupted');
      const trail = store.auditForLead(refusedId ?? '').map((e) => `${e.type}:${String((e.data as { reason?: string }).reason ?? '')}`);
      expect(trail).toEqual(['received:', 'validated:', 'interrupted:STORAGE_UNAVAILABLE']);
    } finally {
      store.close();
    }
  });

  it('an auction in flight when the storage fails posts to nobody: its source gets 503, never 200, and its retry is sold once the storage returns', async () => {
    const { buyer, dir, engine } = await startOnFolder(writerThread);
    // The ping is answered late enough for the lock to be taken while the auction waits on it.
    buyer.setBehaviour({ bid: 30, delayMs: 400 });
    const lead = leadBody();
    const answer = engine.sendLead(lead);
    await until(() => buyer.pings().length === 1);
    const locker = lockDatabase(dir);
    const reply = await answer;
    expect(reply.status).toBe(503);
    expect(reply.body.error).toBe('storage_unavailable');
    // The winner mark could not be committed, so the full record never left: nobody may hold it.
    expect(buyer.posts()).toHaveLength(0);

    locker.exec('COMMIT');
    await until(async () => (await engine.get('/healthz')).status === 200);
    const db = engine.db();
    const first = db.prepare('SELECT id, status FROM leads').all() as Array<{ id: string; status: string }>;
    expect(first).toHaveLength(1);
    expect(first[0].status).toBe('interrupted');
    const trail = auditRows(db).filter((r) => r.lead_id === first[0].id).map((r) => r.type);
    expect(trail).toEqual(['received', 'validated', 'eligible', 'ping', 'winner', 'interrupted']);

    // Released, not a duplicate of itself: the source's retry is auctioned and sold.
    buyer.setBehaviour({ bid: 30 });
    const retry = await engine.sendLead(lead);
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('sold');
    expect(buyer.posts()).toHaveLength(1);
    expect(leadIdOf(buyer.posts()[0])).toBe(lead.fields.phone);

    await rig.closeEngines();
    const store = Store.open({ dataDir: dir });
    try {
      expect(store.verifyAudit()).toMatchObject({ ok: true });
      expect(store.getLead(first[0].id)?.status).toBe('interrupted');
      expect(store.getLead(retry.body.lead_id)?.status).toBe('sold');
    } finally {
      store.close();
    }
  });
});
