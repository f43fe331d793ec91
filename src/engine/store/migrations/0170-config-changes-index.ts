import type { Migration } from './migration.js';

/**
 * Configuration changes (`config` audit events) by time, for the change markers on Live and Reports.
 * A partial index: it holds the few config events only, not the millions of per-lead events, so the
 * markers of any window are an index range read however long the trail grows.
 */
export const configChangesIndex: Migration = {
  version: 170,
  name: 'config-changes-index',
  up(db) {
    db.exec("CREATE INDEX audit_config_at ON audit_events (at, seq) WHERE type = 'config';");
  },
};
