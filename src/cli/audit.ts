import { parseArgs } from 'node:util';
import { Store } from '../engine/store/index.js';

/** `pingdesk audit verify --data-dir DIR`: exit 0 when intact, 1 with the first bad seq otherwise. */
export async function runAudit(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, allowPositionals: true });
  if (positionals[0] !== 'verify' || !values['data-dir']) {
    process.stderr.write('Usage: pingdesk audit verify --data-dir DIR\n');
    return 2;
  }
  const store = Store.open({ dataDir: values['data-dir'], readonly: true });
  try {
    const result = await store.verifyAuditAsync();
    if (result.ok) {
      process.stdout.write(`audit trail intact: ${result.count} events, last seq ${result.lastSeq}\n`);
      return 0;
    }
    process.stdout.write(`audit trail BROKEN at seq ${result.firstBadSeq} (${result.problem}) after ${result.count} good events\n`);
    return 1;
  } finally {
    store.close();
  }
}
