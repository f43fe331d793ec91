/**
 * What the hourly pruning of expired duplicate fingerprints costs the event loop:
 * `npx tsx bench/prune-cost.ts [--leads 1000000] [--repeats 3]`.
 * Fills a fresh store's `fingerprints` with a phone and an email per lead over the last 30 days, then
 * prunes the oldest hour's worth, alternately: on the store's own connection (one DELETE, the way the
 * engine did it before: the loop waits for all of it) and through `Store.pruneExpired` in the WAL
 * checkpointer's worker (a page per short transaction), with the loop's longest delay measured
 * meanwhile (`monitorEventLoopDelay`, 1 ms resolution). The pruned rows are put back between runs.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { databasePath, Store } from '../src/engine/store/index.js';
import { scratchDir } from './lib/child.js';
import { machineInfo } from './lib/machine.js';
import { table } from './lib/report.js';

const { values } = parseArgs({ options: { leads: { type: 'string' }, repeats: { type: 'string' } } });
const LEADS = Number(values.leads ?? 1_000_000);
const REPEATS = Number(values.repeats ?? 3);
const HOUR = 3_600_000;
const SPAN = 30 * 24 * HOUR;
const log = (line: string) => process.stderr.write(`${line}\n`);

const machine = machineInfo();
log(`prune cost: ${LEADS.toLocaleString('en-US')} leads (2 fingerprints each) over 30 days; ${machine.nproc} cores, load average ${machine.loadAvgAtStart.join(' / ')}`);
const scratch = scratchDir('pingdesk-bench-prune-', false);
const now = Date.now();
Store.open({ dataDir: scratch.dir, now: () => now }).close();
const raw = new Database(databasePath(scratch.dir));
raw.pragma('journal_mode = WAL');
const insert = raw.prepare('INSERT INTO fingerprints (campaign_id, kind, hash, at, lead_id) VALUES (?, ?, ?, ?, ?)');
const hex = (i: number, salt: string) => `${salt}${i.toString(16).padStart(12, '0')}`.padEnd(64, 'f');
const rowsOf = (from: number, to: number) => {
  const out: Array<[string, string, string, number, string]> = [];
  for (let i = from; i < to; i++) {
    const at = now - SPAN + Math.floor((i * SPAN) / LEADS);
    const campaign = `camp-${i % 3}`;
    out.push([campaign, 'phone', hex((i * 2654435761) % 2 ** 32, 'p'), at, `lead-${i}`], [campaign, 'email', hex((i * 40503) % 2 ** 32, 'e'), at, `lead-${i}`]);
  }
  return out;
};
const put = raw.transaction((rows: Array<[string, string, string, number, string]>) => {
  for (const r of rows) insert.run(...r);
});
let t = performance.now();
for (let i = 0; i < LEADS; i += 100_000) put(rowsOf(i, Math.min(LEADS, i + 100_000)));
log(`  filled in ${((performance.now() - t) / 1000).toFixed(1)} s`);
// The oldest hour: what an hourly run deletes.
const cut = now - SPAN + HOUR;
const expiredLeads = Math.ceil((HOUR * LEADS) / SPAN);
const expired = rowsOf(0, expiredLeads + 1).filter((r) => r[3] < cut);
raw.close();

const store = Store.open({ dataDir: scratch.dir, now: () => now, writerThread: false });
store.startWalCheckpoints(60_000);
const ms = (x: number) => Math.round(x * 10) / 10;
const runs: Array<{ way: string; rows: number; ms: number; loopMaxMs: number }> = [];
const putBack = () => {
  const db = new Database(databasePath(scratch.dir));
  const reinsert = db.prepare('INSERT OR IGNORE INTO fingerprints (campaign_id, kind, hash, at, lead_id) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of expired) reinsert.run(...r);
  })();
  db.close();
};
for (let i = 0; i < REPEATS; i++) {
  t = performance.now();
  const rows = store.pruneFingerprints(cut);
  const syncMs = performance.now() - t;
  runs.push({ way: 'one DELETE on the loop', rows, ms: ms(syncMs), loopMaxMs: ms(syncMs) });
  log(`  on the loop: ${rows} rows in ${ms(syncMs)} ms`);
  putBack();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  t = performance.now();
  const r = await store.pruneExpired({ fingerprintsBefore: cut, keysBefore: 0 });
  const asyncMs = performance.now() - t;
  delay.disable();
  runs.push({ way: 'checkpoint worker, pages', rows: r.fingerprints, ms: ms(asyncMs), loopMaxMs: ms(delay.max / 1e6) });
  log(`  in the worker: ${r.fingerprints} rows in ${ms(asyncMs)} ms, loop's longest stall ${ms(delay.max / 1e6)} ms`);
  putBack();
}
store.close();
scratch.remove();
process.stdout.write(`\n${table([['way', 'rows', 'ms', "loop's longest stall ms"], ...runs.map((r) => [r.way, `${r.rows}`, `${r.ms}`, `${r.loopMaxMs}`])])}\n`);
