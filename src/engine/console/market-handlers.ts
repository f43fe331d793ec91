import type { DynamicFloorSpec } from '../../shared/dynamic-floor.js';
import { PingdeskError } from '../../shared/errors.js';
import type { FloorChangeView, FloorLimitView, PredictionErrorRow } from '../../shared/market-views.js';
import type { ConfigService } from '../config/config-service.js';
import { evaluateTierFloor } from '../market/floor-tuner.js';
import { toDollars } from '../money.js';
import type { Store } from '../store/index.js';
import type { FloorChangeRecord, PredictionErrorSums } from '../store/market-repo.js';
import { dynamicFloorSchema } from '../workspace/schema.js';
import { issuesToDetails } from '../workspace/validate-workspace.js';
import type { ConsoleHandlers } from './console-host.js';

type MarketMethods = 'tiers.setDynamicFloor' | 'floors.dynamic' | 'floors.changes' | 'leadValue.get' | 'leadValue.error' | 'audit.configChanges';

const MAX_CHANGES = 5000;

/** The Ping tree's dynamic floors, the Auction page's predicted value and the Reports' prediction error. */
export function marketHandlers(d: { store: Store; config: ConfigService; now: () => number }): Pick<ConsoleHandlers, MarketMethods> {
  const { store, config } = d;
  return {
    'tiers.setDynamicFloor': ({ campaignId, tierIndex, dynamicFloor }, ctx) => {
      if (dynamicFloor === null) return config.setDynamicFloor(campaignId, tierIndex, null, ctx.actor);
      const parsed = dynamicFloorSchema.safeParse(dynamicFloor);
      if (!parsed.success) throw new PingdeskError('validation_failed', 'The dynamic floor has problems', { details: issuesToDetails(parsed.error.issues) });
      return config.setDynamicFloor(campaignId, tierIndex, parsed.data as DynamicFloorSpec, ctx.actor);
    },
    'floors.dynamic': ({ campaignId }) => {
      const campaign = config.campaign(campaignId);
      const now = d.now();
      return campaign.tiers.map((tier, tierIndex) => {
        const last = store.market().lastFloorChange(campaignId, tier.name);
        const spec = tier.dynamicFloor ?? null;
        let next = null;
        if (spec) {
          const decision = evaluateTierFloor(store, campaignId, tierIndex, { ...tier, dynamicFloor: spec }, now);
          next = decision.kind === 'too_few_samples'
            ? decision
            : { kind: decision.kind, samples: decision.samples, target: toDollars(decision.targetCents), to: toDollars(decision.toCents), limitedBy: decision.limitedBy };
        }
        return { tierIndex, tier: tier.name, floor: tier.floor, dynamicFloor: spec, next, lastChange: last ? toChangeView(last) : null };
      });
    },
    'floors.changes': ({ campaignId, from, to }) => store.market().floorChanges(campaignId, from, to, MAX_CHANGES).map(toChangeView),
    'leadValue.get': ({ leadId }) => {
      const e = store.market().estimate(leadId);
      if (!e) return { leadId, estimate: null };
      const lead = store.getLead(leadId);
      const actual = lead?.status === 'sold' ? toDollars(lead.priceCents ?? 0) : lead?.status === 'unsold' ? 0 : null;
      return { leadId, estimate: { leadId, predicted: toDollars(e.predictedCents), level: e.level as 'campaign' | 'source' | 'sourceState', samples: e.samples, at: e.at, modelTrainedAt: e.modelTrainedAt, actual } };
    },
    'audit.configChanges': async ({ limit, reason }) => {
      // Configuration events are queued like every audit event: the newest must be committed to be read.
      if (!store.readonly) await store.flush();
      // Filtering by reason reads a wider page of the same bounded range, then keeps `limit`.
      const rows = store.market().configEvents(reason ? Math.min(5000, limit * 20) : limit);
      const views = rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, data: JSON.parse(r.data) as Record<string, unknown> }));
      return (reason ? views.filter((v) => v.data.reason === reason) : views).slice(0, limit);
    },
    'leadValue.error': ({ from, to, campaignId }) => {
      const rows = store.market().predictionError(from, to, campaignId);
      const none: PredictionErrorSums = { outcome: 'sold', leads: 0, predictedCents: 0, actualCents: 0, absErrorCents: 0 };
      const sold = rows.find((r) => r.outcome === 'sold') ?? none;
      const unsold = rows.find((r) => r.outcome === 'unsold') ?? { ...none, outcome: 'unsold' };
      const all = { leads: sold.leads + unsold.leads, predictedCents: sold.predictedCents + unsold.predictedCents, actualCents: sold.actualCents + unsold.actualCents, absErrorCents: sold.absErrorCents + unsold.absErrorCents };
      return { from, to, campaignId: campaignId ?? null, sold: errorRow(sold), unsold: errorRow(unsold), all: errorRow(all) };
    },
  };
}

function toChangeView(r: FloorChangeRecord): FloorChangeView {
  return {
    at: r.at, campaignId: r.campaignId, tier: r.tierName, from: toDollars(r.fromCents), to: toDollars(r.toCents), target: toDollars(r.targetCents),
    basis: r.basis as FloorChangeView['basis'], percentile: r.percentile, samples: r.samples, limitedBy: r.limitedBy as FloorLimitView,
  };
}

/** Sums in cents to means in dollars (rounded to the cent); an empty row is all zeros. */
function errorRow(s: { leads: number; predictedCents: number; actualCents: number; absErrorCents: number }): PredictionErrorRow {
  if (s.leads === 0) return { leads: 0, meanPredicted: 0, meanActual: 0, mae: 0, bias: 0 };
  const mean = (cents: number): number => toDollars(Math.round(cents / s.leads));
  return { leads: s.leads, meanPredicted: mean(s.predictedCents), meanActual: mean(s.actualCents), mae: mean(s.absErrorCents), bias: mean(s.predictedCents - s.actualCents) };
}
