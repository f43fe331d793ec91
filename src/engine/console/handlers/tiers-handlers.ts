import { setDynamicFloor } from './floors-handlers.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** A campaign's ping tree: its tiers and each tier's floor. */
export function tiersHandlers(d: HandlerDeps): HandlersOf<'tiers'> {
  const { config } = d;
  return {
    'tiers.set': ({ campaignId, tiers }, ctx) => config.setTiers(campaignId, tiers, ctx.actor),
    'tiers.setFloor': ({ campaignId, tierIndex, floor }, ctx) => config.setFloor(campaignId, tierIndex, floor, ctx.actor),
    'tiers.setDynamicFloor': (args, ctx) => setDynamicFloor(config, args, ctx.actor),
  };
}
