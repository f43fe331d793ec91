import type { Migration } from './migration.js';

/**
 * The self-tuning market: what each lead was predicted to earn at intake, and every change a dynamic
 * floor made (the audit trail holds the same change; this table finds a tier's last one by index).
 */
export const market: Migration = {
  version: 140,
  name: 'market',
  up(db) {
    db.exec(`
CREATE TABLE lead_value_estimates (
  lead_id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  predicted_cents INTEGER NOT NULL,
  level TEXT NOT NULL,
  samples INTEGER NOT NULL,
  model_trained_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX lead_value_estimates_at ON lead_value_estimates (at, campaign_id, predicted_cents);
CREATE INDEX lead_value_estimates_campaign ON lead_value_estimates (campaign_id, at, predicted_cents);

CREATE TABLE floor_changes (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  campaign_id TEXT NOT NULL,
  tier_name TEXT NOT NULL,
  from_cents INTEGER NOT NULL,
  to_cents INTEGER NOT NULL,
  target_cents INTEGER NOT NULL,
  basis TEXT NOT NULL,
  percentile INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  limited_by TEXT
);
CREATE INDEX floor_changes_tier ON floor_changes (campaign_id, tier_name, at);
`);
  },
};
