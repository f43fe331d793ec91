import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PingdeskError } from '../../shared/errors.js';

export const LOCK_FILE = 'pingdesk.lock';
export const LOCK_OWNER_FILE = 'pingdesk.lock.json';

/** Who holds a data folder, as the holder wrote it after taking the lock. */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface FolderLock {
  readonly dataDir: string;
  /** Idempotent. Process death releases the lock too, without this call. */
  release(): void;
}

/**
 * One engine per data folder. The lock is an exclusive SQLite transaction held open on a separate
 * file: SQLite takes it with POSIX fcntl locks, which the OS drops when the process dies (kill -9
 * leaves nothing stale behind), and which SQLite also refuses to a second connection in the same
 * process. It is taken before the database is opened, so a refused start touches nothing.
 *
 * Invariant: nothing in this process may open and close `pingdesk.lock` with plain fs calls while
 * it is held — closing any descriptor of a file drops every fcntl lock the process has on it.
 * The holder's identity therefore lives in a separate owner file.
 */
export function lockDataFolder(dataDir: string, now: () => number = Date.now): FolderLock {
  const file = path.join(dataDir, LOCK_FILE);
  let db: Database.Database | null = null;
  try {
    db = new Database(file);
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    // No rollback journal beside the lock: the transaction writes nothing, and a journal file would
    // be created with the process umask rather than private.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db?.close();
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw folderLockedError(dataDir);
    throw err;
  }
  fs.chmodSync(file, 0o600);
  writeOwner(dataDir, { pid: process.pid, host: os.hostname(), startedAt: new Date(now()).toISOString() });
  const held = db;
  let released = false;
  return {
    dataDir,
    release() {
      if (released) return;
      released = true;
      try {
        fs.rmSync(path.join(dataDir, LOCK_OWNER_FILE), { force: true });
      } finally {
        held.close();
      }
    },
  };
}

/** The owner file of a folder, or null when it is missing or unreadable (a holder that just started). */
export function readLockOwner(dataDir: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, host: String(owner.host ?? ''), startedAt: String(owner.startedAt ?? '') } : null;
  } catch {
    return null;
  }
}

function writeOwner(dataDir: string, owner: LockOwner): void {
  const file = path.join(dataDir, LOCK_OWNER_FILE);
  // A stale owner file (left by a killed holder) may be replaced: the lock, not this file, is the truth.
  fs.writeFileSync(file, `${JSON.stringify(owner)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

function folderLockedError(dataDir: string): PingdeskError {
  const owner = readLockOwner(dataDir);
  const who = owner
    ? `process ${owner.pid}${owner.host && owner.host !== os.hostname() ? ` on ${owner.host}` : ''} (started ${owner.startedAt})`
    : 'another process';
  return new PingdeskError(
    'folder_locked',
    `The data folder ${dataDir} is in use by ${who}. Only one Pingdesk engine may run on a folder: stop that one, or use --read-only to review a copy.`,
  );
}
