import { parseArgs } from 'node:util';
import { lockDataFolder } from '../engine/store/folder-lock.js';
import { Store } from '../engine/store/index.js';

/** `pingdesk suppress import --data-dir DIR FILE.csv`: phones and emails no lead may be sold for. */
export async function runSuppress(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, allowPositionals: true });
  const [sub, file] = positionals;
  if (sub !== 'import' || !file || !values['data-dir']) {
    process.stderr.write('Usage: pingdesk suppress import --data-dir DIR FILE.csv\n');
    return 2;
  }
  // A writer like the engine: refused while an engine holds the folder (import in its console instead).
  const lock = lockDataFolder(values['data-dir']);
  let store: Store;
  try {
    store = Store.open({ dataDir: values['data-dir'] });
  } catch (err) {
    lock.release();
    throw err;
  }
  try {
    const r = await store.importSuppressionCsv(file, { now: Date.now(), source: 'cli' });
    store.appendAudit({ leadId: null, type: 'suppression', actor: 'cli', data: { action: 'import', added: r.added, duplicates: r.duplicates, refused: r.refused.length } });
    await store.flush();
    process.stdout.write(`added ${r.added}, already present ${r.duplicates}, refused ${r.refused.length}\n`);
    for (const x of r.refused.slice(0, 50)) process.stdout.write(`  line ${x.line}: "${x.value}" ${x.reason}\n`);
    if (r.refused.length > 50) process.stdout.write(`  … and ${r.refused.length - 50} more\n`);
    return 0;
  } finally {
    store.close();
    lock.release();
  }
}
