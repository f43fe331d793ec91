import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens a database for reading only, also where nothing may be written: a reviewer's copy on a
 * read-only mount, a DVD, a folder without write permission. A WAL-mode database needs its `-shm`
 * index beside it; SQLite can create or read one only where the folder is writable or the files
 * already exist (and better-sqlite3 is built without URI filenames, so `?immutable=1` is not
 * available). When the plain read-only open fails for that reason, the database (and its `-wal`,
 * so nothing committed is missed) is copied into a private temporary folder and opened there; the
 * copy is removed when the connection closes. The original is never written.
 */
export function openReadonlyFile(file: string): Database.Database {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // The open is lazy: the first read is where a missing -shm shows.
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db?.close();
    if (!cannotOpenInPlace(err)) throw err;
    return openTemporaryCopy(file);
  }
}

/** True when a database was opened from a temporary copy (read-only media). */
export function isTemporaryCopy(db: Database.Database): boolean {
  return path.basename(path.dirname(db.name)).startsWith(COPY_PREFIX);
}

const COPY_PREFIX = 'pingdesk-readonly-';

/** Only "cannot create or lock the WAL index here" falls back; other errors (corruption, a busy writer) surface as they are. */
const IN_PLACE_FAILURES = new Set(['SQLITE_READONLY_CANTINIT', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_CANTLOCK']);

function cannotOpenInPlace(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CANTOPEN') || IN_PLACE_FAILURES.has(code));
}

function openTemporaryCopy(file: string): Database.Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), COPY_PREFIX));
  fs.chmodSync(dir, 0o700);
  try {
    const copy = path.join(dir, path.basename(file));
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = new Database(copy, { readonly: true, fileMustExist: true });
    const close = db.close.bind(db);
    // The copy lives exactly as long as the connection.
    db.close = () => {
      try {
        return close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    return db;
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
