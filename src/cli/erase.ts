import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eraseConsumer, type ConsumerRef } from '../engine/compliance/erase-consumer.js';
import { Store } from '../engine/store/index.js';

const USAGE = 'Usage: pingdesk erase --data-dir DIR (--lead ID | --phone P | --email E) [--suppress]';

/**
 * `pingdesk erase`: a consumer's erasure request against a stopped engine's folder (a running engine
 * holds the folder; erase from its console then). Erases every lead of the person, with `--suppress`
 * adds their phone and email to the suppression list, and prints what was done — no contact data.
 */
export async function runErase(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, lead: { type: 'string' }, phone: { type: 'string' }, email: { type: 'string' }, suppress: { type: 'boolean' } },
  });
  const dataDir = values['data-dir'];
  const named = [values.lead, values.phone, values.email].filter((v) => v !== undefined);
  if (!dataDir || named.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const ref: ConsumerRef = values.lead !== undefined ? { leadId: values.lead } : values.phone !== undefined ? { phone: values.phone } : { email: values.email as string };
  const store = Store.open({ dataDir });
  try {
    const actor = `cli:${os.userInfo().username}`;
    const r = eraseConsumer(store, ref, { actor, suppress: values.suppress === true, exportsDir: path.join(dataDir, 'exports'), now: Date.now });
    const fields = r.leads.reduce((n, l) => n + l.fields.length, 0);
    process.stdout.write(`erased ${r.leads.length} lead${r.leads.length === 1 ? '' : 's'} (${fields} contact fields), keys destroyed\n`);
    for (const l of r.leads) process.stdout.write(`  ${l.leadId}: ${[...l.fields, ...l.consent.map((k) => `consent.${k}`)].join(', ') || 'nothing left to erase'}\n`);
    if (values.suppress) process.stdout.write(`suppressed: ${r.suppressed} new entr${r.suppressed === 1 ? 'y' : 'ies'}\n`);
    if (r.exportsRemoved) process.stdout.write(`deleted ${r.exportsRemoved} export file${r.exportsRemoved === 1 ? '' : 's'} that held the consumer\n`);
    if (!r.checkpointed) process.stdout.write('warning: a reader kept the WAL open; old pages leave it at the next checkpoint\n');
    return 0;
  } finally {
    store.close();
  }
}
