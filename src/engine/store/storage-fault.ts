import { PingdeskError } from '../../shared/errors.js';

/**
 * SQLite result codes (and their extended forms, `SQLITE_IOERR_WRITE`, `SQLITE_BUSY_SNAPSHOT`, ...)
 * that say the storage itself failed, not the row: the same write may succeed once the disk has room
 * again, the lock is released or the file is writable. A constraint error is not among them.
 */
export const SQLITE_STORAGE_CODES: readonly string[] = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PROTOCOL', 'SQLITE_NOLFS'];
/** The same faults as Node reports them for files (logs, exports). */
const NODE_STORAGE_CODES = new Set(['ENOSPC', 'EIO', 'EROFS', 'EDQUOT']);

function codeOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** True when `err` is a fault of the storage (disk full, I/O error, locked, corrupt, read-only file). */
export function isStorageFault(err: unknown): boolean {
  if (err instanceof PingdeskError) return err.code === 'storage_unavailable';
  const code = codeOf(err);
  if (!code) return false;
  if (NODE_STORAGE_CODES.has(code)) return true;
  return SQLITE_STORAGE_CODES.some((c) => code === c || code.startsWith(`${c}_`));
}

/** "SQLITE_FULL: database or disk is full": the reason shown on /healthz and in the console. */
export function describeFault(err: unknown): string {
  if (err instanceof PingdeskError) return err.message;
  if (err instanceof Error) return `${codeOf(err) ?? err.name}: ${err.message}`;
  return String(err);
}

export function storageUnavailable(reason: string, cause?: unknown): PingdeskError {
  return new PingdeskError('storage_unavailable', `Storage is unavailable (${reason}): retry shortly`, { cause });
}

/** Runs a direct (non-queued) write; a storage fault becomes a clear `storage_unavailable` error. */
export function guardStorage<T>(write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (isStorageFault(err) && !(err instanceof PingdeskError)) throw storageUnavailable(describeFault(err), err);
    throw err;
  }
}

/** For promise chains: a storage fault becomes `storage_unavailable`, anything else passes through. */
export function rethrowStorageFault(err: unknown): never {
  guardStorage(() => {
    throw err;
  });
  throw err;
}
