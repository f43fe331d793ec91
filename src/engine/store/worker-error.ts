import Database from 'better-sqlite3';

/** An error as a store worker thread sends it back: what survives a structured clone. */
export interface WireError {
  name: string;
  code: string | null;
  message: string;
}

/** The worker side, plain JavaScript for the workers' eval'd sources: `errorOf(err)` builds a WireError. */
export const ERROR_OF_SOURCE = `const errorOf = (err) => ({ name: (err && err.name) || 'Error', code: err && typeof err.code === 'string' ? err.code : null, message: String((err && err.message) || err) });`;

/** The worker's error as the main thread would have had it: a SqliteError with the same code, so isStorageFault and the logs agree. */
export function rebuildError(e: WireError): Error {
  if (e.name === 'SqliteError' && e.code) return new Database.SqliteError(e.message, e.code);
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code) err.code = e.code;
  return err;
}
