import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PingdeskError } from '../../shared/errors.js';
import { DATABASE_ID_KEY, type AuditCheckpoint } from './audit-checkpoints.js';
import { assertCurrentSchema, databasePath, openReader } from './open-database.js';
import { PRIVATE_FILE_MODE } from './private-files.js';
import { signingKeyFile, witnessFile } from './signing-key.js';

/** How an archive file's name ends. */
export const ARCHIVE_EXTENSION = '.pdarchive';

/** Meta keys an archive carries beside the store's own. */
export const ARCHIVE_META = {
  createdAt: 'archive_created_at',
  /** The newest signed checkpoint kept outside the database when the archive was taken (JSON). */
  witness: 'archive_witness',
} as const;

export interface ArchiveOptions {
  dataDir: string;
  out: string;
  /** The engine's signing key file when it is not at the default place (`serve --signing-key`). */
  signingKeyFile?: string;
  now?: () => number;
}

export interface ArchiveResult {
  file: string;
  bytes: number;
  lastSeq: number | null;
  leads: number;
  /** The witness checkpoint included, or null when none was found beside the signing key. */
  witness: AuditCheckpoint | null;
}

/**
 * A consistent copy of a data folder's database in one file, for a reviewer: taken with SQLite's
 * online backup API through a read connection, so it works while an engine serves the folder (no
 * folder lock is taken) and sees one committed state of it. The whole database is copied in one
 * backup step, which holds a single read snapshot: writers go on (WAL), and the copy never restarts
 * because of them. The copy is then made self-standing: rollback journal (no -wal or -shm needed, so
 * it opens from read-only media), the witness checkpoint of the signing key added to its meta, file
 * mode 0600. It is written under a temporary name and renamed, so a half-made archive never has the
 * final name.
 */
export async function createArchive(opts: ArchiveOptions): Promise<ArchiveResult> {
  const source = databasePath(opts.dataDir);
  if (!fs.existsSync(source)) throw new PingdeskError('not_found', `No Pingdesk database at ${source}`);
  const out = path.resolve(opts.out);
  if (fs.existsSync(out)) throw new PingdeskError('conflict', `${out} already exists; archives are never overwritten`);
  const reader = openReader(source);
  const partial = `${out}.partial-${process.pid}`;
  try {
    assertCurrentSchema(reader);
    // Read before the copy: the engine stores a checkpoint before it writes the witness, so the
    // witness read now names a checkpoint the copy holds.
    const witness = readWitness(reader, opts.signingKeyFile);
    fs.writeFileSync(partial, '', { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    await reader.backup(partial, { progress: ({ totalPages }) => Math.max(totalPages, 1) * 2 });
    const summary = finishArchive(partial, witness, (opts.now ?? Date.now)());
    fs.chmodSync(partial, PRIVATE_FILE_MODE);
    fs.renameSync(partial, out);
    return { file: out, bytes: fs.statSync(out).size, ...summary };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    fs.rmSync(`${partial}-journal`, { force: true });
    throw err;
  } finally {
    reader.close();
  }
}

/** Whether a path names an archive file rather than a data folder. */
export function isArchiveFile(p: string): boolean {
  return p.endsWith(ARCHIVE_EXTENSION) && fs.existsSync(p) && fs.statSync(p).isFile();
}

/** The witness checkpoint an archive carries, or null (read through `Store.readMeta`). */
export function archiveWitness(store: { readMeta(key: string): string | null }): AuditCheckpoint | null {
  const value = store.readMeta(ARCHIVE_META.witness);
  return value ? (JSON.parse(value) as AuditCheckpoint) : null;
}

function readWitness(db: Database.Database, keyFile: string | undefined): AuditCheckpoint | null {
  const id = db.prepare('SELECT value FROM meta WHERE key = ?').get(DATABASE_ID_KEY) as { value: string } | undefined;
  if (!id) return null;
  const file = witnessFile(signingKeyFile(id.value, { file: keyFile }));
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as AuditCheckpoint;
  } catch {
    // No witness here (no engine signed on this machine, or it is not readable): the archive still
    // carries its signed checkpoints; a reviewer can be given the witness separately.
    return null;
  }
}

function finishArchive(file: string, witness: AuditCheckpoint | null, now: number): Omit<ArchiveResult, 'file' | 'bytes'> {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('secure_delete = ON');
    const held = witness ? db.prepare('SELECT 1 FROM audit_checkpoints WHERE seq = ? AND hash = ?').get(witness.seq, witness.hash) : undefined;
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    db.transaction(() => {
      put.run(ARCHIVE_META.createdAt, String(now));
      if (held && witness) put.run(ARCHIVE_META.witness, JSON.stringify(witness));
    })();
    const last = db.prepare('SELECT MAX(seq) AS seq FROM audit_events').get() as { seq: number | null };
    const leads = (db.prepare('SELECT COUNT(*) AS n FROM leads').get() as { n: number }).n;
    return { lastSeq: last.seq, leads, witness: held ? witness : null };
  } finally {
    db.close();
  }
}
