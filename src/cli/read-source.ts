import { dirname, resolve } from 'node:path';
import { PingdeskError } from '../shared/errors.js';
import { isArchiveFile } from '../engine/store/archive.js';
import { Store } from '../engine/store/index.js';

/** The flags every read-only command takes to name what it reads: a data folder or an archive. */
export const READ_SOURCE_OPTIONS = {
  'data-dir': { type: 'string' },
  open: { type: 'string' },
} as const;

export interface ReadSource {
  store: Store;
  /** The archive file when one was opened (`--open`), else null. */
  archive: string | null;
}

/**
 * Opens the store a read-only command reads: `--data-dir DIR` (a data folder, also while an engine
 * serves it) or `--open FILE.pdarchive` (an archive, also on read-only media). Exactly one of them.
 * Returns null when neither or both are given (the caller prints its usage).
 */
export function openReadSource(values: { 'data-dir'?: string; open?: string }): ReadSource | null {
  const dataDir = values['data-dir'];
  const open = values.open;
  if ((dataDir === undefined) === (open === undefined)) return null;
  if (dataDir !== undefined) {
    if (isArchiveFile(dataDir)) throw new PingdeskError('validation_failed', `${dataDir} is an archive: open it with --open ${dataDir}`);
    return { store: Store.open({ dataDir, readonly: true }), archive: null };
  }
  const file = resolve(open as string);
  return { store: Store.open({ dataDir: dirname(file), databaseFile: file, readonly: true }), archive: file };
}
