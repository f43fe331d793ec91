import { randomBytes } from 'node:crypto';
import type { Migration } from './migration.js';

/**
 * Signed checkpoints of the audit chain's head, and per-lead keys for the hash of each lead's contact
 * data as received.
 * - `audit_checkpoints` is append-only like `audit_events`: one row per signed head (seq, hash, time).
 * - `lead_record_keys` holds the random key of each lead's contact hash. Erasing the lead (setting
 *   `erased_at`) or deleting it destroys the key, so the hash left in the trail can no longer be tested
 *   against guesses of the erased values.
 * - `meta.database_id` names the database (and its signing key file) independently of its path.
 */
const SCHEMA = `
CREATE TABLE audit_checkpoints (
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  at INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

CREATE TABLE lead_record_keys (
  lead_id TEXT PRIMARY KEY,
  key TEXT NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER lead_record_keys_erased AFTER UPDATE OF erased_at ON leads WHEN NEW.erased_at IS NOT NULL
BEGIN DELETE FROM lead_record_keys WHERE lead_id = NEW.id; END;
CREATE TRIGGER lead_record_keys_deleted AFTER DELETE ON leads
BEGIN DELETE FROM lead_record_keys WHERE lead_id = OLD.id; END;
`;

export const auditCheckpoints: Migration = {
  version: 40,
  name: 'audit-checkpoints',
  up(db) {
    db.exec(SCHEMA);
    db.prepare("INSERT INTO meta (key, value) VALUES ('database_id', ?) ON CONFLICT (key) DO NOTHING").run(randomBytes(16).toString('hex'));
  },
};
