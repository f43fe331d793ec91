/**
 * What the report rollups' triggers (migration 0160) cost the write path: the Store API's hot-path
 * writes of N sold auctions (a lead, an auction, 10 pings, a post, the two updates), flushed every 50
 * leads as the engine's group commits do, on a fresh store with the triggers and on one without them,
 * alternated three times. `npx tsx bench/rollup-write-cost.ts`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { databasePath, Store } from '../src/engine/store/index.js';

async function run(withTriggers: boolean, n: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'trig-'));
  Store.open({ dataDir: dir }).close();
  if (!withTriggers) {
    const db = new Database(databasePath(dir));
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'rollup%'").pluck().all() as string[]) db.exec(`DROP TRIGGER ${t}`);
    db.close();
  }
  const store = Store.open({ dataDir: dir });
  const t0 = performance.now();
  const at = Date.now();
  for (let i = 0; i < n; i++) {
    const id = `L${i}`;
    store.insertLead({ id, campaignId: 'c', sourceId: 's', receivedAt: at + i, test: false, status: 'received', fields: {}, consent: { text: 't', captured_at: 'x', ip: '1', sellers: [] }, phoneHash: null, emailHash: null, state: 'TX', zip: '78701' } as never);
    store.insertAuction({ id: `A${i}`, leadId: id, campaignId: 'c', sourceId: 's', startedAt: at + i, test: false, status: 'open' });
    for (let k = 0; k < 10; k++) store.insertPing({ auctionId: `A${i}`, leadId: id, buyerId: `b${k}`, tierIndex: 0, sentAt: at + i, latencyMs: 1 + k, outcome: 'BID', bidCents: 500 + k, floorCents: 500, reason: null, httpStatus: 200 });
    store.insertPost({ auctionId: `A${i}`, leadId: id, buyerId: 'b9', attempt: 1, sentAt: at + i, latencyMs: 3, outcome: 'ACCEPTED', priceCents: 509, reason: null, buyerRef: 'r', httpStatus: 200 });
    store.updateAuction(`A${i}`, { status: 'sold', winnerBuyerId: 'b9', priceCents: 509, latencyMs: 12.3, endedAt: at + i + 5 });
    store.updateLead(id, { status: 'sold', priceCents: 509, payoutCents: 300, buyerId: 'b9' });
    if (i % 50 === 49) await store.flush();
  }
  await store.flush();
  const ms = performance.now() - t0;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

for (let r = 0; r < 3; r++) {
  const a = await run(false, 10000);
  const b = await run(true, 10000);
  console.log(`without triggers ${(a / 10).toFixed(1)} µs/lead, with ${(b / 10).toFixed(1)} µs/lead`);
}
