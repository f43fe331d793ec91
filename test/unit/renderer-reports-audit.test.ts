import { describe, expect, it } from 'vitest';
import { bucketFor } from '../../src/renderer/store/report-range.js';
import { overview, storeWith } from './renderer-store-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('report ranges', () => {
  it('picks a bucket that gives a readable number of points for each preset', () => {
    expect(bucketFor(HOUR)).toBe(60_000);
    expect(bucketFor(DAY)).toBe(15 * 60_000);
    expect(bucketFor(7 * DAY)).toBe(2 * HOUR);
    expect(bucketFor(30 * DAY)).toBe(6 * HOUR);
    expect(bucketFor(365 * DAY)).toBe(DAY);
  });

  it('loads figures, series and tables for the preset range with its bucket', async () => {
    const { store, calls, now } = storeWith({
      'overview.get': (a) => overview(a.to),
      'timeseries.get': (a) => [{ t: a.from, leads: 1, sold: 1, revenue: 20, margin: 6, fillRate: 1, p50LatencyMs: 30, p99LatencyMs: 30 }],
      'stats.buyers': () => [],
      'stats.sources': () => [{ sourceId: 'pub-1', leads: 1, sold: 1, revenue: 20, payout: 14, received: 1, refused: 0, refusedBy: {} }],
      'changes.list': (a) => ({ changes: [{ seq: 9, at: a.from + 1, actor: 'console', campaignId: 'auto', buyerId: null, subject: 'floor', summary: 'Premium floor $20.00 → $25.00', details: [], reason: null }], truncated: false }),
    });
    await store.getState().reports.setPreset('1h');
    const r = store.getState().reports;
    expect(r.loading).toBe(false);
    expect(r.series).toHaveLength(1);
    expect(r.sources[0].sourceId).toBe('pub-1');
    const ts = calls.find((c) => c.name === 'timeseries.get')?.args as { from: number; to: number; bucketMs: number };
    expect(ts.bucketMs).toBe(60_000);
    expect(ts.to).toBe(now());
    expect(ts.from % 60_000).toBe(0);
    expect(now() - ts.from).toBeGreaterThanOrEqual(HOUR);
    // The figures cover exactly the hour the picker names; only the chart's first bucket starts earlier.
    expect(calls.find((c) => c.name === 'overview.get')?.args).toEqual({ from: now() - HOUR, to: now() });
    expect(calls.find((c) => c.name === 'stats.sources')?.args).toEqual({ from: now() - HOUR, to: now() });
    expect(r.changes.map((c) => c.summary)).toEqual(['Premium floor $20.00 → $25.00']);
  });

  it('refuses a custom range that ends before it starts, without calling the engine', async () => {
    const { store, calls } = storeWith();
    await store.getState().reports.setCustomRange(2000, 1000);
    expect(calls).toHaveLength(0);
    expect((store.getState().reports.error as Error).message).toMatch(/end after it starts/);
  });

  it('exports the current range as CSV under a job that reports progress', async () => {
    let progressDuringCall: number | undefined;
    const { store } = storeWith({
      'export.csv': (a) => {
        store.getState().jobs.progress({ jobId: a.jobId as string, done: 2, total: 3 });
        progressDuringCall = store.getState().jobs.byId[a.jobId as string].done;
        return { kind: a.kind, rows: 3, fileName: 'leads-1.csv', path: '/data/exports/leads-1.csv' };
      },
    });
    await store.getState().reports.exportCsv('leads');
    const e = store.getState().reports.exports.leads;
    expect(progressDuringCall).toBe(2);
    expect(e).toMatchObject({ running: false, error: null, result: { rows: 3, fileName: 'leads-1.csv' } });
    expect(store.getState().jobs.byId[e!.jobId]).toMatchObject({ done: 3, total: 3 });
    expect(store.getState().jobs.byId[e!.jobId].finishedAt).not.toBeNull();
  });
});

describe('consent & audit search and verify', () => {
  it('searches by the trimmed query and drops an answer overtaken by a newer search', async () => {
    const pending: Array<() => void> = [];
    const { store, calls } = storeWith({
      'leads.search': (a) =>
        new Promise((resolve) => {
          pending.push(() => resolve([{ id: a.query, campaignId: 'auto', sourceId: 'pub-1', receivedAt: 1, status: 'sold', test: false, price: 14, buyerId: 'acme', phone: null, email: null, state: 'TX' }]));
        }),
    });
    const first = store.getState().audit.search('  +15125550142 ');
    const second = store.getState().audit.search('ana@example.com');
    pending[1]();
    await second;
    pending[0]();
    await first;
    expect(calls.map((c) => (c.args as { query: string }).query)).toEqual(['+15125550142', 'ana@example.com']);
    expect(store.getState().audit.results?.map((r) => r.id)).toEqual(['ana@example.com']);
  });

  it('clears the results for a blank query without calling the engine', async () => {
    const { store, calls } = storeWith();
    await store.getState().audit.search('   ');
    expect(calls).toHaveLength(0);
    expect(store.getState().audit.results).toBeNull();
  });

  it('runs verify with a job id and keeps the first bad seq it reports', async () => {
    const { store, calls } = storeWith({ 'audit.verify': () => ({ ok: false, count: 41, firstBadSeq: 42, problem: 'hash mismatch' }) });
    await store.getState().audit.runVerify();
    const v = store.getState().audit.verify;
    expect((calls[0].args as { jobId: string }).jobId).toBe(v.jobId);
    expect(v.running).toBe(false);
    expect(v.result).toEqual({ ok: false, count: 41, firstBadSeq: 42, problem: 'hash mismatch' });
  });
});

describe('suppression list', () => {
  it('imports a CSV under a job, keeps counts and refusals, and reloads the list', async () => {
    const { store, calls } = storeWith({
      'suppression.importCsv': () => ({ added: 2, duplicates: 1, refused: [{ line: 4, value: 'not-a-phone', reason: 'Not a phone or email' }] }),
      'suppression.list': () => ({ rows: [], total: 2 }),
    });
    await store.getState().suppression.importCsv('list.csv', 'value\n+15125550142\n');
    const s = store.getState().suppression;
    expect(s.importing).toMatchObject({ fileName: 'list.csv', running: false, result: { added: 2, duplicates: 1 } });
    expect(s.total).toBe(2);
    expect(calls.map((c) => c.name)).toEqual(['suppression.importCsv', 'suppression.list']);
    expect((calls[0].args as { jobId: string }).jobId).toBe(s.importing?.jobId);
  });

  it('sends only non-blank values when adding by hand', async () => {
    const { store, calls } = storeWith({ 'suppression.add': (a) => ({ added: a.values.length, refused: [] }), 'suppression.list': () => ({ rows: [], total: 1 }) });
    const result = await store.getState().suppression.add([' ana@example.com ', '', '  ']);
    expect(result).toEqual({ added: 1, refused: [] });
    expect(calls[0].args).toEqual({ values: ['ana@example.com'] });
  });

  it('searches from the first page', async () => {
    const { store, calls } = storeWith({ 'suppression.list': () => ({ rows: [], total: 0 }) });
    await store.getState().suppression.setPage(200);
    await store.getState().suppression.search('ana');
    expect(calls.map((c) => c.args)).toEqual([
      { query: undefined, limit: 100, offset: 200 },
      { query: 'ana', limit: 100, offset: 0 },
    ]);
  });
});
