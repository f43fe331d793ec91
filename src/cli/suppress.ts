import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { lockDataFolder } from '../engine/store/folder-lock.js';
import { Store } from '../engine/store/index.js';

const USAGE = 'Usage: pingdesk suppress import --data-dir DIR [--format dnc|csv] [--batch N] [--quiet] FILE\n';

/**
 * `pingdesk suppress import --data-dir DIR FILE`: phones and emails no lead may be sold for. A CSV
 * (phone/email columns, e.g. a litigator list) or a DNC registry download (one ten-digit number a
 * line, or `NPA,NXXXXXX`), told apart by its first lines unless `--format` says. Progress goes to
 * stderr as the file is read.
 */
export async function runSuppress(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, format: { type: 'string' }, batch: { type: 'string' }, quiet: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const [sub, file] = positionals;
  const format = values.format;
  // DNC numbers per transaction (default 1,000,000): smaller batches commit more often, larger ones use more memory.
  const batchSize = values.batch === undefined ? undefined : Number(values.batch);
  const badBatch = batchSize !== undefined && !(Number.isSafeInteger(batchSize) && batchSize >= 1000 && batchSize <= 5_000_000);
  if (sub !== 'import' || !file || !values['data-dir'] || badBatch || (format !== undefined && format !== 'dnc' && format !== 'csv')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const size = statSync(file).size;
  // A writer like the engine: refused while an engine holds the folder (import in its console instead).
  const lock = lockDataFolder(values['data-dir']);
  let store: Store;
  try {
    store = Store.open({ dataDir: values['data-dir'] });
  } catch (err) {
    lock.release();
    throw err;
  }
  const started = Date.now();
  let lastShown = 0;
  let lines = 0;
  let byBytes = false;
  const show = (bytes: number | null, force = false): void => {
    if (values.quiet || (!force && Date.now() - lastShown < 1000)) return;
    lastShown = Date.now();
    const pct = bytes !== null && size > 0 ? ` (${Math.min(100, Math.floor((bytes / size) * 100))}%)` : '';
    process.stderr.write(`  ${lines.toLocaleString('en-US')} lines read${pct}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  };
  try {
    const r = await store.importSuppressionCsv(file, {
      now: Date.now(),
      source: 'cli',
      format: format as 'dnc' | 'csv' | undefined,
      batchSize,
      onProgress: (n) => {
        lines = n;
        if (!byBytes) show(null);
      },
      onBytes: (bytes) => {
        byBytes = true;
        show(bytes);
      },
    });
    show(size, true);
    store.appendAudit({ leadId: null, type: 'suppression', actor: 'cli', data: { action: 'import', added: r.added, duplicates: r.duplicates, refused: r.refusedCount } });
    await store.flush();
    process.stdout.write(`${r.format === 'dnc' ? 'DNC list' : 'CSV'}: added ${r.added}, already present ${r.duplicates}, refused ${r.refusedCount}\n`);
    for (const x of r.refused.slice(0, 50)) process.stdout.write(`  line ${x.line}: "${x.value}" ${x.reason}\n`);
    if (r.refusedCount > 50) process.stdout.write(`  … and ${r.refusedCount - 50} more\n`);
    return 0;
  } finally {
    store.close();
    lock.release();
  }
}
