import type { Migration } from './migration.js';

/**
 * Tier placement moves: each time a buyer was moved between a campaign's tiers by the placement
 * policy (applied automatically or by the operator from a suggestion), with the evidence. The
 * policy's cool-down reads the last move per buyer and campaign from here, so it holds across a
 * restart. The audit trail holds the same move as a `config` event; this table is for reading fast.
 */
export const placementMoves: Migration = {
  version: 120,
  name: 'placement-moves',
  up(db) {
    db.exec(`
CREATE TABLE placement_moves (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  campaign_id TEXT NOT NULL,
  buyer_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('promote', 'demote')),
  from_tier INTEGER NOT NULL,
  to_tier INTEGER NOT NULL,
  applied_by TEXT NOT NULL,
  evidence_json TEXT NOT NULL
);
CREATE INDEX placement_moves_buyer ON placement_moves (campaign_id, buyer_id, at);
CREATE INDEX placement_moves_at ON placement_moves (at);
`);
  },
};
