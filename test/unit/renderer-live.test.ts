import { describe, expect, it } from 'vitest';
import { mergeBounded } from '../../src/renderer/store/bounded-merge.js';
import { filterAuctions } from '../../src/renderer/store/live-slice.js';
import { auction, storeWith } from './renderer-store-fixtures.js';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => auction(from + i));

describe('live auctions buffer', () => {
  it('never holds more than its capacity and keeps the newest on top', () => {
    const { store } = storeWith();
    const live = () => store.getState().live;
    for (let b = 0; b < 12; b++) live().receiveBatch(range(b * 500, (b + 1) * 500));
    expect(live().rows).toHaveLength(5000);
    expect(live().rows[0].id).toBe('a5999');
    expect(live().rows[4999].id).toBe('a1000');
    expect(live().received).toBe(6000);
  });

  it('applies a whole batch in one state update', () => {
    const { store } = storeWith();
    let updates = 0;
    store.subscribe(() => updates++);
    store.getState().live.receiveBatch(range(0, 300));
    expect(updates).toBe(1);
    expect(store.getState().live.rows).toHaveLength(300);
  });

  it('replaces an auction seen again instead of listing it twice', () => {
    const { store } = storeWith();
    store.getState().live.receiveBatch([auction(1, { status: 'open', winnerBuyerId: null }), auction(2)]);
    store.getState().live.receiveBatch([auction(1, { status: 'sold' })]);
    const rows = store.getState().live.rows;
    expect(rows.map((r) => r.id)).toEqual(['a2', 'a1']);
    expect(rows[1].status).toBe('sold');
  });

  it('keeps the identity of rows a batch did not touch, so memoised rows skip rendering', () => {
    const before = range(0, 10);
    const { list } = mergeBounded(before, [auction(3, { price: 25 }), auction(10)], 100);
    expect(list[0].id).toBe('a10');
    expect(list.find((r) => r.id === 'a5')).toBe(before[5]);
    expect(list.find((r) => r.id === 'a3')).not.toBe(before[3]);
  });

  it('freezes the rows while paused, counts what arrived and shows it on resume', () => {
    const { store } = storeWith();
    const live = () => store.getState().live;
    live().receiveBatch(range(0, 3));
    const frozen = live().rows;
    live().pause();
    live().receiveBatch(range(3, 8));
    live().receiveBatch([auction(8), auction(3, { status: 'unsold' })]);
    expect(live().rows).toBe(frozen);
    expect(live().arrivedWhilePaused).toBe(6);
    live().resume();
    expect(live().paused).toBe(false);
    expect(live().arrivedWhilePaused).toBe(0);
    expect(live().rows.map((r) => r.id)).toEqual(['a8', 'a7', 'a6', 'a5', 'a4', 'a3', 'a2', 'a1', 'a0']);
    expect(live().rows.find((r) => r.id === 'a3')?.status).toBe('unsold');
  });

  it('counts every arrival during a long pause even past the bounded pending list', () => {
    const { store } = storeWith();
    const live = () => store.getState().live;
    live().pause();
    for (let b = 0; b < 14; b++) live().receiveBatch(range(b * 500, (b + 1) * 500));
    expect(live().pending).toHaveLength(5000);
    expect(live().arrivedWhilePaused).toBe(7000);
    live().resume();
    expect(live().rows).toHaveLength(5000);
    expect(live().rows[0].id).toBe('a6999');
  });

  it('fills the table from auctions.list without duplicating rows that streamed in meanwhile', async () => {
    const { store, calls } = storeWith({ 'auctions.list': () => ({ rows: [auction(5), auction(4), auction(3)], nextCursor: null }) });
    store.getState().live.receiveBatch([auction(5, { status: 'sold' }), auction(6)]);
    await store.getState().live.loadInitial();
    expect(store.getState().live.rows.map((r) => r.id)).toEqual(['a6', 'a5', 'a4', 'a3']);
    expect(calls[0]).toMatchObject({ name: 'auctions.list' });
    expect(store.getState().live.historyLoaded).toBe(true);
  });

  it('does not count rows that streamed in first as the stored history', () => {
    const { store } = storeWith({});
    store.getState().live.receiveBatch([auction(9)]);
    expect(store.getState().live.historyLoaded).toBe(false);
  });

  it('keeps a failed initial load as an error the screen can show', async () => {
    const { store } = storeWith({
      'auctions.list': () => {
        throw new Error('engine unavailable');
      },
    });
    await store.getState().live.loadInitial();
    expect(store.getState().live.loading).toBe(false);
    expect(store.getState().live.historyLoaded).toBe(false);
    expect((store.getState().live.error as Error).message).toBe('engine unavailable');
  });

  it('filters by campaign, outcome and winning buyer', () => {
    const rows = [auction(1), auction(2, { campaignId: 'home' }), auction(3, { status: 'unsold', winnerBuyerId: null }), auction(4, { winnerBuyerId: 'bolt' })];
    expect(filterAuctions(rows, { campaignId: 'home', status: '', buyerId: '' }).map((r) => r.id)).toEqual(['a2']);
    expect(filterAuctions(rows, { campaignId: '', status: 'unsold', buyerId: '' }).map((r) => r.id)).toEqual(['a3']);
    expect(filterAuctions(rows, { campaignId: 'auto', status: 'sold', buyerId: 'bolt' }).map((r) => r.id)).toEqual(['a4']);
    expect(filterAuctions(rows, { campaignId: '', status: '', buyerId: '' })).toBe(rows);
  });
});
