import { PingdeskError } from '../../shared/errors.js';

const CORRUPT_CODES = ['SQLITE_CORRUPT', 'SQLITE_NOTADB'];

/**
 * A database SQLite cannot read is refused at start with what to do, never "repaired": the hash
 * chain is the evidence, and a guess at what a damaged page held would break it.
 */
export function corruptDatabaseRefusal(err: unknown, file: string, dataDir: string): PingdeskError | null {
  const code = (err as { code?: unknown } | null)?.code;
  // better-sqlite3 reports extended codes too (SQLITE_CORRUPT_INDEX, ...).
  if (typeof code !== 'string' || !CORRUPT_CODES.some((c) => code === c || code.startsWith(`${c}_`))) return null;
  return new PingdeskError(
    'database_corrupt',
    `The database ${file} is damaged (${code}: ${(err as Error).message}); Pingdesk will not start on it. ` +
      `Restore the data folder from a backup or an archive (pingdesk archive), check the copy with ` +
      `\`pingdesk audit verify --data-dir ${dataDir}\`, and keep the damaged folder aside for inspection.`,
    { cause: err },
  );
}
