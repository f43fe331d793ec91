import type { Migration } from './migration.js';

/**
 * Pre-ping screening results, one row per rule a lead was screened by: vendor, outcome, a stable
 * code, the vendor's score, the HTTP status, latency and what the engine did (pass, flag, reject).
 * Codes and numbers only: no vendor free text, no contact data, so erasure leaves these rows be.
 */
export const leadScreenings: Migration = {
  version: 80,
  name: 'lead-screenings',
  up(db) {
    db.exec(`
CREATE TABLE lead_screenings (
  lead_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  vendor TEXT NOT NULL,
  outcome TEXT NOT NULL,
  code TEXT NOT NULL,
  score INTEGER,
  http_status INTEGER,
  latency_ms INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (lead_id, position)
) WITHOUT ROWID;
`);
  },
};
