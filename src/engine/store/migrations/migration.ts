import type { Database } from 'better-sqlite3';

export interface MigrationContext {
  now: () => number;
}

/**
 * One schema version. `up` runs inside the transaction that also sets `PRAGMA user_version`,
 * so a migration either lands whole or not at all. Versions go in steps of 10.
 */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database, ctx: MigrationContext) => void;
}
