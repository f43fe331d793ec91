import type { Database } from 'better-sqlite3';
import { PingdeskError } from '../../../shared/errors.js';
import { initial } from './0010-initial.js';
import { reportIndexes } from './0020-report-indexes.js';
import { idempotencyKeys } from './0030-idempotency-keys.js';
import { auditCheckpoints } from './0040-audit-checkpoints.js';
import { suppressionNumbers } from './0050-suppression-numbers.js';
import { leadKeys } from './0060-lead-keys.js';
import { leadScreenings } from './0080-lead-screenings.js';
import { ledger } from './0100-ledger.js';
import { intakeRefusals } from './0110-intake-refusals.js';
import { placementMoves } from './0120-placement-moves.js';
import { market } from './0140-market.js';
import { auctionAbVariant } from './0150-auction-ab-variant.js';
import { configChangesIndex } from './0170-config-changes-index.js';
import { reportRollups } from './0160-report-rollups.js';
import { rollupWatermarks } from './0180-rollup-watermarks.js';
import { auditOutbox } from './0190-audit-outbox.js';
import type { Migration, MigrationContext } from './migration.js';

export type { Migration, MigrationContext } from './migration.js';

/** Every schema version, oldest first. Append only; never edit a released migration. */
export const MIGRATIONS: readonly Migration[] = [initial, reportIndexes, idempotencyKeys, auditCheckpoints, suppressionNumbers, leadKeys, leadScreenings, ledger, intakeRefusals, placementMoves, market, auctionAbVariant, reportRollups, configChangesIndex, rollupWatermarks, auditOutbox];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to the newest version this code knows, one transaction per migration.
 * A database written by a newer Pingdesk is refused rather than guessed at.
 */
export function runMigrations(db: Database, ctx: MigrationContext, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations[migrations.length - 1].version;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new PingdeskError('database_too_new', `The database has schema version ${current}; this Pingdesk knows up to ${latest}. Use a newer Pingdesk.`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db, ctx);
      // user_version lives in the file header and is part of the same transaction.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }).immediate();
  }
  return schemaVersion(db);
}
