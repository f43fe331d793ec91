import { parseArgs } from 'node:util';
import { Store } from '../engine/store/index.js';

const KINDS = new Set(['leads', 'audit', 'auctions']);

function parseTime(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`${flag} is not a date or time: "${v}"`);
  return t;
}

/** `pingdesk export leads|audit|auctions --data-dir DIR [--from --to] --out FILE.csv`, streamed. */
export async function runExport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  const kind = positionals[0];
  if (!kind || !KINDS.has(kind) || !values['data-dir'] || !values.out) {
    process.stderr.write('Usage: pingdesk export leads|audit|auctions --data-dir DIR [--from ISO] [--to ISO] --out FILE.csv\n');
    return 2;
  }
  const store = Store.open({ dataDir: values['data-dir'], readonly: true });
  try {
    const { rows } = await store.exportCsv(kind as 'leads' | 'audit' | 'auctions', { from: parseTime(values.from, '--from'), to: parseTime(values.to, '--to'), out: values.out });
    process.stdout.write(`exported ${rows} ${kind} rows to ${values.out}\n`);
    return 0;
  } finally {
    store.close();
  }
}
