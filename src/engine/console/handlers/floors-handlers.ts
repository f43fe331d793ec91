import type { DynamicFloorSpec } from '../../../shared/dynamic-floor.js';
import { PingdeskError } from '../../../shared/errors.js';
import type { FloorChangeView, FloorLimitView } from '../../../shared/market-views.js';
import type { ConfigService } from '../../config/config-service.js';
import { evaluateTierFloor } from '../../market/floor-tuner.js';
import { toDollars } from '../../money.js';
import type { FloorChangeRecord } from '../../store/market-repo.js';
import { dynamicFloorSchema } from '../../workspace/schema.js';
import { issuesToDetails } from '../../workspace/validate-workspace.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

const MAX_CHANGES = 5000;

/** Dynamic floors on the Ping tree: what each tier's would do next, its last change, and every change (chart markers). */
export function floorsHandlers(d: HandlerDeps): HandlersOf<'floors'> {
  const { store, config } = d;
  return {
    'floors.dynamic': async ({ campaignId }) => {
      const campaign = config.campaign(campaignId);
      // A change applies to the configuration at once; its floor_changes row is queued with its audit event.
      if (!store.readonly) await store.flush();
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
    'floors.changes': async ({ campaignId, from, to }) => {
      if (!store.readonly) await store.flush();
      return store.market().floorChanges(campaignId, from, to, MAX_CHANGES).map(toChangeView);
    },
  };
}

/** `tiers.setDynamicFloor`: the settings are checked with the workspace schema before ConfigService sees them. */
export function setDynamicFloor(config: ConfigService, args: { campaignId: string; tierIndex: number; dynamicFloor: unknown }, actor: string) {
  const { campaignId, tierIndex, dynamicFloor } = args;
  if (dynamicFloor === null) return config.setDynamicFloor(campaignId, tierIndex, null, actor);
  const parsed = dynamicFloorSchema.safeParse(dynamicFloor);
  if (!parsed.success) throw new PingdeskError('validation_failed', 'The dynamic floor has problems', { details: issuesToDetails(parsed.error.issues) });
  return config.setDynamicFloor(campaignId, tierIndex, parsed.data as DynamicFloorSpec, actor);
}

/** The trail's newest `config` events; with `reason`, only those (a wider page of the same bounded range is read). */
export async function configChanges(d: Pick<HandlerDeps, 'store'>, limit: number, reason?: string) {
  const { store } = d;
  // Configuration events are queued like every audit event: the newest must be committed to be read.
  if (!store.readonly) await store.flush();
  const rows = store.market().configEvents(reason ? Math.min(5000, limit * 20) : limit);
  const views = rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, data: JSON.parse(r.data) as Record<string, unknown> }));
  return (reason ? views.filter((v) => v.data.reason === reason) : views).slice(0, limit);
}

function toChangeView(r: FloorChangeRecord): FloorChangeView {
  return {
    at: r.at, campaignId: r.campaignId, tier: r.tierName, from: toDollars(r.fromCents), to: toDollars(r.toCents), target: toDollars(r.targetCents),
    basis: r.basis as FloorChangeView['basis'], percentile: r.percentile, samples: r.samples, limitedBy: r.limitedBy as FloorLimitView,
  };
}
