import type { Migration } from './migration.js';

/**
 * The money ledger and the returns workflow.
 *
 * `ledger`: append-only money movements in integer cents (sale, payout, return, clawback, adjustment),
 * each tied to the lead, the party (buyer or source) and the auction. Triggers refuse UPDATE and
 * DELETE: a mistake is corrected by a new `adjustment` row, never by editing history.
 *
 * `returns`: one return request per lead, its status (approved, pending, refused) and the decision.
 * Reasons are stored masked. Neither table holds contact data, so erasure leaves them be.
 */
export const ledger: Migration = {
  version: 100,
  name: 'ledger',
  up(db) {
    db.exec(`
CREATE TABLE ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('sale', 'payout', 'return', 'clawback', 'adjustment')),
  amount_cents INTEGER NOT NULL,
  party_kind TEXT NOT NULL CHECK (party_kind IN ('buyer', 'source')),
  party_id TEXT NOT NULL,
  lead_id TEXT,
  auction_id TEXT,
  note TEXT,
  actor TEXT NOT NULL
);
CREATE INDEX ledger_at ON ledger (at);
CREATE INDEX ledger_party ON ledger (party_kind, party_id, at);
CREATE UNIQUE INDEX ledger_once ON ledger (kind, lead_id, party_kind, party_id) WHERE kind <> 'adjustment';
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;

CREATE TABLE returns (
  lead_id TEXT PRIMARY KEY,
  buyer_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  auction_id TEXT,
  price_cents INTEGER NOT NULL,
  payout_cents INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('approved', 'pending', 'refused')),
  reason TEXT,
  requested_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by TEXT,
  decision_note TEXT,
  clawback_cents INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX returns_status ON returns (status, requested_at);
CREATE INDEX returns_buyer ON returns (buyer_id, requested_at);
`);
  },
};
