import { useMemo } from 'react';
import { tierLabel } from '../../shared/tier-label.js';
import { api } from '../api/client.js';
import { useConfigVersion } from '../store/use-console.js';
import { useApi } from './use-api.js';

export interface Directory {
  campaigns: Array<{ id: string; name: string; tiers?: string[] }>;
  buyers: Array<{ id: string; name: string }>;
  sources: Array<{ id: string; name: string }>;
  campaignName: (id: string | null | undefined) => string;
  buyerName: (id: string | null | undefined) => string;
  sourceName: (id: string | null | undefined) => string;
  /** A tier as the Ping tree names it today ("Premium"); its position ("Tier 2") only when unknown or unnamed. */
  tierName: (campaignId: string | null | undefined, index: number | null | undefined) => string;
}

/**
 * Names for the ids that auctions and reports carry, reloaded when configuration changes.
 * Unknown ids (a buyer deleted since) read as the id itself.
 */
export function useDirectory(): Directory {
  const version = useConfigVersion();
  const res = useApi(
    async () => {
      const [campaigns, buyers, sources] = await Promise.all([
        api['campaigns.list']({}).catch(() => []),
        api['buyers.list']({}).catch(() => []),
        api['sources.list']({}).catch(() => []),
      ]);
      return {
        campaigns: campaigns.map((c) => ({ id: c.id, name: c.name, tiers: c.tiers.map((t) => t.name) })),
        buyers: buyers.map((b) => ({ id: b.spec.id, name: b.spec.name })),
        sources: sources.map((s) => ({ id: s.spec.id, name: s.spec.name })),
      };
    },
    [version],
  );
  const data = res.data;
  return useMemo(() => {
    const lookup = (list: Array<{ id: string; name: string }>) => {
      const map = new Map(list.map((x) => [x.id, x.name]));
      return (id: string | null | undefined) => (id == null ? '' : (map.get(id) ?? id));
    };
    const campaigns = data?.campaigns ?? [];
    const buyers = data?.buyers ?? [];
    const sources = data?.sources ?? [];
    const tiers = new Map(campaigns.map((c) => [c.id, c.tiers ?? []]));
    const tierName = (campaignId: string | null | undefined, index: number | null | undefined) =>
      index == null ? '—' : tierLabel(campaignId == null ? null : tiers.get(campaignId)?.[index], index);
    return { campaigns, buyers, sources, campaignName: lookup(campaigns), buyerName: lookup(buyers), sourceName: lookup(sources), tierName };
  }, [data]);
}
