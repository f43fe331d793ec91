import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalEvent, GENESIS_HASH, hashEvent } from '../../src/engine/store/audit-chain.js';
import { canonicalJson } from '../../src/engine/store/canonical-json.js';
import { Store } from '../../src/engine/store/index.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import { makeTempDir, removeDir } from './fixtures/store-records.js';

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

async function writeEvents(s: Store, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    s.appendAudit({ leadId: `lead-${Math.ceil(i / 3)}`, type: i % 3 === 1 ? 'received' : 'ping', actor: 'engine', data: { i, buyer: 'acme', nested: { b: 2, a: [1, 'x'] } } });
  }
  await s.flush();
}

/** Runs raw SQL on the file as someone with write access would, triggers dropped first. */
function tamper(sql: string): void {
  const raw = new Database(databasePath(dir));
  raw.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  raw.exec(sql);
  raw.close();
}

function reopen(): Store {
  store?.close();
  store = Store.open({ dataDir: dir });
  return store;
}

describe('audit chain', () => {
  it('chains each event to the previous one from a genesis of zeros', async () => {
    store = Store.open({ dataDir: dir, now: () => 1000 });
    const a = store.appendAudit({ leadId: 'lead-1', type: 'received', actor: 'intake', data: { z: 1, a: { y: 2, x: 1 } } });
    const b = store.appendAudit({ leadId: null, type: 'config', actor: 'operator', data: {}, at: 2000 });
    expect(a.seq).toBe(1);
    expect(a.prevHash).toBe(GENESIS_HASH);
    const canonical = canonicalJson({ seq: 1, lead_id: 'lead-1', at: 1000, type: 'received', actor: 'intake', data: { z: 1, a: { y: 2, x: 1 } } });
    expect(canonical).toBe('{"actor":"intake","at":1000,"data":{"a":{"x":1,"y":2},"z":1},"lead_id":"lead-1","seq":1,"type":"received"}');
    expect(canonicalEvent(1, 'lead-1', 1000, 'received', 'intake', canonicalJson(a.data))).toBe(canonical);
    expect(a.hash).toBe(hashEvent(GENESIS_HASH, canonical));
    expect(b.seq).toBe(2);
    expect(b.prevHash).toBe(a.hash);
    await store.flush();
    expect(store.verifyAudit()).toEqual({ ok: true, count: 2, lastSeq: 2 });
  });

  it('an intact trail verifies, blocking and in pages with progress', async () => {
    store = Store.open({ dataDir: dir });
    await writeEvents(store, 12_000);
    expect(store.verifyAudit()).toEqual({ ok: true, count: 12_000, lastSeq: 12_000 });
    const progress: Array<[number, number]> = [];
    const result = await store.verifyAuditAsync((count, total) => progress.push([count, total]));
    expect(result).toEqual({ ok: true, count: 12_000, lastSeq: 12_000 });
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[progress.length - 1]).toEqual([12_000, 12_000]);
  });

  it('the chain continues across a reopen', async () => {
    store = Store.open({ dataDir: dir });
    await writeEvents(store, 5);
    const s = reopen();
    expect(s.appendAudit({ leadId: 'lead-9', type: 'sold', actor: 'engine', data: {} }).seq).toBe(6);
    await s.flush();
    expect(s.verifyAudit()).toEqual({ ok: true, count: 6, lastSeq: 6 });
  });

  it('the table refuses UPDATE and DELETE', async () => {
    store = Store.open({ dataDir: dir });
    await writeEvents(store, 3);
    const raw = new Database(databasePath(dir));
    expect(() => raw.prepare("UPDATE audit_events SET actor = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM audit_events WHERE seq = 3').run()).toThrow(/append-only/);
    raw.close();
    expect(store.verifyAudit().ok).toBe(true);
  });

  it('finds an edited event', async () => {
    store = Store.open({ dataDir: dir });
    await writeEvents(store, 50);
    tamper(`UPDATE audit_events SET data = '{"buyer":"bolt","i":17}' WHERE seq = 17`);
    const s = reopen();
    expect(s.verifyAudit()).toEqual({ ok: false, count: 16, firstBadSeq: 17, problem: 'hash_mismatch' });
    expect(await s.verifyAuditAsync()).toEqual({ ok: false, count: 16, firstBadSeq: 17, problem: 'hash_mismatch' });
  });

  it('finds an event re-pointed at another predecessor', async () => {
    store = Store.open({ dataDir: dir });
    await writeEvents(store, 10);
    tamper(`UPDATE audit_events SET prev_hash = '${'1'.repeat(64)}' WHERE seq = 4`);
    expect(reopen().verifyAudit()).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'prev_mismatch' });
  });

  it('finds a deleted event in the middle', async () => {
    store = Store.open({ dataDir: dir });
    await writeEvents(store, 30);
    tamper('DELETE FROM audit_events WHERE seq = 12');
    const s = reopen();
    expect(s.verifyAudit()).toEqual({ ok: false, count: 11, firstBadSeq: 12, problem: 'gap' });
    expect(await s.verifyAuditAsync()).toEqual({ ok: false, count: 11, firstBadSeq: 12, problem: 'gap' });
  });

  it('finds events deleted from the tail, and new events do not hide the deletion', async () => {
    store = Store.open({ dataDir: dir });
    await writeEvents(store, 30);
    tamper('DELETE FROM audit_events WHERE seq > 27');
    const s = reopen();
    expect(s.verifyAudit()).toEqual({ ok: false, count: 27, firstBadSeq: 28, problem: 'gap' });
    expect(s.appendAudit({ leadId: null, type: 'config', actor: 'operator', data: {} }).seq).toBe(31);
    await s.flush();
    expect(s.verifyAudit()).toMatchObject({ ok: false, firstBadSeq: 28, problem: 'gap' });
  });

  it('finds a rewritten last event even when its hash was recomputed', async () => {
    store = Store.open({ dataDir: dir });
    await writeEvents(store, 5);
    const last = store.listAudit({ fromSeq: 5, limit: 1 })[0];
    const data = '{"i":999}';
    const forged = hashEvent(last.prevHash, canonicalEvent(5, last.leadId, last.at, last.type, last.actor, data));
    tamper(`UPDATE audit_events SET data = '${data}', hash = '${forged}' WHERE seq = 5`);
    expect(reopen().verifyAudit()).toMatchObject({ ok: false, firstBadSeq: 5, problem: 'hash_mismatch' });
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and follows JSON.stringify for odd values', () => {
    const value = { b: [3, { d: 1, c: undefined }], a: { z: new Date(0), y: NaN, x: 'é"' }, u: undefined };
    const text = canonicalJson(value);
    expect(text).toBe('{"a":{"x":"é\\"","y":null,"z":"1970-01-01T00:00:00.000Z"},"b":[3,{"d":1}]}');
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(canonicalJson([undefined, () => 1])).toBe('[null,null]');
  });
});
