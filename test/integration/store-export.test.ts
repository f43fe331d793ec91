import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { databasePath, Store } from '../../src/engine/store/index.js';
import { safeCell } from '../../src/engine/store/export-csv.js';
import { countLoopTurns } from './fixtures/loop-turns.js';
import { makeAuction, makeLead, makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = makeTempDir();
  store = Store.open({ dataDir: dir, now: () => T0 });
  store.insertLead(makeLead('lead-1', { status: 'sold', priceCents: 2550, payoutCents: 1785, buyerId: 'acme' }));
  store.insertLead(makeLead('lead-2', { receivedAt: T0 + 60_000, fields: { first_name: '=HYPERLINK("http://x")', phone: '+15125550199' } }));
  store.insertAuction(makeAuction('auc-1', 'lead-1', { status: 'sold', endedAt: T0 + 350, winnerBuyerId: 'acme', priceCents: 2550, payoutCents: 1785, marginCents: 765, floorCents: 2000, latencyMs: 312.5, tierReached: 0 }));
  store.appendAudit({ leadId: 'lead-1', type: 'received', actor: 'intake', data: { b: 1, a: 'x,y' } });
  store.appendAudit({ leadId: 'lead-1', type: 'sold', actor: 'engine', data: {}, at: T0 + 400 });
  await store.flush();
});
afterEach(() => {
  store.close();
  removeDir(dir);
});

function readCsv(file: string): Array<Record<string, string>> {
  return parse(fs.readFileSync(file), { columns: true }) as Array<Record<string, string>>;
}

describe('CSV export', () => {
  it('writes leads with contact fields, money in dollars and ISO times', async () => {
    const out = path.join(dir, 'leads.csv');
    const progress: number[] = [];
    expect(await store.exportCsv('leads', { out, onProgress: (n) => progress.push(n) })).toEqual({ rows: 2 });
    const rows = readCsv(out);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      id: 'lead-1', received_at: '2026-11-27T15:00:00.000Z', campaign: 'auto-insurance', source: 'pub-1', status: 'sold', test: 'false',
      price: '25.50', payout: '17.85', buyer: 'acme', state: 'TX', zip: '78701', first_name: 'Ana', last_name: 'Diaz', phone: '+15125550142',
      email: 'ana@example.com', consent_captured_at: '2026-11-27T15:04:05Z', consent_sellers: 'Acme Insurance; Bolt Auto',
      trustedform_cert_url: 'https://cert.trustedform.com/abc', erased_at: '',
    });
    expect(JSON.parse(rows[0].fields_json)).toMatchObject({ age: 41 });
    expect(rows[1]).toMatchObject({ id: 'lead-2', first_name: `'=HYPERLINK("http://x")`, phone: '+15125550199', price: '' });
    expect(progress[progress.length - 1]).toBe(2);
  });

  it('filters by time range', async () => {
    const out = path.join(dir, 'later.csv');
    expect(await store.exportCsv('leads', { out, from: T0 + 1 })).toEqual({ rows: 1 });
    expect(readCsv(out).map((r) => r.id)).toEqual(['lead-2']);
  });

  it('writes the audit trail with hashes, in seq order', async () => {
    const out = path.join(dir, 'audit.csv');
    expect(await store.exportCsv('audit', { out })).toEqual({ rows: 2 });
    const rows = readCsv(out);
    const events = store.listAudit({ limit: 10 });
    expect(rows.map((r) => r.seq)).toEqual(['1', '2']);
    expect(rows[0]).toEqual({
      seq: '1', lead_id: 'lead-1', at: '2026-11-27T15:00:00.000Z', type: 'received', actor: 'intake', data: '{"a":"x,y","b":1}',
      prev_hash: '0'.repeat(64), hash: events[0].hash,
    });
    expect(rows[1].prev_hash).toBe(events[0].hash);
  });

  it('writes auctions with every column', async () => {
    const out = path.join(dir, 'auctions.csv');
    expect(await store.exportCsv('auctions', { out })).toEqual({ rows: 1 });
    expect(readCsv(out)[0]).toEqual({
      id: 'auc-1', lead_id: 'lead-1', campaign: 'auto-insurance', source: 'pub-1', started_at: '2026-11-27T15:00:00.000Z',
      ended_at: '2026-11-27T15:00:00.350Z', test: 'false', status: 'sold', tier_reached: '0', winner: 'acme', price: '25.50', payout: '17.85',
      margin: '7.65', floor: '20.00', latency_ms: '312.5', reason: '',
    });
  });

  it('streams a large table while the store keeps writing', async () => {
    for (let i = 0; i < 30_000; i++) store.insertLead(makeLead(`bulk-${i}`, { receivedAt: T0 + 1000 + i }));
    await store.flush();
    const out = path.join(dir, 'bulk.csv');
    const exporting = store.exportCsv('leads', { out });
    store.insertLead(makeLead('during-export'));
    await store.flush();
    const { rows } = await exporting;
    expect(rows).toBeGreaterThanOrEqual(30_002);
    expect(fs.readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(rows + 1);
  });

  it('rejects when the output cannot be written', async () => {
    await expect(store.exportCsv('leads', { out: path.join(dir, 'missing', 'x.csv') })).rejects.toThrow(/ENOENT/);
  });

  it('defuses formula cells but keeps phone numbers', () => {
    expect(safeCell('=1+2')).toBe("'=1+2");
    expect(safeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(safeCell('+15125550142')).toBe('+15125550142');
    expect(safeCell('-12.5')).toBe('-12.5');
    expect(safeCell('Ana')).toBe('Ana');
  });
});

describe('CSV export of a long trail', () => {
  it('reads it in windows of its sequence: every event in range, once and in order, also when times are out of order', async () => {
    // Times go up with the sequence but for every seventh event, stamped an hour early (as an event
    // stamped with its lead's arrival can be): the range is on time, the order is the sequence.
    const n = 10_000;
    for (let i = 0; i < n; i++) store.appendAudit({ leadId: `l${i}`, type: 'validated', actor: 'test', data: { i }, at: T0 + 1000 + i * 1000 - (i % 7 === 0 ? 3_600_000 : 0) });
    await store.flush();
    const from = T0 + 3_000_000;
    const to = T0 + 7_000_000;
    const db = new Database(databasePath(dir), { readonly: true });
    const expected = (db.prepare('SELECT seq FROM audit_events WHERE at >= ? AND at < ? ORDER BY seq').pluck().all(from, to) as number[]).map(String);
    db.close();
    expect(expected.length).toBeGreaterThan(3000);
    // The event loop turns while it runs.
    const loop = countLoopTurns();
    const out = path.join(dir, 'slice.csv');
    let turns: number;
    try {
      expect(await store.exportCsv('audit', { out, from, to })).toEqual({ rows: expected.length });
    } finally {
      turns = loop.stop();
    }
    expect(readCsv(out).map((r) => r.seq)).toEqual(expected);
    expect(turns).toBeGreaterThan(expected.length / 256);
    const whole = path.join(dir, 'whole.csv');
    expect(await store.exportCsv('audit', { out: whole })).toEqual({ rows: n + 2 });
    expect(readCsv(whole).map((r) => Number(r.seq))).toEqual(Array.from({ length: n + 2 }, (_, i) => i + 1));
  });
});
