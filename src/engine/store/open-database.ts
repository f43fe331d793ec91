import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PingdeskError } from '../../shared/errors.js';
import { LATEST_VERSION, runMigrations, schemaVersion } from './migrations/index.js';
import { openReadonlyFile } from './read-only-media.js';

export type Durability = 'normal' | 'full';

export interface OpenDatabaseOptions {
  dataDir: string;
  /** For reviewers opening a copy offline: no migration, no write, the schema must match exactly. */
  readonly?: boolean;
  /**
   * 'normal' (WAL + synchronous=NORMAL) survives a killed process; a power loss may drop the last
   * commits. 'full' also fsyncs each commit, which survives power loss at the cost of throughput.
   */
  durability?: Durability;
  now?: () => number;
  /** Read this database file (an archive) instead of the data folder's; read-only opens only. */
  databaseFile?: string;
}

export const DATABASE_FILE = 'pingdesk.db';
/**
 * How long a write waits for a lock held by another connection. The wait blocks the event loop, so it
 * is short: past it the write queue treats the database as unavailable (503) and retries on its own.
 */
export const BUSY_TIMEOUT_MS = 1000;

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

/** The settings of every connection that writes (the store's own and the writer thread's). */
export function connectionPragmas(durability: Durability | undefined): string[] {
  return [
    'journal_mode = WAL',
    `synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`,
    // No foreign keys are declared: the hot path writes children before parents inside one batch.
    'foreign_keys = OFF',
    `busy_timeout = ${BUSY_TIMEOUT_MS}`,
    // Freed bytes are zeroed, so an erased value leaves no copy in free pages or cell gaps.
    'secure_delete = ON',
    'temp_store = MEMORY',
    'cache_size = -32000',
  ];
}

export function openDatabase(opts: OpenDatabaseOptions): Database.Database {
  if (opts.databaseFile && !opts.readonly) throw new PingdeskError('read_only', 'An archive opens read-only');
  const file = opts.databaseFile ?? databasePath(opts.dataDir);
  return opts.readonly ? openReadonly(file) : openWritable(opts, file);
}

function openWritable(opts: OpenDatabaseOptions, file: string): Database.Database {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = new Database(file);
  try {
    for (const p of connectionPragmas(opts.durability)) db.pragma(p);
    runMigrations(db, { now: opts.now ?? Date.now });
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function openReadonly(file: string): Database.Database {
  if (!fs.existsSync(file)) {
    throw new PingdeskError('not_found', `No Pingdesk database at ${file}`);
  }
  const db = openReadonlyFile(file);
  try {
    db.pragma('busy_timeout = 5000');
    assertCurrentSchema(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** A read-only open cannot migrate, so it accepts only the exact schema this code was built for. */
export function assertCurrentSchema(db: Database.Database): void {
  const version = schemaVersion(db);
  if (version > LATEST_VERSION) {
    throw new PingdeskError('database_too_new', `The database has schema version ${version}; this Pingdesk knows up to ${LATEST_VERSION}. Use a newer Pingdesk.`);
  }
  if (version < LATEST_VERSION) {
    throw new PingdeskError('read_only', `The database has schema version ${version} and needs an upgrade to ${LATEST_VERSION}; open it once without read-only mode (on a copy) to upgrade it.`);
  }
}

/** A second, read-only connection to the same file, for long streaming reads (export, verify). */
export function openReader(file: string): Database.Database {
  const db = openReadonlyFile(file);
  db.pragma('busy_timeout = 5000');
  return db;
}
