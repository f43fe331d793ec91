import type { Migration } from './migration.js';

/**
 * Do-not-call registry lists at registry scale. A DNC download holds millions of numbers; stored
 * as `suppression` rows (a 64-character hash in two b-trees, ~200 bytes a number) ten million of
 * them take gigabytes and an import rewrites most pages of both trees for every batch. Here a
 * number is one integer key: the first 52 bits of the same salted hash (a rowid, ~12 bytes a
 * number), and where it came from is kept once per list. 52 bits keep an unrelated phone's
 * chance of matching ten million keys near 2e-9, and a match only ever suppresses.
 */
export const suppressionNumbers: Migration = {
  version: 50,
  name: 'suppression-numbers',
  up(db) {
    db.exec(`
CREATE TABLE suppression_lists (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  numbers INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE suppression_numbers (
  key INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL
);
`);
  },
};
