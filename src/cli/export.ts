import { parseArgs } from 'node:util';
import { openReadSource, READ_SOURCE_OPTIONS } from './read-source.js';

const KINDS = new Set(['leads', 'audit', 'auctions', 'ledger']);

function parseTime(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`${flag} is not a date or time: "${v}"`);
  return t;
}

/** `pingdesk export leads|audit|auctions|ledger (--data-dir DIR | --open FILE.pdarchive) [--from --to] --out FILE.csv`, streamed. */
export async function runExport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...READ_SOURCE_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  const kind = positionals[0];
  const source = kind && KINDS.has(kind) && values.out ? openReadSource(values) : null;
  if (!source || !values.out) {
    process.stderr.write('Usage: pingdesk export leads|audit|auctions|ledger (--data-dir DIR | --open FILE.pdarchive) [--from ISO] [--to ISO] --out FILE.csv\n');
    return 2;
  }
  const { store } = source;
  try {
    const { rows } = await store.exportCsv(kind as 'leads' | 'audit' | 'auctions' | 'ledger', { from: parseTime(values.from, '--from'), to: parseTime(values.to, '--to'), out: values.out });
    process.stdout.write(`exported ${rows} ${kind} rows to ${values.out}\n`);
    return 0;
  } finally {
    store.close();
  }
}
