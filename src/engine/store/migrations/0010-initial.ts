import { randomBytes } from 'node:crypto';
import type { Migration } from './migration.js';

/**
 * The first schema. Times are epoch ms (INTEGER), money integer cents, booleans 0/1.
 * Tables written on every lead avoid indexes nothing reads; fingerprints, suppression, cap usage and
 * meta are WITHOUT ROWID so their primary key is the only b-tree written.
 */
const SCHEMA = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE campaigns (id TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE sources   (id TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE buyers    (id TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at INTEGER NOT NULL);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('source', 'buyer')),
  owner_id TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  prefix TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX api_keys_owner ON api_keys (owner_kind, owner_id);

CREATE TABLE leads (
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  test INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  fields_json TEXT NOT NULL,
  consent_json TEXT NOT NULL,
  phone_hash TEXT,
  email_hash TEXT,
  state TEXT,
  zip TEXT,
  price_cents INTEGER,
  payout_cents INTEGER,
  buyer_id TEXT,
  erased_at INTEGER
);
CREATE INDEX leads_received ON leads (received_at);
CREATE INDEX leads_phone ON leads (phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX leads_email ON leads (email_hash) WHERE email_hash IS NOT NULL;
-- Only leads in limbo, so start-up recovery reads a tiny index instead of the whole table.
CREATE INDEX leads_unsettled ON leads (status) WHERE status IN ('received', 'auctioning');

CREATE TABLE auctions (
  id TEXT PRIMARY KEY,
  lead_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  test INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  ended_at INTEGER,
  tier_reached INTEGER,
  winner_buyer_id TEXT,
  price_cents INTEGER,
  payout_cents INTEGER,
  margin_cents INTEGER,
  floor_cents INTEGER,
  latency_ms REAL,
  reason TEXT
);
CREATE INDEX auctions_started ON auctions (started_at, id);
CREATE INDEX auctions_campaign ON auctions (campaign_id, started_at, id);
CREATE INDEX auctions_status ON auctions (status, started_at, id);
CREATE INDEX auctions_winner ON auctions (winner_buyer_id, started_at, id) WHERE winner_buyer_id IS NOT NULL;
CREATE INDEX auctions_lead ON auctions (lead_id);

CREATE TABLE pings (
  id INTEGER PRIMARY KEY,
  auction_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  buyer_id TEXT NOT NULL,
  tier_index INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  latency_ms REAL,
  outcome TEXT NOT NULL,
  bid_cents INTEGER,
  floor_cents INTEGER NOT NULL,
  reason TEXT,
  http_status INTEGER
);
CREATE INDEX pings_auction ON pings (auction_id, buyer_id);
CREATE INDEX pings_buyer ON pings (buyer_id, sent_at);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  auction_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  buyer_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  latency_ms REAL,
  outcome TEXT NOT NULL,
  price_cents INTEGER NOT NULL,
  reason TEXT,
  buyer_ref TEXT,
  http_status INTEGER
);
CREATE INDEX posts_auction ON posts (auction_id);
CREATE INDEX posts_buyer ON posts (buyer_id, sent_at);

CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  lead_id TEXT,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_lead ON audit_events (lead_id) WHERE lead_id IS NOT NULL;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

CREATE TABLE cap_usage (
  buyer_id TEXT NOT NULL,
  "window" TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  spend_cents INTEGER NOT NULL,
  PRIMARY KEY (buyer_id, "window", window_start)
) WITHOUT ROWID;

CREATE TABLE suppression (
  kind TEXT NOT NULL CHECK (kind IN ('phone', 'email')),
  hash TEXT NOT NULL,
  hint TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (kind, hash)
) WITHOUT ROWID;
CREATE INDEX suppression_added ON suppression (added_at);

CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  lead_id TEXT NOT NULL,
  buyer_id TEXT NOT NULL,
  event TEXT NOT NULL,
  reason TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX feedback_buyer ON feedback (buyer_id, at);
CREATE INDEX feedback_at ON feedback (at);
CREATE INDEX feedback_lead ON feedback (lead_id);

CREATE TABLE fingerprints (
  campaign_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('phone', 'email')),
  hash TEXT NOT NULL,
  at INTEGER NOT NULL,
  lead_id TEXT NOT NULL,
  PRIMARY KEY (campaign_id, kind, hash, at, lead_id)
) WITHOUT ROWID;
`;

export const initial: Migration = {
  version: 10,
  name: 'initial',
  up(db, ctx) {
    db.exec(SCHEMA);
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    // The salt makes contact hashes useless outside this data folder; it never leaves the database.
    put.run('contact_salt', randomBytes(32).toString('hex'));
    put.run('created_at', String(ctx.now()));
  },
};
