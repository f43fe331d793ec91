import type { Migration } from './migration.js';

const HOUR = 3_600_000;
const ERRORS = "('BAD_RESPONSE', 'HTTP_ERROR', 'UNREACHABLE')";
const hour = (x: string) => `(${x} - ${x} % ${HOUR})`;
const mark = (table: string) => `(SELECT upto FROM rollup_marks WHERE name = '${table}')`;

// The row bodies of migration 0160's ping and post triggers, as they were then; `s` is +1 or -1.
const pingUpsert = (r: string, s: string) => `INSERT INTO rollup_pings (hour, buyer_id, pings, bids, timeouts, errors, bid_sum, latency_n, latency_sum)
  VALUES (${hour(`${r}.sent_at`)}, ${r}.buyer_id, ${s}, ${s} * (${r}.bid_cents IS NOT NULL), ${s} * (${r}.outcome = 'TIMEOUT'), ${s} * (${r}.outcome IN ${ERRORS}),
  ${s} * COALESCE(${r}.bid_cents, 0), ${s} * (${r}.latency_ms IS NOT NULL), ${s} * COALESCE(${r}.latency_ms, 0))
  ON CONFLICT (hour, buyer_id) DO UPDATE SET pings = pings + excluded.pings, bids = bids + excluded.bids, timeouts = timeouts + excluded.timeouts,
  errors = errors + excluded.errors, bid_sum = bid_sum + excluded.bid_sum, latency_n = latency_n + excluded.latency_n, latency_sum = latency_sum + excluded.latency_sum;`;
const postUpsert = (r: string, s: string) => `INSERT INTO rollup_posts (hour, buyer_id, posts, accepted, revenue_cents)
  VALUES (${hour(`${r}.sent_at`)}, ${r}.buyer_id, ${s} * (${r}.outcome NOT IN ('LATE_ACCEPTED', 'SETTLED_SOLD')), ${s} * (${r}.outcome IN ('ACCEPTED', 'SETTLED_SOLD')),
  ${s} * (CASE WHEN ${r}.outcome IN ('ACCEPTED', 'SETTLED_SOLD') THEN ${r}.price_cents ELSE 0 END))
  ON CONFLICT (hour, buyer_id) DO UPDATE SET posts = posts + excluded.posts, accepted = accepted + excluded.accepted, revenue_cents = revenue_cents + excluded.revenue_cents;`;

/**
 * UPDATE and DELETE triggers that count only rows at or below the watermark: a row past it is not in
 * the rollup yet and is folded in, as it is then, by the catch-up. A delete that leaves the watermark
 * above the table's last rowid lowers it to that rowid, so a reused rowid is never taken for counted.
 */
function watermarkedTriggers(name: string, table: string, columns: string[], upsert: (r: string, s: string) => string): string {
  const changed = columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  const counted = (r: string) => `${r}.id <= ${mark(table)}`;
  return `
DROP TRIGGER ${name}_insert;
DROP TRIGGER ${name}_update_old;
DROP TRIGGER ${name}_update_new;
DROP TRIGGER ${name}_delete;
CREATE TRIGGER ${name}_update_old AFTER UPDATE OF ${columns.join(', ')} ON ${table} WHEN (${changed}) AND ${counted('OLD')} BEGIN ${upsert('OLD', '-1')} END;
CREATE TRIGGER ${name}_update_new AFTER UPDATE OF ${columns.join(', ')} ON ${table} WHEN (${changed}) AND ${counted('NEW')} BEGIN ${upsert('NEW', '1')} END;
CREATE TRIGGER ${name}_delete AFTER DELETE ON ${table} WHEN ${counted('OLD')} BEGIN ${upsert('OLD', '-1')}
  UPDATE rollup_marks SET upto = (SELECT COALESCE(MAX(id), 0) FROM ${table}) WHERE name = '${table}' AND upto > (SELECT COALESCE(MAX(id), 0) FROM ${table}); END;`;
}

/**
 * The ping and post rollups leave the write path: their insert triggers (ten ping upserts and a post
 * upsert per lead, inside the engine's commits) are dropped, and `rollup_marks` records up to which
 * rowid each rollup counts (`pings.id`, `posts.id`: INTEGER PRIMARY KEY, the rowid). The rollups are
 * exact up to the current last rows (the insert triggers kept them), so the marks start there. Rows
 * past a mark are folded in later by the catch-up (`store/rollup-catch-up.ts`, in a worker thread),
 * and reports add them meanwhile.
 */
export const rollupWatermarks: Migration = {
  version: 180,
  name: 'rollup-watermarks',
  up(db) {
    db.exec(`
CREATE TABLE rollup_marks (name TEXT PRIMARY KEY, upto INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO rollup_marks (name, upto) VALUES ('pings', (SELECT COALESCE(MAX(id), 0) FROM pings)), ('posts', (SELECT COALESCE(MAX(id), 0) FROM posts));
${watermarkedTriggers('rollup_pings', 'pings', ['sent_at', 'buyer_id', 'bid_cents', 'outcome', 'latency_ms'], pingUpsert)}
${watermarkedTriggers('rollup_posts', 'posts', ['sent_at', 'buyer_id', 'outcome', 'price_cents'], postUpsert)}
`);
  },
};
