import { describe, expect, it } from 'vitest';
import { jobRatio } from '../../src/renderer/store/jobs-slice.js';
import { overview, storeWith } from './renderer-store-fixtures.js';

describe('headline figures', () => {
  it('keeps the latest figures and a bounded history for sparklines', () => {
    const { store } = storeWith();
    const figures = () => store.getState().figures;
    for (let i = 0; i < 700; i++) figures().receive(overview(1_000_000 + i * 1000, { leadsPerMinute: i }));
    expect(figures().history).toHaveLength(600);
    expect(figures().history[599].leadsPerMinute).toBe(699);
    expect(figures().history[0].leadsPerMinute).toBe(100);
    expect(figures().current?.leadsPerMinute).toBe(699);
  });

  it('replaces a tick for the same instant instead of adding a point', () => {
    const { store } = storeWith();
    store.getState().figures.receive(overview(5000, { revenue: 1 }));
    store.getState().figures.receive(overview(5000, { revenue: 2 }));
    expect(store.getState().figures.history.map((h) => h.revenue)).toEqual([2]);
  });

  it('loads the last five minutes before the first tick, and a tick wins over a slow load', async () => {
    let release: (() => void) | undefined;
    const { store, calls, now } = storeWith({
      'overview.get': (args) => new Promise((resolve) => (release = () => resolve(overview(args.to, { revenue: 1 })))),
    });
    const loading = store.getState().figures.load();
    expect(calls[0].args).toEqual({ from: now() - 300_000, to: now() });
    store.getState().figures.receive(overview(now() + 1000, { revenue: 99 }));
    release?.();
    await loading;
    expect(store.getState().figures.current?.revenue).toBe(99);
  });
});

describe('job progress', () => {
  it('follows job.progress for its own jobs and ignores others', () => {
    const { store } = storeWith();
    const jobs = () => store.getState().jobs;
    const id = jobs().start('Export leads');
    jobs().progress({ jobId: id, done: 10, total: 40 });
    jobs().progress({ jobId: 'someone-else', done: 5, total: 5 });
    expect(jobs().byId[id]).toMatchObject({ done: 10, total: 40, finishedAt: null });
    expect(jobs().byId['someone-else']).toBeUndefined();
    expect(jobRatio(jobs().byId[id])).toBe(0.25);
  });

  it('never moves progress backwards and completes the bar when finished', () => {
    const { store, advance } = storeWith();
    const jobs = () => store.getState().jobs;
    const id = jobs().start('Verify');
    jobs().progress({ jobId: id, done: 30, total: 100 });
    jobs().progress({ jobId: id, done: 20, total: 100 });
    expect(jobs().byId[id].done).toBe(30);
    advance(500);
    jobs().finish(id);
    expect(jobs().byId[id].done).toBe(100);
    expect(jobs().byId[id].finishedAt).toBe(jobs().byId[id].startedAt + 500);
    jobs().progress({ jobId: id, done: 40, total: 100 });
    expect(jobs().byId[id].done).toBe(100);
  });

  it('has no ratio while the total is unknown', () => {
    const { store } = storeWith();
    const id = store.getState().jobs.start('Import');
    store.getState().jobs.progress({ jobId: id, done: 7, total: null });
    expect(jobRatio(store.getState().jobs.byId[id])).toBeNull();
  });
});
