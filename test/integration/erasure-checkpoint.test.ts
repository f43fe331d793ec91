import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import { makeLead, makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

let dir: string;
beforeEach(() => {
  dir = makeTempDir('pingdesk-erasure-wal-');
});
afterEach(() => removeDir(dir));

const PHONE = '+15125550177';
const NAME = 'Ottoline';

function folderHolds(needle: string): string[] {
  return fs.readdirSync(dir).filter((f) => fs.readFileSync(path.join(dir, f)).toString('latin1').includes(needle));
}

it('a reader holding an old snapshot delays the WAL truncation; the erasure says so, and the next commit after it lets go removes the old pages', async () => {
  const store = Store.open({ dataDir: dir, now: () => T0 });
  store.insertLead(makeLead('lead-1', { fields: { first_name: NAME, phone: PHONE, state: 'TX' } }));
  await store.flush();
  // A second connection (an export in progress, a reviewer's sqlite3 shell) pins the snapshot that still holds the lead.
  const reader = new Database(databasePath(dir), { readonly: true });
  reader.prepare('BEGIN').run();
  expect(reader.prepare("SELECT fields_json FROM leads WHERE id = 'lead-1'").get()).toEqual({ fields_json: expect.stringContaining(NAME) });

  const result = store.eraseLeads(['lead-1'], { actor: 'compliance', by: 'lead' });
  expect(result.checkpointed).toBe(false);
  expect(result.leads[0].fields).toEqual(['first_name', 'phone']);
  // The pinned snapshot still reads the old row, so its bytes are still in the folder.
  expect(folderHolds(NAME).length).toBeGreaterThan(0);

  reader.prepare('COMMIT').run();
  // The engine's next commit retries the truncation, which now lands, while the store stays open.
  store.insertLead(makeLead('lead-2', { fields: { first_name: 'Someone', state: 'TX' } }));
  await store.flush();
  expect(fs.statSync(`${databasePath(dir)}-wal`).size).toBe(0);
  expect(folderHolds(NAME)).toEqual([]);
  reader.close();
  store.close();
  expect(folderHolds(NAME)).toEqual([]);
  expect(folderHolds(PHONE)).toEqual([]);
  const again = Store.open({ dataDir: dir, readonly: true });
  expect(again.verifyAudit()).toMatchObject({ ok: true });
  again.close();
}, 20_000);
