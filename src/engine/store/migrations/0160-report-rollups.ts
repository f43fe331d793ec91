import type { Migration } from './migration.js';

/** The time grain of the report rollups: one row per hour (epoch ms of the hour's start). */
export const ROLLUP_GRAIN_MS = 3_600_000;
/** Latency histograms are also kept per six hours (UTC), for month-long ranges. */
export const LATENCY_COARSE_GRAIN_MS = 6 * ROLLUP_GRAIN_MS;

/**
 * A latency's histogram bin, in tenths of a millisecond, to two significant digits: 0.1 ms steps
 * below 10 ms, 1 ms steps to 100 ms, 10 ms to 1 s, 100 ms to 10 s, 1 s above. Reports read
 * percentiles from these bins, from rollups and raw rows alike, so both give the same figure; the
 * steps keep an hour's histogram to about a hundred rows, however many auctions it holds.
 */
export const LATENCY_BIN_SQL = (x: string): string =>
  `(CASE WHEN ${x} < 10 THEN CAST(ROUND(${x} * 10) AS INTEGER) WHEN ${x} < 100 THEN CAST(ROUND(${x}) AS INTEGER) * 10
    WHEN ${x} < 1000 THEN CAST(ROUND(${x} / 10) AS INTEGER) * 100 WHEN ${x} < 10000 THEN CAST(ROUND(${x} / 100) AS INTEGER) * 1000
    ELSE CAST(ROUND(${x} / 1000) AS INTEGER) * 10000 END)`;

const grain = (x: string, ms: number) => `(${x} - ${x} % ${ms})`;
const hour = (x: string) => grain(x, ROLLUP_GRAIN_MS);
const ERRORS = "('BAD_RESPONSE', 'HTTP_ERROR', 'UNREACHABLE')";

/** Column values one row adds to a rollup; `s` is +1 (NEW) or -1 (OLD). */
const leadValues = (r: string, s: string) =>
  `${hour(`${r}.received_at`)}, ${r}.source_id, ${r}.test, ${s}, ${s} * (${r}.status = 'sold'), ${s} * (${r}.status = 'unsold'), ${s} * (${r}.status = 'interrupted'),
   ${s} * (CASE WHEN ${r}.status = 'sold' THEN COALESCE(${r}.price_cents, 0) ELSE 0 END), ${s} * (CASE WHEN ${r}.status = 'sold' THEN COALESCE(${r}.payout_cents, 0) ELSE 0 END)`;
const leadUpsert = (r: string, s: string) => `INSERT INTO rollup_leads (hour, source_id, test, leads, sold, unsold, interrupted, revenue_cents, payout_cents)
  VALUES (${leadValues(r, s)}) ON CONFLICT (hour, source_id, test) DO UPDATE SET leads = leads + excluded.leads, sold = sold + excluded.sold,
  unsold = unsold + excluded.unsold, interrupted = interrupted + excluded.interrupted, revenue_cents = revenue_cents + excluded.revenue_cents,
  payout_cents = payout_cents + excluded.payout_cents;`;

const latencyUpsert = (r: string, s: string) => [['rollup_latency', ROLLUP_GRAIN_MS], ['rollup_latency_6h', LATENCY_COARSE_GRAIN_MS]].map(([table, ms]) =>
  `INSERT INTO ${table} (hour, test, v, n) VALUES (${grain(`${r}.started_at`, ms as number)}, ${r}.test, ${LATENCY_BIN_SQL(`${r}.latency_ms`)}, ${s})
  ON CONFLICT (hour, test, v) DO UPDATE SET n = n + excluded.n;`).join('\n');
const winUpsert = (r: string, s: string) => `INSERT INTO rollup_wins (hour, buyer_id, wins) VALUES (${hour(`${r}.started_at`)}, ${r}.winner_buyer_id, ${s})
  ON CONFLICT (hour, buyer_id) DO UPDATE SET wins = wins + excluded.wins;`;
const pingUpsert = (r: string, s: string) => `INSERT INTO rollup_pings (hour, buyer_id, pings, bids, timeouts, errors, bid_sum, latency_n, latency_sum)
  VALUES (${hour(`${r}.sent_at`)}, ${r}.buyer_id, ${s}, ${s} * (${r}.bid_cents IS NOT NULL), ${s} * (${r}.outcome = 'TIMEOUT'), ${s} * (${r}.outcome IN ${ERRORS}),
  ${s} * COALESCE(${r}.bid_cents, 0), ${s} * (${r}.latency_ms IS NOT NULL), ${s} * COALESCE(${r}.latency_ms, 0))
  ON CONFLICT (hour, buyer_id) DO UPDATE SET pings = pings + excluded.pings, bids = bids + excluded.bids, timeouts = timeouts + excluded.timeouts,
  errors = errors + excluded.errors, bid_sum = bid_sum + excluded.bid_sum, latency_n = latency_n + excluded.latency_n, latency_sum = latency_sum + excluded.latency_sum;`;
const postUpsert = (r: string, s: string) => `INSERT INTO rollup_posts (hour, buyer_id, posts, accepted, revenue_cents)
  VALUES (${hour(`${r}.sent_at`)}, ${r}.buyer_id, ${s} * (${r}.outcome NOT IN ('LATE_ACCEPTED', 'SETTLED_SOLD')), ${s} * (${r}.outcome IN ('ACCEPTED', 'SETTLED_SOLD')),
  ${s} * (CASE WHEN ${r}.outcome IN ('ACCEPTED', 'SETTLED_SOLD') THEN ${r}.price_cents ELSE 0 END))
  ON CONFLICT (hour, buyer_id) DO UPDATE SET posts = posts + excluded.posts, accepted = accepted + excluded.accepted, revenue_cents = revenue_cents + excluded.revenue_cents;`;

/** INSERT, UPDATE OF `columns` (only when one of them really changed) and DELETE triggers for one rollup. */
function triggers(name: string, table: string, columns: string[], upsert: (r: string, s: string) => string, when: (r: string) => string = () => '1'): string {
  const changed = columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return `
CREATE TRIGGER ${name}_insert AFTER INSERT ON ${table} WHEN ${when('NEW')} BEGIN ${upsert('NEW', '1')} END;
CREATE TRIGGER ${name}_update_old AFTER UPDATE OF ${columns.join(', ')} ON ${table} WHEN (${changed}) AND ${when('OLD')} BEGIN ${upsert('OLD', '-1')} END;
CREATE TRIGGER ${name}_update_new AFTER UPDATE OF ${columns.join(', ')} ON ${table} WHEN (${changed}) AND ${when('NEW')} BEGIN ${upsert('NEW', '1')} END;
CREATE TRIGGER ${name}_delete AFTER DELETE ON ${table} WHEN ${when('OLD')} BEGIN ${upsert('OLD', '-1')} END;`;
}

/**
 * Hourly rollups of the report figures (latency histograms also per six hours) (overview, time series, per buyer, per source), kept by
 * triggers in the same transaction as the rows they count, so every write path (auctions, recovery,
 * settlements, erasure, archive) keeps them exact. Reports add up whole hours from here and scan only
 * the ragged ends of a range. Existing rows are rolled up once, here.
 */
export const reportRollups: Migration = {
  version: 160,
  name: 'report-rollups',
  up(db) {
    db.exec(`
CREATE TABLE rollup_leads (
  hour INTEGER NOT NULL, source_id TEXT NOT NULL, test INTEGER NOT NULL,
  leads INTEGER NOT NULL, sold INTEGER NOT NULL, unsold INTEGER NOT NULL, interrupted INTEGER NOT NULL,
  revenue_cents INTEGER NOT NULL, payout_cents INTEGER NOT NULL,
  PRIMARY KEY (hour, source_id, test)
) WITHOUT ROWID;
CREATE TABLE rollup_latency (
  hour INTEGER NOT NULL, test INTEGER NOT NULL, v INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (hour, test, v)
) WITHOUT ROWID;
CREATE TABLE rollup_latency_6h (
  hour INTEGER NOT NULL, test INTEGER NOT NULL, v INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (hour, test, v)
) WITHOUT ROWID;
CREATE TABLE rollup_wins (
  hour INTEGER NOT NULL, buyer_id TEXT NOT NULL, wins INTEGER NOT NULL,
  PRIMARY KEY (hour, buyer_id)
) WITHOUT ROWID;
CREATE TABLE rollup_pings (
  hour INTEGER NOT NULL, buyer_id TEXT NOT NULL,
  pings INTEGER NOT NULL, bids INTEGER NOT NULL, timeouts INTEGER NOT NULL, errors INTEGER NOT NULL,
  bid_sum INTEGER NOT NULL, latency_n INTEGER NOT NULL, latency_sum REAL NOT NULL,
  PRIMARY KEY (hour, buyer_id)
) WITHOUT ROWID;
CREATE TABLE rollup_posts (
  hour INTEGER NOT NULL, buyer_id TEXT NOT NULL, posts INTEGER NOT NULL, accepted INTEGER NOT NULL, revenue_cents INTEGER NOT NULL,
  PRIMARY KEY (hour, buyer_id)
) WITHOUT ROWID;

INSERT INTO rollup_leads SELECT ${hour('received_at')}, source_id, test, COUNT(*), TOTAL(status = 'sold'), TOTAL(status = 'unsold'), TOTAL(status = 'interrupted'),
  TOTAL(CASE WHEN status = 'sold' THEN price_cents END), TOTAL(CASE WHEN status = 'sold' THEN payout_cents END)
  FROM leads GROUP BY 1, 2, 3;
INSERT INTO rollup_latency SELECT ${hour('started_at')}, test, ${LATENCY_BIN_SQL('latency_ms')}, COUNT(*) FROM auctions WHERE latency_ms IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO rollup_latency_6h SELECT ${grain('started_at', LATENCY_COARSE_GRAIN_MS)}, test, ${LATENCY_BIN_SQL('latency_ms')}, COUNT(*) FROM auctions WHERE latency_ms IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO rollup_wins SELECT ${hour('started_at')}, winner_buyer_id, COUNT(*) FROM auctions WHERE status = 'sold' AND winner_buyer_id IS NOT NULL GROUP BY 1, 2;
INSERT INTO rollup_pings SELECT ${hour('sent_at')}, buyer_id, COUNT(*), TOTAL(bid_cents IS NOT NULL), TOTAL(outcome = 'TIMEOUT'), TOTAL(outcome IN ${ERRORS}),
  TOTAL(bid_cents), TOTAL(latency_ms IS NOT NULL), TOTAL(latency_ms) FROM pings GROUP BY 1, 2;
INSERT INTO rollup_posts SELECT ${hour('sent_at')}, buyer_id, TOTAL(outcome NOT IN ('LATE_ACCEPTED', 'SETTLED_SOLD')), TOTAL(outcome IN ('ACCEPTED', 'SETTLED_SOLD')),
  TOTAL(CASE WHEN outcome IN ('ACCEPTED', 'SETTLED_SOLD') THEN price_cents END) FROM posts GROUP BY 1, 2;
${triggers('rollup_leads', 'leads', ['received_at', 'source_id', 'test', 'status', 'price_cents', 'payout_cents'], leadUpsert)}
${triggers('rollup_latency', 'auctions', ['started_at', 'test', 'latency_ms'], latencyUpsert, (r) => `${r}.latency_ms IS NOT NULL`)}
${triggers('rollup_wins', 'auctions', ['started_at', 'status', 'winner_buyer_id'], winUpsert, (r) => `${r}.status = 'sold' AND ${r}.winner_buyer_id IS NOT NULL`)}
${triggers('rollup_pings', 'pings', ['sent_at', 'buyer_id', 'bid_cents', 'outcome', 'latency_ms'], pingUpsert)}
${triggers('rollup_posts', 'posts', ['sent_at', 'buyer_id', 'outcome', 'price_cents'], postUpsert)}
`);
  },
};
