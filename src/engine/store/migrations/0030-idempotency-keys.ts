import type { Migration } from './migration.js';

/**
 * The answers given to `Idempotency-Key` requests, so a source's retry gets the first answer again,
 * also after a crash. One row per (source, key): written in the same batch as the lead it admitted
 * (`status` NULL while the auction runs), completed with the answer before the source is answered.
 * `unanswered` is the tiny index start-up recovery reads; `created` serves the expiry prune.
 */
export const idempotencyKeys: Migration = {
  version: 30,
  name: 'idempotency-keys',
  up(db) {
    db.exec(`
CREATE TABLE idempotency_keys (
  source_id TEXT NOT NULL,
  key TEXT NOT NULL,
  route TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  lead_id TEXT,
  status INTEGER,
  answer_json TEXT,
  created_at INTEGER NOT NULL,
  answered_at INTEGER,
  PRIMARY KEY (source_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_lead ON idempotency_keys (lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX idempotency_keys_unanswered ON idempotency_keys (lead_id) WHERE status IS NULL;
`);
  },
};
