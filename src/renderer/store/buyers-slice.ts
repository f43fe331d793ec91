import type { BuyerStat, BuyerView, CreatedKey, TestPingResult } from '../../shared/console-api.js';
import type { BuyerSpec } from '../../shared/domain.js';
import type { SliceCreator } from './types.js';

/** Stats on the Ping tree and Buyers screens cover this trailing window. */
export const BUYER_STATS_WINDOW_MS = 60 * 60 * 1000;

/**
 * Buyers with their live state (paused, circuit, cap usage, signals) and their last-hour auction
 * statistics. Saving rethrows the engine's error so the editor can show it field by field.
 */
export interface BuyersSlice {
  list: BuyerView[];
  stats: Record<string, BuyerStat>;
  loaded: boolean;
  error: unknown;
  statsError: unknown;
  load: () => Promise<void>;
  loadStats: () => Promise<void>;
  save: (buyer: BuyerSpec) => Promise<BuyerView>;
  remove: (id: string) => Promise<void>;
  setPaused: (id: string, paused: boolean) => Promise<BuyerView>;
  /** The plain key is in the result only: it is shown once and never kept in the store. */
  createKey: (buyerId: string) => Promise<CreatedKey>;
  revokeKey: (keyId: string) => Promise<void>;
  testPing: (id: string, campaignId: string) => Promise<TestPingResult>;
}

const put = (list: BuyerView[], view: BuyerView): BuyerView[] => {
  const i = list.findIndex((b) => b.spec.id === view.spec.id);
  return i < 0 ? [...list, view] : list.map((b, j) => (j === i ? view : b));
};

export const createBuyersSlice: SliceCreator<'buyers'> = ({ patch, self, deps }) => ({
  list: [],
  stats: {},
  loaded: false,
  error: null,
  statsError: null,
  async load() {
    try {
      patch({ list: await deps.api['buyers.list']({}), loaded: true, error: null });
    } catch (error) {
      patch({ error, loaded: true });
    }
  },
  async loadStats() {
    const to = deps.now();
    try {
      const rows = await deps.api['stats.buyers']({ from: Math.max(0, to - BUYER_STATS_WINDOW_MS), to });
      patch({ stats: Object.fromEntries(rows.map((r) => [r.buyerId, r])), statsError: null });
    } catch (statsError) {
      patch({ statsError });
    }
  },
  async save(buyer) {
    const saved = await deps.api['buyers.save']({ buyer });
    patch((s) => ({ list: put(s.list, saved) }));
    return saved;
  },
  async remove(id) {
    await deps.api['buyers.delete']({ id });
    patch((s) => ({ list: s.list.filter((b) => b.spec.id !== id) }));
  },
  async setPaused(id, paused) {
    const view = await deps.api['buyers.setPaused']({ id, paused });
    patch((s) => ({ list: put(s.list, view) }));
    return view;
  },
  async createKey(buyerId) {
    const created = await deps.api['buyers.createKey']({ buyerId });
    await self().load();
    return created;
  },
  async revokeKey(keyId) {
    await deps.api['buyers.revokeKey']({ keyId });
    await self().load();
  },
  testPing: (id, campaignId) => deps.api['buyers.testPing']({ id, campaignId }),
});
