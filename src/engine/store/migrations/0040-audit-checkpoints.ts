import { randomBytes } from 'node:crypto';
import type { Migration } from './migration.js';

/**
 * Signed checkpoints of the audit chain's head.
 * - `audit_checkpoints` is append-only like `audit_events`: one row per signed head (seq, hash, time).
 * - `meta.database_id` names the database (and its signing key file) independently of its path.
 * The record hash in each lead's `received` event is keyed with the lead's own key (`leads.lead_key`, 0060).
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
`;

export const auditCheckpoints: Migration = {
  version: 40,
  name: 'audit-checkpoints',
  up(db) {
    db.exec(SCHEMA);
    db.prepare("INSERT INTO meta (key, value) VALUES ('database_id', ?) ON CONFLICT (key) DO NOTHING").run(randomBytes(16).toString('hex'));
  },
};
