import type { AuctionSummary } from '../../shared/console-api.js';
import type { AuctionStatus } from '../../shared/domain.js';
import { mergeBounded } from './bounded-merge.js';
import type { SliceCreator } from './types.js';

export interface LiveFilter {
  campaignId: string;
  status: '' | AuctionStatus;
  buyerId: string;
}

export interface LiveSlice {
  /** Newest first, at most `capacity`: the console never holds more than this many live rows. */
  rows: AuctionSummary[];
  capacity: number;
  paused: boolean;
  /** Held back while paused (bounded too), merged on resume. */
  pending: AuctionSummary[];
  /** Auctions that arrived since the pause started, including any that fell off the bounded pending list. */
  arrivedWhilePaused: number;
  /** Auctions received over the stream since the console opened. */
  received: number;
  filter: LiveFilter;
  loading: boolean;
  /** The stored history has been loaded once: rows that streamed in first do not stand in for it. */
  historyLoaded: boolean;
  error: unknown;
  /** One state update per event batch, whatever its size. */
  receiveBatch: (batch: AuctionSummary[]) => void;
  pause: () => void;
  resume: () => void;
  setFilter: (change: Partial<LiveFilter>) => void;
  clearFilter: () => void;
  /** Fills the table from `auctions.list` so it is not empty before the stream speaks. */
  loadInitial: () => Promise<void>;
}

export const LIVE_CAPACITY = 5000;
const noFilter: LiveFilter = { campaignId: '', status: '', buyerId: '' };

export const createLiveSlice: SliceCreator<'live'> = ({ patch, self, deps }) => ({
  rows: [],
  capacity: LIVE_CAPACITY,
  paused: false,
  pending: [],
  arrivedWhilePaused: 0,
  received: 0,
  filter: noFilter,
  loading: false,
  historyLoaded: false,
  error: null,
  receiveBatch(batch) {
    if (batch.length === 0) return;
    const s = self();
    if (s.paused) {
      const merged = mergeBounded(s.pending, batch, s.capacity);
      patch({ pending: merged.list, arrivedWhilePaused: s.arrivedWhilePaused + merged.added, received: s.received + batch.length });
    } else {
      patch({ rows: mergeBounded(s.rows, batch, s.capacity).list, received: s.received + batch.length });
    }
  },
  pause() {
    if (!self().paused) patch({ paused: true, pending: [], arrivedWhilePaused: 0 });
  },
  resume() {
    const s = self();
    if (!s.paused) return;
    // pending is newest first; merge oldest first so the newest ends on top.
    const rows = mergeBounded(s.rows, [...s.pending].reverse(), s.capacity).list;
    patch({ paused: false, rows, pending: [], arrivedWhilePaused: 0 });
  },
  setFilter(change) {
    patch((s) => ({ filter: { ...s.filter, ...change } }));
  },
  clearFilter() {
    patch({ filter: noFilter });
  },
  async loadInitial() {
    patch({ loading: true, error: null });
    try {
      const { rows } = await deps.api['auctions.list']({ limit: 500 });
      // The list is newest first; rows that streamed in meanwhile stay (same id → the newer summary wins).
      const s = self();
      const known = new Set(s.rows.map((r) => r.id));
      const older = rows.filter((r) => !known.has(r.id));
      patch({ rows: [...s.rows, ...older].slice(0, s.capacity), loading: false, historyLoaded: true });
    } catch (error) {
      patch({ loading: false, error });
    }
  },
});

/** Rows passing the filter; buyer matches the winner. Pure, so the screen memoises it per rows/filter. */
export function filterAuctions(rows: readonly AuctionSummary[], f: LiveFilter): readonly AuctionSummary[] {
  if (!f.campaignId && !f.status && !f.buyerId) return rows;
  return rows.filter((r) => (!f.campaignId || r.campaignId === f.campaignId) && (!f.status || r.status === f.status) && (!f.buyerId || r.winnerBuyerId === f.buyerId));
}
