/**
 * Who should fold the report rollups' tails in (rollup-catch-up.ts), measured by what the engine's
 * commits wait: a store with its writer thread takes the hot-path writes of `--rate` sold leads a
 * second (a lead and its two events; ten pings, the round's event and the winner's; the post, the
 * updates and the sale's event), each lead's three groups flushed one after the other as an auction
 * does, for `--seconds`, once with the catch-up in the WAL checkpointer's worker (its own connection:
 * it takes the write lock, and the writer thread waits for it) and once in the writer thread between
 * its batches (the engine's way). The two alternate `--rounds` times; each run reports the flushes'
 * p50 / p99 / max and the catch-ups' count, rows and longest (ms).
 *
 * `npx tsx bench/rollup-fold.ts [--rate 100] [--seconds 15] [--rounds 3]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Store } from '../src/engine/store/index.js';
import type { CatchUpStats } from '../src/engine/store/rollup-catch-up.js';

const { values } = parseArgs({ options: { rate: { type: 'string' }, seconds: { type: 'string' }, rounds: { type: 'string' } } });
const RATE = Number(values.rate ?? 100);
const SECONDS = Number(values.seconds ?? 15);
const ROUNDS = Number(values.rounds ?? 3);

type FoldIn = 'checkpointer' | 'writer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timedFlush(store: Store, waits: number[]): Promise<void> {
  const t = performance.now();
  await store.flush();
  waits.push(performance.now() - t);
}

/** One lead's writes, in the three groups an auction flushes (admission, winner, outcome). */
async function lead(store: Store, i: number, waits: number[]): Promise<void> {
  const id = `L${i}`;
  const auctionId = `A${i}`;
  const at = Date.now();
  store.insertLead({ id, campaignId: 'c', sourceId: 's', receivedAt: at, test: false, status: 'received', fields: { state: 'TX' }, consent: { text: 't', captured_at: 'x', ip: '1', sellers: [] }, phoneHash: null, emailHash: null, state: 'TX', zip: '78701' } as never);
  store.appendAudit({ leadId: id, type: 'received', actor: 'source:s', data: { campaign: 'c', source: 's' } });
  store.appendAudit({ leadId: id, type: 'validated', actor: 'engine', data: { fields: ['state'] } });
  await timedFlush(store, waits);
  store.insertAuction({ id: auctionId, leadId: id, campaignId: 'c', sourceId: 's', startedAt: at, test: false, status: 'open' });
  for (let k = 0; k < 10; k++) store.insertPing({ auctionId, leadId: id, buyerId: `b${k}`, tierIndex: 0, sentAt: at, latencyMs: 1 + k, outcome: 'BID', bidCents: 500 + k, floorCents: 500, reason: null, httpStatus: 200 });
  store.appendAudit({ leadId: id, type: 'ping', actor: 'engine', data: { auctionId, tier: 0, pings: 10 } });
  store.appendAudit({ leadId: id, type: 'winner', actor: 'engine', data: { auctionId, buyerId: 'b9', price: 5.09 } });
  await timedFlush(store, waits);
  store.insertPost({ auctionId, leadId: id, buyerId: 'b9', attempt: 1, sentAt: at, latencyMs: 3, outcome: 'ACCEPTED', priceCents: 509, reason: null, buyerRef: 'r', httpStatus: 200 });
  store.updateAuction(auctionId, { status: 'sold', winnerBuyerId: 'b9', priceCents: 509, latencyMs: 12, endedAt: at + 5 });
  store.updateLead(id, { status: 'sold', priceCents: 509, payoutCents: 300, buyerId: 'b9' });
  store.appendAudit({ leadId: id, type: 'sold', actor: 'engine', data: { auctionId, buyerId: 'b9', price: 5.09 } });
  await timedFlush(store, waits);
}

async function run(foldIn: FoldIn): Promise<{ waits: number[]; folds: CatchUpStats }> {
  const dir = mkdtempSync(join(tmpdir(), 'rollup-fold-'));
  const store = Store.open({ dataDir: dir });
  if (!store.writerThreadForTest()) throw new Error('the writer thread did not start');
  const checkpointer = store.startWalCheckpoints(1000, { foldIn });
  const waits: number[] = [];
  const leads: Promise<void>[] = [];
  const start = performance.now();
  const total = RATE * SECONDS;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    leads.push(lead(store, i, waits));
  }
  await Promise.all(leads);
  // One more second, so the last tick's catch-up is counted too.
  await sleep(1100);
  const folds = foldIn === 'writer' ? (store.writerThreadForTest()?.rollupStats as CatchUpStats) : checkpointer.rollupStats;
  const copy = { ...folds };
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { waits, folds: copy };
}

const q = (sorted: number[], f: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * f))] ?? NaN;
const ms = (n: number) => n.toFixed(2);
console.log(`rollup catch-up: ${RATE} leads/s for ${SECONDS} s, three flushes a lead, ${ROUNDS} rounds`);
for (let r = 0; r < ROUNDS; r++) {
  for (const foldIn of ['checkpointer', 'writer'] as const) {
    const { waits, folds } = await run(foldIn);
    const s = waits.slice().sort((a, b) => a - b);
    console.log(
      `  ${foldIn.padEnd(12)} flush p50 ${ms(q(s, 0.5))} p99 ${ms(q(s, 0.99))} max ${ms(s[s.length - 1] ?? NaN)} ms (${s.length} flushes);`
        + ` catch-ups ${folds.catchUps}, ${folds.rows} rows, ${ms(folds.totalMs)} ms in all, longest ${ms(folds.maxMs)} ms, skipped busy ${folds.busy}`,
    );
  }
}
