import type { CampaignSpec, TierSpec } from '../../shared/domain.js';
import { addBuyerToTier, addTier, moveBuyer, moveTier, parseFloor, removeBuyer, removeTier, setTierFloor } from '../features/tiers/tier-edits.js';
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
}

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

  const edit = (campaignId: string, change: (tiers: TierSpec[]) => TierSpec[]): Promise<boolean> => {
    const campaign = campaignOf(campaignId);
    if (!campaign) return Promise.resolve(false);
    return self().apply(campaignId, change(campaign.tiers));
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
    moveBuyer: (campaignId, buyerId, toTier, index) => edit(campaignId, (t) => moveBuyer(t, buyerId, toTier, index)),
    addBuyer: (campaignId, tierIndex, buyerId) => edit(campaignId, (t) => addBuyerToTier(t, tierIndex, buyerId)),
    removeBuyer: (campaignId, buyerId) => edit(campaignId, (t) => removeBuyer(t, buyerId)),
    moveTier: (campaignId, index, delta) => edit(campaignId, (t) => moveTier(t, index, delta)),
    addTier: (campaignId) => edit(campaignId, (t) => addTier(t)),
    removeTier: (campaignId, index) => edit(campaignId, (t) => removeTier(t, index)),
    async setFloor(campaignId, tierIndex, text) {
      const parsed = parseFloor(text);
      if (!parsed.ok) {
        patch({ floorError: { campaignId, tierIndex, message: parsed.message } });
        return false;
      }
      const campaign = campaignOf(campaignId);
      if (!campaign || tierIndex >= campaign.tiers.length) return false;
      patch({ floorError: null, error: null });
      const next = setTierFloor(campaign.tiers, tierIndex, parsed.value);
      return send(
        campaignId,
        next,
        () => deps.api['tiers.setFloor']({ campaignId, tierIndex, floor: parsed.value }),
        (error) => patch({ floorError: { campaignId, tierIndex, message: error instanceof Error ? error.message : 'The floor was not saved' } }),
      );
    },
    clearErrors() {
      patch({ error: null, floorError: null });
    },
  };
};
