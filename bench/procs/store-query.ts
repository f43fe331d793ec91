import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startEngine } from '../../src/engine/engine.js';
import { Store } from '../../src/engine/store/index.js';
import { normaliseEmail, normalisePhone } from '../../src/engine/store/index.js';
import { childArgs, serveParent } from '../lib/child.js';
import { summariseSample, type LatencySummary } from '../lib/latency.js';
import type { SampleLead } from './store-build.js';

/**
 * Compliance lookups against a built store, in a fresh process (cold SQLite cache, as when a
 * reviewer opens a copy of the data folder). Each sample lead is looked up once per kind.
 */

export interface QueryArgs {
  dataDir: string;
  /** Four disjoint sets of sample leads: by id, by phone, by email, through the console. */
  samples: SampleLead[];
}

export interface QueryResult {
  /** `Store.auditForLead(id)`: the lead's whole trail. */
  auditByLead: LatencySummary;
  /** `Store.findLeads({ phoneHash })` then `auditForLead` of what it found. */
  auditByPhone: LatencySummary;
  /** `Store.findLeads({ emailHash })` then `auditForLead` of what it found. */
  auditByEmail: LatencySummary;
  /** The console's path: `leads.search` by phone then `leads.get` (lead, auctions, trail). */
  consoleByPhone: LatencySummary;
  /** Events per trail, and lookups that did not find their lead (should be 0). */
  eventsPerTrail: number;
  misses: number;
  /**
   * The console's whole-trail verify (chain, checkpoints, every lead's record hash) as a running engine
   * runs it (a writable store: the chain's pages are read in its read thread).
   */
  verify: VerifyTiming;
  /** The same on a read-only store, as `pingdesk audit verify` and a reviewer's copy run it (every read on the loop). */
  verifyReadOnly: VerifyTiming;
}

export interface VerifyTiming {
  ok: boolean;
  events: number;
  seconds: number;
  /** The longest the event loop was held at once while it ran (what a lead arriving then would wait). */
  maxBlockMs: number;
  p99DelayMs: number;
}

/** Runs the trail verify the console runs, watching the event loop the way an engine's intake would feel it. */
async function timeVerify(store: Store): Promise<VerifyTiming> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  const result = await store.verifyTrailAsync();
  const seconds = (performance.now() - t0) / 1000;
  h.disable();
  const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
  return { ok: result.ok, events: result.count, seconds: Math.round(seconds * 100) / 100, maxBlockMs: ms(h.max), p99DelayMs: ms(h.percentile(99)) };
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function query(args: QueryArgs): Promise<QueryResult> {
  const store = Store.open({ dataDir: args.dataDir, readonly: true });
  let misses = 0;
  let events = 0;
  const byLead: number[] = [];
  const byPhone: number[] = [];
  const byEmail: number[] = [];
  // Different leads for each kind, so one lookup does not warm the pages of the next.
  const n = Math.floor(args.samples.length / 4);
  const [leadSet, phoneSet, emailSet, consoleSet] = [0, 1, 2, 3].map((k) => args.samples.slice(k * n, (k + 1) * n));
  for (const s of leadSet) {
    byLead.push(time(() => {
      const trail = store.auditForLead(s.id);
      events += trail.length;
      if (trail.length === 0) misses++;
    }));
  }
  const bySearch = (list: SampleLead[], out: number[], key: (s: SampleLead) => { phoneHash?: string; emailHash?: string }) => {
    for (const s of list) {
      out.push(time(() => {
        const found = store.findLeads({ ...key(s), limit: 50 });
        if (found.length === 0) misses++;
        for (const lead of found) store.auditForLead(lead.id);
      }));
    }
  };
  bySearch(phoneSet, byPhone, (s) => ({ phoneHash: store.hashContact(normalisePhone(s.phone) ?? s.phone) }));
  bySearch(emailSet, byEmail, (s) => ({ emailHash: store.hashContact(normaliseEmail(s.email) ?? s.email) }));
  const verifyReadOnly = await timeVerify(store);
  store.close();
  const live = Store.open({ dataDir: args.dataDir });
  const verify = await timeVerify(live);
  live.close();

  // The same lookups through the running console contract, on a read-only engine.
  const engine = await startEngine({ dataDir: args.dataDir, readOnly: true });
  const consoleTimes: number[] = [];
  for (const s of consoleSet) {
    const t0 = performance.now();
    const found = await engine.consoleHost.call('leads.search', { query: s.phone, limit: 50 }, { actor: 'bench' });
    const rows = found.ok ? (found.value as Array<{ id: string }>) : [];
    if (rows.length === 0) misses++;
    for (const row of rows) {
      const detail = await engine.consoleHost.call('leads.get', { id: row.id }, { actor: 'bench' });
      if (!detail.ok) misses++;
    }
    consoleTimes.push(performance.now() - t0);
  }
  await engine.close();
  return {
    auditByLead: summariseSample(byLead),
    auditByPhone: summariseSample(byPhone),
    auditByEmail: summariseSample(byEmail),
    consoleByPhone: summariseSample(consoleTimes),
    eventsPerTrail: leadSet.length ? events / leadSet.length : 0,
    misses,
    verify,
    verifyReadOnly,
  };
}

serveParent({ query: (a: QueryArgs) => query(a) }, childArgs<unknown>());
