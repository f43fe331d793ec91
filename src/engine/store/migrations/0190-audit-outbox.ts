import type { Migration } from './migration.js';

/**
 * A copy of the audit event of each direct change (configuration, suppression), written in the
 * change's own transaction and removed once the chain's queued event has committed. See
 * audit-outbox.ts: a change never stays stored without its event, even if the process is killed.
 */
export const auditOutbox: Migration = {
  version: 190,
  name: 'audit-outbox',
  up(db) {
    db.exec('CREATE TABLE audit_outbox (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, event TEXT NOT NULL);');
  },
};
