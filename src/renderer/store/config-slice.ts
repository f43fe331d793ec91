import type { CreatedKey, SourceView } from '../../shared/console-api.js';
import type { CampaignSpec, SourceSpec, Workspace } from '../../shared/domain.js';
import type { SliceCreator } from './types.js';

/**
 * Campaigns and sources as the engine holds them. Actions that save rethrow the engine's error
 * (an ApiError with field details) so the editor can put each message beside its field; the list
 * here only changes once the engine has accepted the change.
 */
export interface ConfigSlice {
  campaigns: CampaignSpec[];
  sources: SourceView[];
  loaded: boolean;
  error: unknown;
  load: () => Promise<void>;
  loadCampaigns: () => Promise<void>;
  loadSources: () => Promise<void>;
  /** Puts a campaign the engine returned into the list (after tiers.set, tiers.setFloor, save). */
  putCampaign: (campaign: CampaignSpec) => void;
  saveCampaign: (campaign: CampaignSpec) => Promise<CampaignSpec>;
  deleteCampaign: (id: string) => Promise<void>;
  saveSource: (source: SourceSpec) => Promise<SourceView>;
  deleteSource: (id: string) => Promise<void>;
  /** The plain key is in the result only: it is shown once and never kept in the store. */
  createSourceKey: (sourceId: string) => Promise<CreatedKey>;
  revokeSourceKey: (keyId: string) => Promise<void>;
  exportWorkspace: () => Promise<Workspace>;
  importWorkspace: (workspace: unknown) => Promise<{ campaigns: number; sources: number; buyers: number }>;
}

const upsert = <T>(list: T[], item: T, idOf: (t: T) => string): T[] => {
  const i = list.findIndex((x) => idOf(x) === idOf(item));
  return i < 0 ? [...list, item] : list.map((x, j) => (j === i ? item : x));
};

export const createConfigSlice: SliceCreator<'config'> = ({ patch, self, get, deps }) => ({
  campaigns: [],
  sources: [],
  loaded: false,
  error: null,
  async load() {
    await Promise.all([self().loadCampaigns(), self().loadSources()]);
  },
  async loadCampaigns() {
    try {
      const fresh = await deps.api['campaigns.list']({});
      // A tier change still in flight keeps its optimistic tiers until the engine answers it.
      const pending = get().tiers.pending;
      const local = new Map(self().campaigns.map((c) => [c.id, c]));
      const campaigns = fresh.map((c) => ((pending[c.id] ?? 0) > 0 && local.has(c.id) ? { ...c, tiers: local.get(c.id)!.tiers } : c));
      patch({ campaigns, loaded: true, error: null });
    } catch (error) {
      patch({ error, loaded: true });
    }
  },
  async loadSources() {
    try {
      patch({ sources: await deps.api['sources.list']({}), error: null });
    } catch (error) {
      patch({ error });
    }
  },
  putCampaign(campaign) {
    patch((s) => ({ campaigns: upsert(s.campaigns, campaign, (c) => c.id) }));
  },
  async saveCampaign(campaign) {
    const saved = await deps.api['campaigns.save']({ campaign });
    self().putCampaign(saved);
    return saved;
  },
  async deleteCampaign(id) {
    await deps.api['campaigns.delete']({ id });
    patch((s) => ({ campaigns: s.campaigns.filter((c) => c.id !== id) }));
  },
  async saveSource(source) {
    const saved = await deps.api['sources.save']({ source });
    patch((s) => ({ sources: upsert(s.sources, saved, (v) => v.spec.id) }));
    return saved;
  },
  async deleteSource(id) {
    await deps.api['sources.delete']({ id });
    patch((s) => ({ sources: s.sources.filter((v) => v.spec.id !== id) }));
  },
  async createSourceKey(sourceId) {
    const created = await deps.api['sources.createKey']({ sourceId });
    await self().loadSources();
    return created;
  },
  async revokeSourceKey(keyId) {
    await deps.api['sources.revokeKey']({ keyId });
    await self().loadSources();
  },
  exportWorkspace: () => deps.api['workspace.export']({}),
  async importWorkspace(workspace) {
    const counts = await deps.api['workspace.import']({ workspace });
    await Promise.all([self().load(), get().buyers.load()]);
    return counts;
  },
});
