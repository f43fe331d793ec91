import { parseArgs } from 'node:util';
import { createArchive } from '../engine/store/archive.js';

export const ARCHIVE_USAGE = 'pingdesk archive --data-dir DIR --out FILE.pdarchive [--signing-key FILE]';

/**
 * `pingdesk archive`: a consistent copy of a data folder in one file, also while `pingdesk serve`
 * runs on the folder (it takes no lock). Review it with `pingdesk serve --open FILE`, or pass
 * `--open FILE` to `audit verify`, `audit public-key` and `export`.
 */
export async function runArchive(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, 'signing-key': { type: 'string' } },
  });
  if (!values['data-dir'] || !values.out) {
    process.stderr.write(`Usage: ${ARCHIVE_USAGE}\n`);
    return 2;
  }
  const r = await createArchive({ dataDir: values['data-dir'], out: values.out, signingKeyFile: values['signing-key'] });
  process.stdout.write(`archive written to ${r.file}: ${r.leads} leads, audit events up to seq ${r.lastSeq ?? 'none'}, ${r.bytes} bytes\n`);
  process.stdout.write(r.witness ? `newest signed checkpoint included: seq ${r.witness.seq}\n` : 'no checkpoint witness found beside the signing key; the archive carries its signed checkpoints only\n');
  return 0;
}
