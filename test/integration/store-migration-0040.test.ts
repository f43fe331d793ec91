import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalEvent, GENESIS_HASH, hashEvent } from '../../src/engine/store/audit-chain.js';
import { MIGRATIONS, runMigrations } from '../../src/engine/store/migrations/index.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import { Store } from '../../src/engine/store/index.js';
import { makeLead, makeTempDir, removeDir, T0 } from './fixtures/store-records.js';
import type { SigningKeyStore } from '../../src/engine/store/signing-key.js';
import type { KeyObject } from 'node:crypto';

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

/** A key kept in memory: the seam the desktop app's keychain store plugs into. */
function memoryKeys(): SigningKeyStore & { key: KeyObject | null } {
  return {
    location: 'memory',
    key: null,
    load() {
      return this.key;
    },
    save(k) {
      this.key = k;
    },
  };
}

/** A database at schema 20 with a lead and a chain of three events, written as that version wrote them. */
function databaseAtVersion20(): void {
  const db = new Database(databasePath(dir));
  db.pragma('journal_mode = WAL');
  runMigrations(db, { now: () => T0 }, MIGRATIONS.filter((m) => m.version <= 20));
  const lead = makeLead('lead-old');
  db.prepare('INSERT INTO leads (id, campaign_id, source_id, received_at, status, fields_json, consent_json) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    lead.id, lead.campaignId, lead.sourceId, lead.receivedAt, 'sold', JSON.stringify(lead.fields), JSON.stringify(lead.consent),
  );
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= 3; seq += 1) {
    const data = JSON.stringify({ campaign: 'auto-insurance', n: seq });
    const hash = hashEvent(prev, canonicalEvent(seq, 'lead-old', T0 + seq, 'received', 'source:pub-1', data));
    db.prepare('INSERT INTO audit_events (seq, lead_id, at, type, actor, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(seq, 'lead-old', T0 + seq, 'received', 'source:pub-1', data, prev, hash);
    prev = hash;
  }
  db.prepare("INSERT INTO meta (key, value) VALUES ('audit_head', ?)").run(JSON.stringify({ seq: 3, hash: prev }));
  db.close();
}

describe('migration 0040: audit checkpoints', () => {
  it('carries a version-20 database with its leads and trail into signed checkpoints', async () => {
    databaseAtVersion20();
    const keys = memoryKeys();
    const store = Store.open({ dataDir: dir, now: () => T0 + 1000 });
    expect(store.getLead('lead-old')?.fields.first_name).toBe('Ana');
    expect(store.databaseId()).toMatch(/^[0-9a-f]{32}$/);
    const checkpointer = store.startAuditCheckpoints({ keys });
    // The history written before checkpoints existed is signed at the first start.
    expect(checkpointer.latest).toMatchObject({ seq: 3, at: T0 + 1000 });
    expect(store.auditPublicKeyPem()).toBe(createPublicKey(keys.key!).export({ type: 'spki', format: 'pem' }));
    await checkpointer.stop();
    const result = await store.verifyTrailAsync();
    expect(result).toMatchObject({ ok: true, count: 3, lastCheckpoint: { seq: 3 }, unsignedAfter: 0, leads: { intact: 0, erased: 0, unhashed: 3 } });
    store.close();
  });

  it('keeps checkpoints append-only and destroys a lead\'s record key when the lead is erased', async () => {
    databaseAtVersion20();
    const store = Store.open({ dataDir: dir });
    const checkpointer = store.startAuditCheckpoints({ keys: memoryKeys() });
    store.insertLead(makeLead('lead-new'));
    store.sealLeadRecord('lead-new', makeLead('lead-new').fields, makeLead('lead-new').consent, ['first_name', 'last_name', 'phone', 'email']);
    await store.flush();
    await checkpointer.stop();
    store.eraseLeads(['lead-new'], { actor: 'test', by: 'lead' });
    store.close();

    const db = new Database(databasePath(dir));
    expect(() => db.prepare('UPDATE audit_checkpoints SET hash = ?').run('0'.repeat(64))).toThrow('append-only');
    expect(() => db.prepare('DELETE FROM audit_checkpoints').run()).toThrow('append-only');
    // The record hash is keyed with the lead's key, which erasure destroys; no other key table exists.
    expect(db.prepare("SELECT lead_key FROM leads WHERE id = 'lead-new'").get()).toEqual({ lead_key: null });
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name LIKE 'lead_record_keys%'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('gives every database its own id, also when created fresh', () => {
    const a = Store.open({ dataDir: dir });
    const other = makeTempDir();
    const b = Store.open({ dataDir: other });
    expect(a.databaseId()).not.toBe(b.databaseId());
    a.close();
    b.close();
    removeDir(other);
  });
});

describe('the signing key', () => {
  it('is refused when it is not the database\'s key, and when it went missing after one was recorded', async () => {
    const store = Store.open({ dataDir: dir });
    const keys = memoryKeys();
    await store.startAuditCheckpoints({ keys }).stop();
    expect(() => store.startAuditCheckpoints({ keys: memoryKeys() })).toThrow(expect.objectContaining({ code: 'signing_key_missing' }));
    const stranger = memoryKeys();
    stranger.key = generateKeyPairSync('ed25519').privateKey;
    expect(() => store.startAuditCheckpoints({ keys: stranger })).toThrow(expect.objectContaining({ code: 'signing_key_mismatch' }));
    store.close();
  });
});

describe('the checkpointer', () => {
  it('lets a running engine catch its newest checkpoint deleted behind its back', async () => {
    const store = Store.open({ dataDir: dir });
    const checkpointer = store.startAuditCheckpoints({ keys: memoryKeys(), schedule: { tickMs: 60_000 } });
    for (let i = 0; i < 3; i += 1) {
      store.appendAudit({ leadId: null, type: 'config', actor: 'test', data: { i } });
      await store.flush();
      checkpointer.checkpoint();
    }
    const other = new Database(databasePath(dir));
    other.exec('DROP TRIGGER audit_checkpoints_no_delete');
    other.prepare('DELETE FROM audit_checkpoints WHERE seq = 3').run();
    other.close();
    expect(await store.verifyTrailAsync()).toMatchObject({ ok: false, problem: 'checkpoint_missing', firstBadSeq: 3 });
    store.close();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('signs on its timer once the interval passed or enough events piled up, never as events are appended', async () => {
    let clock = T0;
    const store = Store.open({ dataDir: dir, now: () => clock });
    const checkpointer = store.startAuditCheckpoints({ keys: memoryKeys(), schedule: { tickMs: 10, intervalMs: 60_000, everyEvents: 100 } });
    const append = async (n: number) => {
      for (let i = 0; i < n; i += 1) store.appendAudit({ leadId: null, type: 'config', actor: 'test', data: { i } });
      await store.flush();
    };
    await append(1);
    await sleep(50);
    expect(checkpointer.latest?.seq).toBe(1);

    await append(10);
    expect(checkpointer.latest?.seq).toBe(1);
    await sleep(50);
    expect(checkpointer.latest?.seq).toBe(1);

    clock += 60_000;
    await sleep(50);
    expect(checkpointer.latest).toMatchObject({ seq: 11, at: T0 + 60_000 });

    await append(100);
    await sleep(50);
    expect(checkpointer.latest?.seq).toBe(111);

    await append(5);
    await checkpointer.stop();
    expect(checkpointer.latest?.seq).toBe(116);
    expect(await store.verifyTrailAsync()).toMatchObject({ ok: true, checkpoints: 4, lastCheckpoint: { seq: 116 }, unsignedAfter: 0 });
    // The anchor of a proof for an event is the first checkpoint at or after it.
    expect(store.auditCheckpointCovering(5)?.seq).toBe(11);
    expect(store.auditCheckpointCovering(117)).toBeNull();
    store.close();
  });
});
