import type { BuyerStat } from '../../shared/console-api.js';
import type { CampaignSpec, TierSpec } from '../../shared/domain.js';
import { addTier, parseFloor } from '../features/tiers/tier-edits.js';
import { applyTreeEdit, describeTreeEdit, inverseTreeEdit, swapOrder, type TreeEdit } from '../features/tiers/tree-undo.js';
import type { SliceCreator } from './types.js';

export interface FloorError {
  campaignId: string;
  tierIndex: number;
  message: string;
}

/**
 * The Ping tree: which campaign is shown, and edits applied optimistically. The campaign's tiers in
 * the config slice change at once; the engine gets the whole new tree (`tiers.set`). When it refuses,
 * the tree goes back to what the engine last confirmed and `error` says why. Only the answer to the
 * latest request settles the screen, so a slow earlier answer cannot undo a later edit.
 */
export interface TiersSlice {
  campaignId: string | null;
  /** Requests in flight per campaign. */
  pending: Record<string, number>;
  error: unknown;
  floorError: FloorError | null;
  selectCampaign: (id: string | null) => void;
  apply: (campaignId: string, next: TierSpec[]) => Promise<boolean>;
  moveBuyer: (campaignId: string, buyerId: string, toTier: number, index: number) => Promise<boolean>;
  addBuyer: (campaignId: string, tierIndex: number, buyerId: string) => Promise<boolean>;
  removeBuyer: (campaignId: string, buyerId: string) => Promise<boolean>;
  moveTier: (campaignId: string, index: number, delta: -1 | 1) => Promise<boolean>;
  addTier: (campaignId: string) => Promise<boolean>;
  removeTier: (campaignId: string, index: number) => Promise<boolean>;
  /** Parses the typed floor; a bad entry sets `floorError` and sends nothing. */
  setFloor: (campaignId: string, tierIndex: number, text: string) => Promise<boolean>;
  clearErrors: () => void;
  /** Edits the engine confirmed, newest last, per campaign: what Undo (Ctrl+Z, the toast) takes back. */
  undoStack: Record<string, UndoEntry[]>;
  /** The latest confirmed edit or undo, for the screen's toast. */
  lastEdit: (UndoEntry & { undone: boolean }) | null;
  /** Applies the inverse of an edit (the newest of the campaign when `entryId` is absent) through the same methods. */
  undo: (campaignId: string, entryId?: number) => Promise<boolean>;
  /** Per campaign, buyer id → the last hour's figures of that campaign's auctions only (the cards). */
  campaignStats: Record<string, Record<string, BuyerStat>>;
  loadCampaignStats: (campaignId: string) => Promise<void>;
}

export interface UndoEntry {
  id: number;
  campaignId: string;
  /** The edit in words: "Premium floor $20.00 → $25.00". */
  label: string;
  /** What takes the edit back. */
  inverse: TreeEdit;
}

/** Undo reaches this many edits back per campaign. */
export const UNDO_DEPTH = 30;
/** The cards' figures cover this trailing window. */
const CAMPAIGN_STATS_WINDOW_MS = 60 * 60 * 1000;

export const createTiersSlice: SliceCreator<'tiers'> = ({ patch, self, get, deps }) => {
  /** What the engine last confirmed, per campaign: the rollback target. */
  const confirmed = new Map<string, TierSpec[]>();
  const latest = new Map<string, number>();
  let seq = 0;

  const campaignOf = (id: string): CampaignSpec | undefined => get().config.campaigns.find((c) => c.id === id);

  async function send(campaignId: string, next: TierSpec[], request: () => Promise<CampaignSpec>, onError: (error: unknown) => void): Promise<boolean> {
    const campaign = campaignOf(campaignId);
    if (!campaign) return false;
    if (!self().pending[campaignId]) confirmed.set(campaignId, campaign.tiers);
    const mine = ++seq;
    latest.set(campaignId, mine);
    get().config.putCampaign({ ...campaign, tiers: next });
    const bump = (by: number) => patch((s) => ({ pending: { ...s.pending, [campaignId]: (s.pending[campaignId] ?? 0) + by } }));
    bump(1);
    try {
      const saved = await request();
      confirmed.set(campaignId, saved.tiers);
      if (latest.get(campaignId) === mine) get().config.putCampaign(saved);
      return true;
    } catch (error) {
      if (latest.get(campaignId) === mine) {
        const current = campaignOf(campaignId);
        if (current) get().config.putCampaign({ ...current, tiers: confirmed.get(campaignId) ?? campaign.tiers });
        onError(error);
      }
      return false;
    } finally {
      bump(-1);
    }
  }

  let undoSeq = 0;
  const buyerName = (id: string): string => get().buyers.list.find((b) => b.spec.id === id)?.spec.name ?? id;

  /**
   * Sends one edit: a floor through `tiers.setFloor`, anything else as the whole new tree through
   * `tiers.set`. Once the engine confirms it, its inverse goes on the undo stack (unless it is an undo).
   */
  async function run(campaignId: string, edit: TreeEdit, opts: { record: boolean; label?: string; onError?: (error: unknown) => void }): Promise<boolean> {
    const campaign = campaignOf(campaignId);
    if (!campaign) return false;
    const before = campaign.tiers;
    const next = applyTreeEdit(before, edit);
    if (next === before) return false;
    const label = opts.label ?? describeTreeEdit(before, edit, buyerName);
    const inverse = inverseTreeEdit(before, edit);
    const plain = next.map((t) => ({ name: t.name, floor: t.floor, buyers: [...t.buyers] }));
    const request = edit.kind === 'tierFloor'
      ? () => deps.api['tiers.setFloor']({ campaignId, tierIndex: edit.tierIndex, floor: edit.floor })
      : () => deps.api['tiers.set']({ campaignId, tiers: plain });
    const ok = await send(campaignId, next, request, opts.onError ?? ((error) => patch({ error })));
    if (ok) {
      const entry: UndoEntry = { id: ++undoSeq, campaignId, label, inverse };
      patch((s) => ({
        undoStack: opts.record ? { ...s.undoStack, [campaignId]: [...(s.undoStack[campaignId] ?? []), entry].slice(-UNDO_DEPTH) } : s.undoStack,
        lastEdit: { ...entry, undone: !opts.record },
      }));
    }
    return ok;
  }

  const edit = (campaignId: string, e: TreeEdit | null): Promise<boolean> => {
    if (!e) return Promise.resolve(false);
    patch({ error: null });
    return run(campaignId, e, { record: true });
  };

  return {
    campaignId: null,
    pending: {},
    error: null,
    floorError: null,
    selectCampaign(id) {
      patch({ campaignId: id, error: null, floorError: null });
    },
    apply(campaignId, next) {
      patch({ error: null });
      const tiers = next.map((t) => ({ name: t.name, floor: t.floor, buyers: [...t.buyers] }));
      return send(campaignId, next, () => deps.api['tiers.set']({ campaignId, tiers }), (error) => patch({ error }));
    },
    moveBuyer: (campaignId, buyerId, toTier, index) => edit(campaignId, { kind: 'buyerMove', campaignId, buyerId, toTier, position: index }),
    addBuyer: (campaignId, tierIndex, buyerId) => edit(campaignId, { kind: 'buyerMove', campaignId, buyerId, toTier: tierIndex }),
    removeBuyer: (campaignId, buyerId) => edit(campaignId, { kind: 'buyerMove', campaignId, buyerId, toTier: null }),
    moveTier(campaignId, index, delta) {
      const order = swapOrder(campaignOf(campaignId)?.tiers.length ?? 0, index, delta);
      return edit(campaignId, order && { kind: 'tierOrder', campaignId, order });
    },
    addTier(campaignId) {
      const campaign = campaignOf(campaignId);
      if (!campaign) return Promise.resolve(false);
      // A new tier starts at the campaign's minimum: a lower floor could never take effect anyway.
      const tier = addTier(campaign.tiers, campaign.minPrice)[campaign.tiers.length];
      return edit(campaignId, { kind: 'tierAdd', campaignId, index: campaign.tiers.length, tier });
    },
    removeTier: (campaignId, index) => edit(campaignId, { kind: 'tierRemove', campaignId, index }),
    async setFloor(campaignId, tierIndex, text) {
      const parsed = parseFloor(text);
      if (!parsed.ok) {
        patch({ floorError: { campaignId, tierIndex, message: parsed.message } });
        return false;
      }
      const campaign = campaignOf(campaignId);
      if (!campaign || tierIndex >= campaign.tiers.length) return false;
      patch({ floorError: null, error: null });
      return run(campaignId, { kind: 'tierFloor', campaignId, tierIndex, floor: parsed.value }, {
        record: true,
        onError: (error) => patch({ floorError: { campaignId, tierIndex, message: error instanceof Error ? error.message : 'The floor was not saved' } }),
      });
    },
    clearErrors() {
      patch({ error: null, floorError: null });
    },
    undoStack: {},
    lastEdit: null,
    async undo(campaignId, entryId) {
      const stack = self().undoStack[campaignId] ?? [];
      const entry = entryId === undefined ? stack[stack.length - 1] : stack.find((e) => e.id === entryId);
      if (!entry) return false;
      patch((s) => ({ error: null, undoStack: { ...s.undoStack, [campaignId]: (s.undoStack[campaignId] ?? []).filter((e) => e.id !== entry.id) } }));
      const ok = await run(campaignId, entry.inverse, { record: false, label: entry.label });
      // Refused or no longer applicable: the edit stays undoable.
      if (!ok) patch((s) => ({ undoStack: { ...s.undoStack, [campaignId]: [...(s.undoStack[campaignId] ?? []), entry].sort((a, b) => a.id - b.id) } }));
      return ok;
    },
    campaignStats: {},
    async loadCampaignStats(campaignId) {
      const to = deps.now();
      try {
        const rows = await deps.api['stats.buyers']({ from: Math.max(0, to - CAMPAIGN_STATS_WINDOW_MS), to, campaignId });
        patch((s) => ({ campaignStats: { ...s.campaignStats, [campaignId]: Object.fromEntries(rows.map((r) => [r.buyerId, r])) } }));
      } catch (error) {
        patch({ error });
      }
    },
  };
};
