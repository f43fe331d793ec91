import type { Database } from 'better-sqlite3';
import { isContactField } from '../../../shared/contact-fields.js';
import type { Migration } from './migration.js';

/**
 * Crypto-shredding. `leads.lead_key` holds one random key per lead, written with the lead row (no
 * extra write on the hot path); the audit trail refers to a lead's contact values only through HMACs
 * under that key, so erasure destroys the key and the trail's references become unlinkable and cannot
 * be brute-forced (the trail itself stays append-only). Leads already stored get a key on first use.
 * `leads.contact_fields_json` records at intake which fields the campaign flagged as contact data,
 * so erasure never depends on today's configuration. Leads already stored get the list their
 * campaign gives now, or the shared contact names when the campaign is gone.
 */
export const leadKeys: Migration = {
  version: 60,
  name: 'lead-keys',
  up(db) {
    db.exec(`
ALTER TABLE leads ADD COLUMN lead_key BLOB;
ALTER TABLE leads ADD COLUMN contact_fields_json TEXT;
`);
    backfillContactFields(db);
  },
};

type FieldSpecs = Record<string, { type: string; contact?: boolean }>;

function backfillContactFields(db: Database): void {
  const campaigns = new Map<string, FieldSpecs>();
  for (const row of db.prepare('SELECT id, json FROM campaigns').iterate() as Iterable<{ id: string; json: string }>) {
    try {
      campaigns.set(row.id, ((JSON.parse(row.json) as { fields?: FieldSpecs }).fields ?? {}));
    } catch {
      // A campaign row that does not parse contributes nothing; the shared names still apply below.
    }
  }
  const update = db.prepare('UPDATE leads SET contact_fields_json = ? WHERE id = ?');
  const rows = db.prepare('SELECT id, campaign_id, fields_json FROM leads WHERE erased_at IS NULL').all() as Array<{ id: string; campaign_id: string; fields_json: string }>;
  for (const row of rows) {
    const specs = campaigns.get(row.campaign_id) ?? {};
    const names = new Set(Object.keys(specs).filter((name) => isContactField(name, specs[name])));
    for (const name of Object.keys(JSON.parse(row.fields_json) as object)) if (isContactField(name, specs[name])) names.add(name);
    update.run(JSON.stringify([...names].sort()), row.id);
  }
}
