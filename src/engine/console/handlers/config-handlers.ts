import { checkBuyer, checkCampaign, checkSource } from '../../config/entity-problems.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/**
 * `config.check`: what a save would refuse, without saving. An editor that finds a problem of its own
 * (a timeout that is not a number) asks this too, so the broker sees every problem in one round.
 */
export function configHandlers({ config }: Pick<HandlerDeps, 'config'>): HandlersOf<'config'> {
  return {
    'config.check': ({ kind, spec }) => {
      const ws = config.workspace;
      const checked =
        kind === 'buyer' ? checkBuyer(spec) : kind === 'source' ? checkSource(spec, new Set(ws.campaigns.map((c) => c.id))) : checkCampaign(spec, new Set(ws.buyers.map((b) => b.id)));
      return { problems: checked.ok ? [] : checked.problems };
    },
  };
}
