import type { Migration } from './migration.js';

/**
 * Leads refused at intake (duplicate, suppressed, invalid, rate-limited, …), counted per source,
 * reason and hour, so that every lead a source sent is accounted for: received = accepted + refused.
 * Counts only: no contact data and no lead body is kept for a refused lead.
 */
export const intakeRefusals: Migration = {
  version: 110,
  name: 'intake-refusals',
  up(db) {
    db.exec(`
CREATE TABLE intake_refusals (
  source_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  hour_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (source_id, hour_start, reason)
) WITHOUT ROWID;
`);
  },
};
