import { withoutScreeningKeys } from '../../screen/compile-screening.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Campaigns: list, save and delete (screening keys never leave the engine). */
export function campaignsHandlers(d: HandlerDeps): HandlersOf<'campaigns'> {
  const { config } = d;
  return {
    'campaigns.list': () => config.workspace.campaigns.map(withoutScreeningKeys),
    'campaigns.save': ({ campaign }, ctx) => withoutScreeningKeys(config.saveCampaign(campaign, ctx.actor)),
    'campaigns.delete': ({ id }, ctx) => {
      config.deleteCampaign(id, ctx.actor);
      return { deleted: true };
    },
  };
}
