import fs from 'node:fs';
import path from 'node:path';
import { LOCK_FILE, LOCK_OWNER_FILE } from './folder-lock.js';
import { DATABASE_FILE } from './open-database.js';

/**
 * A data folder holds consumers' contact data, so it is private to its user: the folder and its
 * sub-folders 0700, every file 0600. New files are created with the mode (SQLite gives its -wal and
 * -shm files the mode of the database file, so creating that one 0600 covers all three); files an
 * older version left readable are tightened at start.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export const LOGS_DIR = 'logs';
export const LOG_FILE = 'pingdesk.log';
export const EXPORTS_DIR = 'exports';

/** Creates the folder (0700) if needed and tightens an existing one. */
export function preparePrivateFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates the database and log files 0600 before anything else opens them, and chmods what is
 * already there: the database trio, the lock files, logs and exports.
 */
export function makeDataFilesPrivate(dataDir: string): void {
  preparePrivateFolder(dataDir);
  createPrivateFile(path.join(dataDir, DATABASE_FILE));
  for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-journal`, LOCK_FILE, LOCK_OWNER_FILE]) {
    chmodIfPresent(path.join(dataDir, name), PRIVATE_FILE_MODE);
  }
  const logs = path.join(dataDir, LOGS_DIR);
  preparePrivateFolder(logs);
  createPrivateFile(path.join(logs, LOG_FILE));
  tightenTree(logs);
  const exports = path.join(dataDir, EXPORTS_DIR);
  if (fs.existsSync(exports)) {
    fs.chmodSync(exports, PRIVATE_DIR_MODE);
    tightenTree(exports);
  }
}

/** An empty file is a valid new SQLite database, so pre-creating it only fixes its mode. */
function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function chmodIfPresent(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function tightenTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      fs.chmodSync(full, PRIVATE_DIR_MODE);
      tightenTree(full);
    } else if (entry.isFile()) {
      chmodIfPresent(full, PRIVATE_FILE_MODE);
    }
  }
}
