import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PingdeskError } from '../../src/shared/errors.js';
import { LATEST_VERSION, MIGRATIONS, runMigrations } from '../../src/engine/store/migrations/index.js';
import { databasePath, openDatabase } from '../../src/engine/store/open-database.js';
import { Store } from '../../src/engine/store/index.js';
import { hashContact } from '../../src/engine/store/contact-hash.js';
import { makeLead, makeTempDir, removeDir } from './fixtures/store-records.js';

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PingdeskError);
    expect((err as PingdeskError).code).toBe(code);
    return;
  }
  throw new Error(`expected a PingdeskError ${code}`);
}

describe('store migrations', () => {
  it('builds the schema on an empty folder, in WAL mode, with a salt', () => {
    const db = openDatabase({ dataDir: `${dir}/nested/data`, now: () => 1234 });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['api_keys', 'auctions', 'audit_events', 'buyers', 'campaigns', 'cap_usage', 'feedback', 'fingerprints', 'leads', 'meta', 'pings', 'posts', 'sources', 'suppression']),
    );
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'").all();
    expect(triggers).toHaveLength(2);
    const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
    expect(meta.contact_salt).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.created_at).toBe('1234');
    db.close();
  });

  it('carries rows and the salt through a reopen without re-running the migration', async () => {
    const store = Store.open({ dataDir: dir });
    const salt = store.salt;
    store.insertLead(makeLead('lead-1'));
    await store.flush();
    store.close();
    const again = Store.open({ dataDir: dir });
    expect(again.salt).toBe(salt);
    expect(again.getLead('lead-1')?.fields.first_name).toBe('Ana');
    again.close();
  });

  it('refuses a database written by a newer version, writable or read-only', () => {
    openDatabase({ dataDir: dir }).close();
    const raw = new Database(databasePath(dir));
    raw.pragma(`user_version = ${LATEST_VERSION + 10}`);
    raw.close();
    expectCode(() => Store.open({ dataDir: dir }), 'database_too_new');
    expectCode(() => Store.open({ dataDir: dir, readonly: true }), 'database_too_new');
  });

  it('rolls back a failing migration whole, leaving the version where it was', () => {
    const db = new Database(databasePath(dir));
    runMigrations(db, { now: Date.now });
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 10,
        name: 'broken',
        up(d: Database.Database) {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => runMigrations(db, { now: Date.now }, broken)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('0020 carries a version-10 database with real rows to covering report indexes', () => {
    const raw = new Database(databasePath(dir));
    runMigrations(raw, { now: Date.now }, MIGRATIONS.filter((m) => m.version <= 10));
    raw.close();
    const before = new Database(databasePath(dir));
    before
      .prepare(`INSERT INTO leads (id, campaign_id, source_id, received_at, test, status, fields_json, consent_json, state, zip, price_cents, payout_cents, buyer_id)
        VALUES ('lead-1', 'auto', 'pub', 1000, 0, 'sold', '{"first_name":"Ana"}', '{"text":"x","captured_at":"x"}', 'TX', '78701', 3000, 2100, 'acme')`)
      .run();
    expect(before.pragma('user_version', { simple: true })).toBe(10);
    before.close();

    const store = Store.open({ dataDir: dir });
    expect(store.getLead('lead-1')).toMatchObject({ status: 'sold', priceCents: 3000 });
    expect(store.overview({ from: 0, to: 2000 })).toMatchObject({ leads: 1, sold: 1, revenueCents: 3000, payoutCents: 2100 });
    store.close();
    const after = new Database(databasePath(dir), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const columns = (after.prepare("PRAGMA index_info('pings_buyer')").all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual(['buyer_id', 'sent_at', 'bid_cents', 'outcome', 'latency_ms']);
    const plan = after.prepare("EXPLAIN QUERY PLAN SELECT COUNT(*), TOTAL(price_cents) FROM leads WHERE received_at >= 0 AND received_at < 2000 AND test = 0").all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toContain('COVERING INDEX leads_received');
    after.close();
  });

  it('0030 carries a version-20 database with real rows to idempotency keys that recovery settles', async () => {
    const raw = new Database(databasePath(dir));
    runMigrations(raw, { now: Date.now }, MIGRATIONS.filter((m) => m.version <= 20));
    raw
      .prepare(`INSERT INTO leads (id, campaign_id, source_id, received_at, test, status, fields_json, consent_json, phone_hash, state, zip)
        VALUES ('lead-1', 'auto', 'pub', 1000, 0, 'auctioning', '{"first_name":"Ana"}', '{"text":"x","captured_at":"x"}', 'ph1', 'TX', '78701')`)
      .run();
    raw.prepare("INSERT INTO fingerprints (campaign_id, kind, hash, at, lead_id) VALUES ('auto', 'phone', 'ph1', 1000, 'lead-1')").run();
    raw.prepare("INSERT INTO auctions (id, lead_id, campaign_id, source_id, started_at, test, status) VALUES ('auc-1', 'lead-1', 'auto', 'pub', 1000, 0, 'open')").run();
    expect(raw.pragma('user_version', { simple: true })).toBe(20);
    raw.close();

    const store = Store.open({ dataDir: dir });
    expect(store.getLead('lead-1')).toMatchObject({ status: 'auctioning', phoneHash: 'ph1' });
    store.insertIdempotencyKey({ sourceId: 'pub', key: 'k1', route: 'leads', bodyHash: 'h', leadId: 'lead-2', createdAt: Date.now() });
    await store.flush();
    expect(store.findIdempotencyKey('pub', 'k1', 0)).toMatchObject({ leadId: 'lead-2', answer: null });
    // The lead from before the migration is released like any other: its fingerprint goes with it.
    expect(store.closeInterruptedAuctions(2000)).toEqual([{ auctionId: 'auc-1', leadId: 'lead-1', outcome: 'released' }]);
    expect(store.findDuplicate('auto', { phone: 'ph1' }, 0)).toBeNull();
    store.close();
    const after = new Database(databasePath(dir), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const indexes = (after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'idempotency_keys' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['idempotency_keys_created', 'idempotency_keys_lead', 'idempotency_keys_unanswered']));
    // The row of a lead that never committed is dropped by recovery: nothing to replay.
    expect(after.prepare('SELECT COUNT(*) AS n FROM idempotency_keys').get()).toEqual({ n: 0 });
    after.close();
  });

  it('0050 carries a version-20 database with suppression rows to DNC number lists', async () => {
    const v20 = new Database(databasePath(dir));
    runMigrations(v20, { now: Date.now }, MIGRATIONS.filter((m) => m.version <= 20));
    const salt = (v20.prepare("SELECT value FROM meta WHERE key = 'contact_salt'").pluck().get() as string);
    const phoneHash = hashContact(salt, '+15125550142');
    v20.prepare("INSERT INTO suppression (kind, hash, hint, added_at, source) VALUES ('phone', ?, '0142', 1000, 'operator')").run(phoneHash);
    expect(v20.pragma('user_version', { simple: true })).toBe(20);
    v20.close();

    const store = Store.open({ dataDir: dir });
    expect(store.isSuppressed({ phoneHash })).toBe(true);
    const dnc = path.join(dir, 'dnc.txt');
    fs.writeFileSync(dnc, '5125550143\n512,555-0144\n');
    const r = await store.importSuppressionCsv(dnc, { now: 2000, source: 'dnc.txt' });
    expect(r).toMatchObject({ added: 2, format: 'dnc' });
    expect(store.isSuppressed({ phoneHash: store.hashContact('+15125550144') })).toBe(true);
    expect(store.listSuppressions({ limit: 10 }).rows).toEqual([expect.objectContaining({ hash: phoneHash, source: 'operator' })]);
    store.close();
    const after = new Database(databasePath(dir), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(after.prepare('SELECT COUNT(*) FROM suppression_numbers').pluck().get()).toBe(2);
    after.close();
  });

  it('0060 carries a version-30 database with real rows to per-lead keys and recorded contact fields', () => {
    const raw = new Database(databasePath(dir));
    runMigrations(raw, { now: Date.now }, MIGRATIONS.filter((m) => m.version <= 30));
    const campaign = { id: 'auto', fields: { cell: { type: 'string', contact: true }, first_name: { type: 'string' }, state: { type: 'state' } } };
    raw.prepare('INSERT INTO campaigns (id, json, updated_at) VALUES (?, ?, 1)').run('auto', JSON.stringify(campaign));
    const insert = raw.prepare(`INSERT INTO leads (id, campaign_id, source_id, received_at, test, status, fields_json, consent_json, phone_hash, state, zip)
      VALUES (?, ?, 'pub', 1000, 0, 'sold', ?, '{"text":"x","captured_at":"x","ip":"203.0.113.7"}', 'ph1', 'TX', '78701')`);
    insert.run('lead-1', 'auto', JSON.stringify({ first_name: 'Ana', cell: '512 555 0142', state: 'TX' }));
    // Its campaign was deleted before the upgrade: the shared contact names still apply.
    insert.run('lead-2', 'gone', JSON.stringify({ first_name: 'Bo', email: 'bo@example.com', state: 'TX' }));
    raw.close();

    const store = Store.open({ dataDir: dir });
    const rows = new Database(databasePath(dir), { readonly: true });
    const recorded = rows.prepare('SELECT id, contact_fields_json FROM leads ORDER BY id').all();
    expect(recorded).toEqual([
      { id: 'lead-1', contact_fields_json: '["cell","first_name"]' },
      { id: 'lead-2', contact_fields_json: '["email","first_name"]' },
    ]);
    rows.close();
    // A lead from before keys gets one on first use, and keeps it.
    const first = store.leadHash('lead-1', '+15125550142');
    store.close();
    const reopened = Store.open({ dataDir: dir });
    expect(reopened.leadHash('lead-1', '+15125550142')).toBe(first);
    expect(first).not.toBe(reopened.hashContact('+15125550142'));
    const [erased] = reopened.eraseLeads(['lead-1'], { actor: 'me', by: 'lead' }).leads;
    expect(erased).toEqual({ leadId: 'lead-1', fields: ['cell', 'first_name'], consent: ['ip'] });
    expect(reopened.getLead('lead-1')?.fields).toEqual({ first_name: null, cell: null, state: 'TX' });
    reopened.close();
    const after = new Database(databasePath(dir), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(after.prepare("SELECT lead_key FROM leads WHERE id = 'lead-1'").get()).toEqual({ lead_key: null });
    expect(after.prepare("SELECT lead_key IS NULL AS none FROM leads WHERE id = 'lead-2'").get()).toEqual({ none: 1 });
    after.close();
  });

  it('opens read-only only an existing database of the current schema', () => {
    expectCode(() => Store.open({ dataDir: dir, readonly: true }), 'not_found');
    const raw = new Database(databasePath(dir));
    raw.close();
    expectCode(() => Store.open({ dataDir: dir, readonly: true }), 'read_only');
  });

  it('read-only mode refuses every kind of write but answers queries', async () => {
    const writer = Store.open({ dataDir: dir });
    writer.insertLead(makeLead('lead-1'));
    writer.appendAudit({ leadId: 'lead-1', type: 'received', actor: 'intake', data: {} });
    await writer.flush();
    writer.close();

    const reader = Store.open({ dataDir: dir, readonly: true });
    expect(reader.getLead('lead-1')?.id).toBe('lead-1');
    expect(reader.verifyAudit()).toEqual({ ok: true, count: 1, lastSeq: 1 });
    expectCode(() => reader.insertLead(makeLead('lead-2')), 'read_only');
    expectCode(() => reader.appendAudit({ leadId: 'lead-1', type: 'received', actor: 'x', data: {} }), 'read_only');
    expectCode(() => reader.saveSource({ id: 's', name: 'S', campaigns: [] }), 'read_only');
    expectCode(() => reader.closeInterruptedAuctions(Date.now()), 'read_only');
    expectCode(() => reader.eraseLeads(['lead-1'], { actor: 'me', by: 'lead' }), 'read_only');
    expectCode(() => reader.findConsumer({ leadId: 'lead-1' }), 'read_only');
    reader.close();

    const raw = new Database(databasePath(dir), { readonly: true });
    expect(() => raw.prepare("UPDATE leads SET status = 'sold'").run()).toThrow(/readonly/i);
    raw.close();
  });
});
